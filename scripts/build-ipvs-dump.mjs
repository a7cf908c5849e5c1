// Builds the agent's C helpers with the system's C compiler (`cc -O2`, the kernel's own headers, no library): the
// netlink table reader, native/ipvs-dump.c into dist/ipvs-dump, and the TCP health-check prober, native/tcp-probe.c
// into dist/tcp-probe. Run at install (scripts/build-agent.mjs, the postinstall) and by hand. A machine without a
// compiler or kernel headers gets one line per helper and no helper, never a failed install: the agent then reads the
// table with ipvsadm, and connects for TCP checks with node:net, and says so in its info.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const IPVS_DUMP_SOURCE = 'native/ipvs-dump.c';
export const IPVS_DUMP_OUT = 'dist/ipvs-dump';
export const TCP_PROBE_SOURCE = 'native/tcp-probe.c';
export const TCP_PROBE_OUT = 'dist/tcp-probe';

/** Compile one helper; returns whether it was built (a reason is printed when not). */
function buildHelper(source, out, without, { cc = process.env.CC || 'cc', log = console.log } = {}) {
  mkdirSync('dist', { recursive: true });
  const tmp = `${out}.${process.pid}`;
  const r = spawnSync(cc, ['-O2', '-Wall', '-o', tmp, source], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    rmSync(tmp, { force: true });
    const why = r.error ? `${cc}: ${r.error.code === 'ENOENT' ? 'no C compiler' : r.error.message}` : r.stderr.trim();
    log(`lvs-agent: ${out} not built (${why.split('\n')[0]}); ${without}`);
    return false;
  }
  renameSync(tmp, out); // a running agent keeps the old file until its next spawn
  return true;
}

export const buildIpvsDump = (opts) =>
  buildHelper(IPVS_DUMP_SOURCE, IPVS_DUMP_OUT, 'the agent will read the table with ipvsadm', opts);
export const buildTcpProbe = (opts) =>
  buildHelper(TCP_PROBE_SOURCE, TCP_PROBE_OUT, 'the agent will connect for TCP checks with node:net', opts);

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildIpvsDump();
  buildTcpProbe();
}
