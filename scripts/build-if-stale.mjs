// `next build` when the dashboard's sources changed since the last build (.next/BUILD_ID), else nothing: the browser
// tests and benches run the production build. `npm test` runs it beside the lab's last VM, the e2e setup before the
// stacks start; either finds it done by the other.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = [
  'app',
  'components',
  'lib',
  'server/dashboard/snapshot.ts',
  'next.config.ts',
  'postcss.config.mjs',
  'package.json',
];

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of readdirSync(p))
    if (e !== 'node_modules' && !e.startsWith('.') && e !== '__tests__' && e !== '__fixtures__')
      max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}

const built = path.join(ROOT, '.next', 'BUILD_ID');
const newest = Math.max(...SOURCES.map((s) => newestMtime(path.join(ROOT, s))));
if (!existsSync(built) || statSync(built).mtimeMs <= newest) {
  console.log('building the dashboard (next build)…');
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production' },
  });
}
