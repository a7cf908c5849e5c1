// Bundles the agent into one self-contained ESM file, dist/lvs-agent.mjs, that runs with the system's node (>= 20)
// and nothing else: socket.io, zod, pino and the connection-reader worker (carried as a string, started with
// `new Worker(source, { eval: true })`) are inlined, so a director needs that one file, not this repository. Then,
// with dpkg-deb, dist/lvs-agent_<version>_<arch>.deb. And the netlink table reader dist/ipvs-dump and the TCP check
// prober dist/tcp-probe, when a C compiler is here (scripts/build-ipvs-dump.mjs: without one, a line says so and the
// install goes on, without the .deb, which carries the helpers).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { agentBundleOptions } from './agent-bundle.mjs';
import { buildIpvsDump, buildTcpProbe } from './build-ipvs-dump.mjs';

mkdirSync('dist', { recursive: true });
const helper = buildIpvsDump();
buildTcpProbe();
await build({
  ...(await agentBundleOptions()),
  entryPoints: ['server/agent/cli.ts'],
  outfile: 'dist/lvs-agent.mjs',
  sourcemap: 'linked',
});

// the .deb for directors, when Debian's dpkg-deb is here (scripts/build-deb.mjs) and the helper was built
if (!helper) console.log('lvs-agent: no .deb without dist/ipvs-dump');
else if (spawnSync('dpkg-deb', ['--version'], { stdio: 'ignore' }).status === 0) {
  const deb = spawnSync(process.execPath, ['scripts/build-deb.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (deb.status !== 0) process.exitCode = 1;
}
