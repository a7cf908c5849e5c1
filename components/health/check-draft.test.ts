import { describe, expect, it } from 'vitest';
import { CheckConfig } from '@/lib/health';
import { checkCheckDraft, checkDraftOf } from './check-draft';

describe('health check form draft', () => {
  it('round-trips every checker kind through the draft', () => {
    const kinds = [
      {
        type: 'http',
        path: '/health',
        status: [200, { from: 301, to: 302 }],
        bodyRegex: 'ok',
        host: 'www.example.com',
      },
      { type: 'https', path: '/', sni: 'www.example.com', verifyTls: true, reuseConnection: false },
      { type: 'tcp' },
      { type: 'dns', name: 'example.com', queryType: 'MX', rcode: ['NOERROR', 'NXDOMAIN'] },
      { type: 'command', argv: ['/usr/local/bin/check', '--fast'], dynamicWeight: true },
      { type: 'none' },
    ];
    for (const check of kinds) {
      const config = CheckConfig.parse({
        check,
        intervalMs: 3000,
        timeoutMs: 1000,
        rise: 1,
        fall: 2,
        retryIntervalMs: 1000,
        startState: 'down',
        warmupMs: 500,
        address: '127.0.0.1',
        port: 8080,
        sourceAddress: '10.0.0.1',
        onFailure: 'remove',
        slowStart: { durationMs: 60000, steps: 5 },
      });
      expect(checkCheckDraft(checkDraftOf(config))).toEqual({ config, errors: {} });
    }
  });

  it('names each bad field in the words of the form, all in one round', () => {
    const d = {
      ...checkDraftOf(),
      path: 'health',
      status: '200, 700',
      intervalMs: '1000',
      timeoutMs: '2000',
      rise: 'two',
      port: '70000',
      durationMs: '10',
    };
    const { config, errors } = checkCheckDraft(d);
    expect(config).toBeUndefined();
    expect(errors).toMatchObject({
      path: expect.stringMatching(/must start with "\/"/),
      status: expect.any(String),
      rise: expect.any(String),
      port: expect.any(String),
      durationMs: 'at least 1000',
    });
  });

  it('refuses an external command that is not an absolute path', () => {
    const d = { ...checkDraftOf(), type: 'command' as const, argv: 'check.sh' };
    expect(checkCheckDraft(d).errors.argv).toBe('the program must be an absolute path');
  });
});
