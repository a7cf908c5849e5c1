// While keepalived runs, the agent says which services its keepalived.conf owns (read with the import parser), or
// that it cannot tell and why; the table state and its deltas carry it to the dashboard.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyDelta, diffState } from '../../lib/ipvs';
import { createAgent } from './agent';
import { keepalivedOwnership } from './keepalived-ownership';
import { MemoryBackend } from './memory-backend';

const dir = mkdtempSync(join(tmpdir(), 'keepalived-owner-'));
const conf = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('keepalivedOwnership', () => {
  it('names the services of keepalived.conf, and says when an include may hide more', async () => {
    const path = conf(
      'a.conf',
      'virtual_server 10.1.0.10 80 {\n real_server 10.2.0.11 80 {\n }\n}\nvirtual_server fwmark 3 {\n real_server 10.2.0.12 80 {\n }\n}\n',
    );
    expect(await keepalivedOwnership(path)).toEqual({ services: ['tcp/10.1.0.10:80', 'fwmark/3'] });
    const withInclude = conf('b.conf', 'include /etc/keepalived/more.conf\n');
    expect(await keepalivedOwnership(withInclude)).toEqual({
      services: [],
      reason: `${withInclude} includes other files, not read: it may own more`,
    });
  });

  it('says why ownership is unknown when the file cannot be read or parsed', async () => {
    expect(await keepalivedOwnership(join(dir, 'missing.conf'))).toEqual({
      services: null,
      reason: `cannot read ${join(dir, 'missing.conf')}: ENOENT`,
    });
    const bad = conf('bad.conf', 'virtual_server 10.1.0.300 80 {\n real_server 10.2.0.11 80 {\n }\n}\n');
    expect((await keepalivedOwnership(bad)).reason).toMatch(/line 1: virtual_server\.address: not an IPv4/);
  });
});

describe('the agent and keepalived', () => {
  it('reports the services keepalived owns only while keepalived runs, through the table deltas', async () => {
    const backend = new MemoryBackend('-A -t 10.1.0.10:80 -s rr\n');
    backend.keepalived = { services: ['tcp/10.1.0.10:80'] };
    const agent = createAgent({ backend, tickMs: 60_000, slowEvery: 1 });
    const first = await agent.refresh();
    expect(first.keepalived).toBeUndefined();
    backend.owners = ['keepalived'];
    const second = await agent.refresh();
    expect(second.keepalived).toEqual({ services: ['tcp/10.1.0.10:80'] });
    const delta = diffState(first, second);
    expect(delta && applyDelta(first, delta).keepalived).toEqual({ services: ['tcp/10.1.0.10:80'] });
    backend.owners = [];
    const third = await agent.refresh();
    expect(third.keepalived).toBeUndefined();
    const back = diffState(second, third);
    expect(back && applyDelta(second, back).keepalived).toBeUndefined();
    agent.stop();
  });
});
