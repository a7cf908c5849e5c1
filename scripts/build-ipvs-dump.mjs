// Builds the netlink table reader, native/ipvs-dump.c, into dist/ipvs-dump with the system's C compiler (`cc -O2`,
// the kernel's own headers, no library). Run at install (scripts/build-agent.mjs, the postinstall) and by hand. A
// machine without a compiler or kernel headers gets one line and no helper, never a failed install: the agent then
// reads the table with ipvsadm and says so in its info.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const IPVS_DUMP_SOURCE = 'native/ipvs-dump.c';
export const IPVS_DUMP_OUT = 'dist/ipvs-dump';

/** Compile the helper; returns whether it was built (a reason is printed when not). */
export function buildIpvsDump({ cc = process.env.CC || 'cc', log = console.log } = {}) {
  mkdirSync('dist', { recursive: true });
  const tmp = `${IPVS_DUMP_OUT}.${process.pid}`;
  const r = spawnSync(cc, ['-O2', '-Wall', '-o', tmp, IPVS_DUMP_SOURCE], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    rmSync(tmp, { force: true });
    const why = r.error ? `${cc}: ${r.error.code === 'ENOENT' ? 'no C compiler' : r.error.message}` : r.stderr.trim();
    log(`lvs-agent: ${IPVS_DUMP_OUT} not built (${why.split('\n')[0]}); the agent will read the table with ipvsadm`);
    return false;
  }
  renameSync(tmp, IPVS_DUMP_OUT); // a running agent keeps the old file until its next spawn
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) buildIpvsDump();
