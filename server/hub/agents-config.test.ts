import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agentsFromEnv } from './agents-config';

const dir = mkdtempSync(join(tmpdir(), 'agents-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('per-director TLS trust from the environment', () => {
  it('pins a certificate per director (or one for all), and names what is wrong', () => {
    const one = join(dir, 'lvs1.pem');
    const all = join(dir, 'all.pem');
    writeFileSync(one, PEM);
    writeFileSync(all, PEM.replace('MIIB', 'MIIC'));
    const env = {
      LVS_AGENTS: 'lvs1=https://10.0.0.1:7070,lvs2=https://10.0.0.2:7070',
      LVS_AGENT_TOKEN: 't',
      LVS_AGENT_CA_FILE_LVS1: one,
    };
    expect(agentsFromEnv(env, '/x')).toEqual([
      { name: 'lvs1', url: 'https://10.0.0.1:7070', token: 't', ca: PEM },
      { name: 'lvs2', url: 'https://10.0.0.2:7070', token: 't' },
    ]);
    expect(agentsFromEnv({ ...env, LVS_AGENT_CA_FILE: all }, '/x')[1]).toMatchObject({
      name: 'lvs2',
      ca: expect.stringContaining('MIIC'),
    });
    expect(() => agentsFromEnv({ ...env, LVS_AGENT_CA_FILE_LVS1: join(dir, 'missing.pem') }, '/x')).toThrow(
      /LVS_AGENT_CA_FILE for lvs1: cannot read .*missing\.pem \(ENOENT\)/,
    );
    writeFileSync(join(dir, 'key.pem'), 'not a certificate');
    expect(() => agentsFromEnv({ ...env, LVS_AGENT_CA_FILE_LVS1: join(dir, 'key.pem') }, '/x')).toThrow(
      /lvs1: .*key\.pem holds no PEM certificate/,
    );
    expect(() =>
      agentsFromEnv({ LVS_AGENTS: 'lvs1=http://10.0.0.1:7070', LVS_AGENT_TOKEN: 't', LVS_AGENT_CA_FILE: all }, '/x'),
    ).toThrow(/lvs1: a CA file is set but the URL is http:\/\//);
  });
});
