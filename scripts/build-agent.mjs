// Bundles the agent CLI into one ESM file so `lvs-agent` starts fast (no TypeScript compile per call).
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';

mkdirSync('dist', { recursive: true });
await build({
  entryPoints: ['server/agent/cli.ts'],
  outfile: 'dist/lvs-agent.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
});
