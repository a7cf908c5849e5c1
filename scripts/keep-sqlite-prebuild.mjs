// CI, after `npm ci`: keeps better-sqlite3's compiled addon where its installer (prebuild-install) looks for a
// prebuild it downloaded before, the npm cache's _prebuilds folder, under the name it would download. The next clean
// clone's `npm ci` unpacks it (and loads it to check it) instead of compiling SQLite from source for a minute: this
// machine cannot reach GitHub's release downloads. The name holds the package version, node's ABI, the platform and
// the architecture, so an upgrade of any of them misses the cache, compiles, and is kept here again.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url); // prebuild-install is CommonJS, and its helpers are not exported
const pkgDir = path.dirname(require.resolve('better-sqlite3/package.json'));
const pkg = require('better-sqlite3/package.json');
const opts = { ...require('prebuild-install/rc')(pkg), pkg };
const util = require('prebuild-install/util');
const cached = util.cachedPrebuild(util.getDownloadUrl(opts));
const addon = 'build/Release/better_sqlite3.node';

if (existsSync(cached)) {
  console.log(`better-sqlite3 prebuild: kept at ${cached}`);
} else if (!existsSync(path.join(pkgDir, addon))) {
  console.log(`better-sqlite3 prebuild: no ${addon} to keep`);
} else {
  mkdirSync(path.dirname(cached), { recursive: true });
  const partial = `${cached}.${process.pid}.tmp`; // renamed when whole: an install meanwhile never reads half a file
  execFileSync('tar', ['-czf', partial, '-C', pkgDir, addon]);
  renameSync(partial, cached);
  console.log(`better-sqlite3 prebuild: saved ${cached}`);
}
