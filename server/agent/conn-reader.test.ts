import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { agentBundleOptions } from '../../scripts/agent-bundle.mjs';
import { parseProcConns, prepareRead, type PreparedKeys } from '../../lib/ipvs';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = join(ROOT, 'lib/ipvs/__fixtures__/lab/proc-ip_vs_conn.txt');
const dir = mkdtempSync(join(tmpdir(), 'conn-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The sort keys as plain JSON (typed arrays as lists). */
const keysJson = (k: PreparedKeys) =>
  JSON.parse(
    JSON.stringify(k, (_, v: unknown) => (v instanceof Uint16Array || v instanceof Uint32Array ? [...v] : v)),
  ) as unknown;

describe('the connection reader in a bundle (the worker inlined, as in dist/lvs-agent.mjs)', () => {
  it('reads the table and works out its sort keys in a worker thread started from the inlined source, from a directory with nothing else', async () => {
    const entry = `
      let workers = 0;
      process.on('worker', () => workers++);
      import { ConnectionReader } from ${JSON.stringify(join(ROOT, 'server/agent/conn-reader.ts'))};
      const reader = new ConnectionReader(process.argv[2]);
      const table = await reader.read();
      reader.close();
      const arrays = (_, v) => (v instanceof Uint16Array || v instanceof Uint32Array ? [...v] : v);
      console.log(JSON.stringify({ rows: table.length, first: table.row(0), keys: table.prepared, workers }, arrays));`;
    const out = join(dir, 'reader.mjs');
    await build({
      ...(await agentBundleOptions()),
      stdin: { contents: entry, resolveDir: ROOT, loader: 'ts' },
      outfile: out,
    });
    const got = JSON.parse(execFileSync(process.execPath, [out, FIXTURE], { cwd: dir, encoding: 'utf8' })) as Record<
      string,
      unknown
    >;
    const want = parseProcConns(readFileSync(FIXTURE, 'latin1'));
    expect(want.length).toBeGreaterThan(0);
    // the sort keys and counts come worked out by the worker, as the agent's thread would work them out
    const keys = keysJson(prepareRead(want));
    expect(got).toEqual({ rows: want.length, first: JSON.parse(JSON.stringify(want.row(0))), keys, workers: 1 });
  });
});
