import { describe, expect, it } from 'vitest';
import { parseHealthConfig, serviceChecks, withCheck, type CheckConfig } from '..';

const web = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
const dns = { protocol: 'udp', address: '10.1.0.10', port: 53 } as const;
const tcp = parseHealthConfig({ services: [{ service: web, check: { check: { type: 'tcp' } } }] }).services[0]!
  .check as CheckConfig;
const http = {
  ...tcp,
  check: { type: 'http', path: '/health', status: [200], verifyTls: false, reuseConnection: true },
} as CheckConfig;
const base = parseHealthConfig({
  services: [
    { service: dns, check: { check: { type: 'dns', name: 'example.com' } } },
    {
      service: web,
      check: { check: { type: 'tcp' } },
      sorryServer: { address: '10.2.0.99', port: 80, forward: 'masq', weight: 1 },
    },
  ],
});

describe('withCheck', () => {
  it("replaces a service's check and keeps its sorry server and the other services", () => {
    const next = parseHealthConfig(withCheck(base, { service: web }, http));
    expect(serviceChecks(next, 'tcp/10.1.0.10:80')).toMatchObject({
      check: { check: { type: 'http', path: '/health' } },
      sorryServer: { address: '10.2.0.99' },
    });
    expect(serviceChecks(next, 'udp/10.1.0.10:53')).toEqual(base.services[0]);
  });

  it("sets and removes one real server's own check beside the service's", () => {
    const rs = { address: '10.2.0.11', port: 80 };
    const one = parseHealthConfig(withCheck(base, { service: web, destination: rs }, http));
    expect(serviceChecks(one, 'tcp/10.1.0.10:80')?.destinations).toEqual([{ destination: rs, check: http }]);
    expect(serviceChecks(one, 'tcp/10.1.0.10:80')?.check?.check.type).toBe('tcp');
    const none = parseHealthConfig(withCheck(one, { service: web, destination: rs }, null));
    expect(serviceChecks(none, 'tcp/10.1.0.10:80')?.destinations).toEqual([]);
  });

  it('adds a service that had no checks, and drops one left with nothing', () => {
    const added = parseHealthConfig(withCheck({ services: [] }, { service: web }, tcp));
    expect(added.services).toHaveLength(1);
    expect(withCheck(added, { service: web }, null)).toEqual({ services: [] });
    // a sorry server keeps the service in the configuration without a check
    expect(serviceChecks(parseHealthConfig(withCheck(base, { service: web }, null)), 'tcp/10.1.0.10:80')).toMatchObject(
      {
        sorryServer: { address: '10.2.0.99' },
      },
    );
  });
});
