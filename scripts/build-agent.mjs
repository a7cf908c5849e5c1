// Bundles the agent CLI into one ESM file so `lvs-agent` starts fast (no TypeScript compile per call).
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
};
await build({ ...common, entryPoints: ['server/agent/cli.ts'], outfile: 'dist/lvs-agent.mjs' });
// the connection-table reader runs in a worker thread: its own file beside the agent
await build({ ...common, entryPoints: ['server/agent/conn-reader-worker.ts'], outfile: 'dist/conn-reader.mjs' });
