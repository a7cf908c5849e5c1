// `lvs-agent render metrics` on node_exporter's own fixture prints the node_ipvs_* samples its test expects.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './cli';
import type { Io } from './commands/io';
import { promtoolCheck, sampleKeys, samples } from '../../lib/metrics/__tests__/exposition';

const FIX = join(__dirname, '..', '..', 'lib/metrics/__fixtures__');
const fixture = (n: string) => readFileSync(join(FIX, n), 'utf8');

async function run(args: string[], stdin: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { stdin: () => stdin, out: (s) => void (out += s), err: (s) => void (err += s) };
  return { code: await main(args, io), out, err };
}

async function renderFixture(): Promise<string> {
  const services = JSON.parse((await run(['parse', 'proc-ip_vs'], fixture('node_exporter.ip_vs'))).out) as object;
  const stats = JSON.parse((await run(['parse', 'proc-stats'], fixture('node_exporter.ip_vs_stats'))).out) as object;
  const r = await run(['render', 'metrics'], JSON.stringify({ ...services, ...stats }));
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return r.out;
}

describe('lvs-agent render metrics', () => {
  it("prints exactly the node_ipvs_* samples node_exporter's test expects from the same procfs files", async () => {
    const ours = samples(await renderFixture()).filter((s) => s.name.startsWith('node_ipvs_'));
    const theirs = samples(fixture('node_exporter.ip_vs_result.txt'));
    expect(theirs.length).toBe(35);
    expect(sampleKeys(ours)).toEqual(sampleKeys(theirs));
  });

  it('uses the HELP and TYPE lines node_exporter writes for each node_ipvs_* metric', async () => {
    const meta = (text: string) =>
      text
        .split('\n')
        .filter((l) => /^# (HELP|TYPE) node_ipvs_/.test(l))
        .sort();
    expect(meta(await renderFixture())).toEqual(meta(fixture('node_exporter.ip_vs_result.txt')));
  });

  it('passes promtool check metrics', async () => {
    const r = promtoolCheck(await renderFixture());
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuses bad input naming the field', async () => {
    const r = await run(['render', 'metrics'], JSON.stringify({ services: [{ protocol: 'icmp' }] }));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^lvs-agent render metrics: services\.0\.protocol: /);
    expect((await run(['render', 'metrics'], 'nope')).err).toMatch(/input: not JSON/);
    expect((await run(['render', 'pdf'], '{}')).code).toBe(2);
  });
});
