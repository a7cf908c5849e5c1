// Bundles the agent into one self-contained ESM file, dist/lvs-agent.mjs, that runs with the system's node (>= 20)
// and nothing else: socket.io, zod, pino and the connection-reader worker (carried as a string, started with
// `new Worker(source, { eval: true })`) are inlined, so a director needs that one file, not this repository.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import { agentBundleOptions } from './agent-bundle.mjs';

mkdirSync('dist', { recursive: true });
await build({
  ...(await agentBundleOptions()),
  entryPoints: ['server/agent/cli.ts'],
  outfile: 'dist/lvs-agent.mjs',
  sourcemap: 'linked',
});
