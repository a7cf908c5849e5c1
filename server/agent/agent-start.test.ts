import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../testing/until';
import { createAgent } from './agent';
import { IpvsadmBackend } from './ipvsadm-backend';

const FIX = join(__dirname, '..', '..', 'lib/ipvs/__fixtures__/lab');
const dir = mkdtempSync(join(tmpdir(), 'agent-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('agent start', () => {
  it('a failed first read is retried every tick: the agent catches up once ipvsadm answers', async () => {
    const bin = join(dir, 'ipvsadm');
    const agent = createAgent({ backend: new IpvsadmBackend({ ipvsadm: bin }), tickMs: 100, slowEvery: 1000 });
    await expect(agent.start()).rejects.toThrow(/ipvsadm/); // not there yet
    expect(agent.state).toBeNull();
    // now an ipvsadm that lists an empty table (a captured listing) and answers the slow reads
    const empty = readFileSync(join(FIX, 'empty.Ln.txt'), 'utf8');
    writeFileSync(join(dir, 'empty.txt'), empty);
    writeFileSync(
      bin,
      `#!/bin/sh\ncase "$*" in\n  *timeout*) echo 'Timeout (tcp tcpfin udp): 900 120 300' ;;\n  *daemon*) ;;\n  *) cat ${join(dir, 'empty.txt')} ;;\nesac\n`,
    );
    chmodSync(bin, 0o755);
    await until(() => agent.state !== null, 8000);
    agent.stop();
    expect(agent.state?.services).toEqual([]);
  });
});
