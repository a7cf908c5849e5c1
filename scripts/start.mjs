// `npm start`: build the Next.js app if it has never been built, then run the dashboard server in production mode.
// (After changing the sources, rebuild with `npm run build`.)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// No Next.js telemetry: nothing leaves the machine, and no notice about it on the first build or start. Set before
// the build runs (the child inherits it) and before Next.js loads in this process.
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);

if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
  console.log('lvs-dashboard: no production build in .next/, running next build');
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const build = spawnSync(process.execPath, [nextBin, 'build'], { stdio: 'inherit' });
  if (build.status !== 0) {
    console.error(`lvs-dashboard: next build failed (${build.signal ?? `exit ${build.status}`})`);
    process.exit(build.status || 1);
  }
}

process.env.NODE_ENV = 'production';
// Load the TypeScript server in this process (tsx), rather than spawning a second Node and relaying signals to it.
const { register } = await import('tsx/esm/api');
register();
await import('../server/dashboard/main.ts');
