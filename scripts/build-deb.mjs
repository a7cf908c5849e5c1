// Builds dist/lvs-agent_<version>_<arch>.deb with Debian's dpkg-deb: the bundled agent (dist/lvs-agent.mjs, built
// first), the netlink table reader beside it (dist/ipvs-dump, built for this machine's architecture: the package is
// of that architecture, not _all) and the TCP check prober when it was built (dist/tcp-probe), its systemd units (printed by the agent itself, so they are the same text as `install-unit`), a default
// config, ip_vs loaded at boot, and a postinst that creates the token (0600) but does not enable or start anything:
// the service starts once the operator has configured it and said `systemctl enable --now lvs-agent`.
//   node scripts/build-deb.mjs [AGENT_FILE (dist/lvs-agent.mjs)] [OUT_DIR (dist)] [IPVS_DUMP (dist/ipvs-dump)]
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const AGENT = '/usr/lib/lvs-agent/lvs-agent.mjs';
const HELPER = '/usr/lib/lvs-agent/ipvs-dump'; // beside the agent: where it looks first (netlink-backend.ts)
const TCP_PROBE = '/usr/lib/lvs-agent/tcp-probe'; // the same for the TCP check prober (health/tcp-probe.ts)
const [agentFile = 'dist/lvs-agent.mjs', outDir = 'dist', helperFile = 'dist/ipvs-dump'] = process.argv.slice(2);
const tcpProbeFile = join(helperFile, '..', 'tcp-probe'); // built with it (scripts/build-ipvs-dump.mjs)
if (!existsSync(helperFile)) {
  console.error(`build-deb: no ${helperFile} (node scripts/build-ipvs-dump.mjs builds it; it needs a C compiler)`);
  process.exit(1);
}
const arch = execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
const root = join(outDir, 'deb-root');
rmSync(root, { recursive: true, force: true });

function put(path, text, mode = 0o644) {
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  chmodSync(file, mode);
}

mkdirSync(join(root, 'usr/lib/lvs-agent'), { recursive: true });
copyFileSync(agentFile, join(root, AGENT));
chmodSync(join(root, AGENT), 0o755);
copyFileSync(helperFile, join(root, HELPER));
chmodSync(join(root, HELPER), 0o755);
if (existsSync(tcpProbeFile)) {
  copyFileSync(tcpProbeFile, join(root, TCP_PROBE));
  chmodSync(join(root, TCP_PROBE), 0o755);
}
mkdirSync(join(root, 'usr/bin'), { recursive: true });
symlinkSync(AGENT, join(root, 'usr/bin/lvs-agent'));
for (const [unit, file] of [
  ['agent', 'lvs-agent.service'],
  ['restore', 'lvs-agent-restore.service'],
]) {
  const args = [agentFile, 'install-unit', unit, '--print', '--node', '/usr/bin/node', '--agent-file', AGENT];
  put(`lib/systemd/system/${file}`, execFileSync(process.execPath, args, { encoding: 'utf8' }));
}
put(
  'usr/lib/modules-load.d/lvs-agent.conf',
  '# the agent may not load modules (ProtectKernelModules): load IPVS at boot\nip_vs\n',
);
put(
  'etc/lvs-agent/agent.env',
  `# Options of "lvs-agent serve" (see lvs-agent serve --help). Plain http is allowed on loopback only; to reach the
# agent from the dashboard's machine, serve TLS (certificate and key readable by root only), e.g.:
#   LVS_AGENT_OPTS=--listen=0.0.0.0:7070 --tls-cert=/etc/lvs-agent/tls/cert.pem --tls-key=/etc/lvs-agent/tls/key.pem
# The token is in /var/lib/lvs-agent/token (created by the package, mode 0600): give it to the dashboard.
LVS_AGENT_OPTS=--listen=127.0.0.1:7070
`,
  0o600,
);
put(
  'DEBIAN/control',
  `Package: lvs-agent
Version: ${version}
Architecture: ${arch}
Maintainer: lvs-dashboard <lvs-dashboard@localhost>
Depends: ipvsadm, systemd, libc6
Recommends: nodejs (>= 20)
Section: net
Priority: optional
Description: IPVS agent of lvs-dashboard
 Reads the kernel's IPVS table through ipvsadm and procfs, pushes it to the
 lvs-dashboard over Socket.IO and applies edits with a minimal plan (never a
 flush). One JavaScript file run by the system's node (>= 20), and a small
 C helper that reads the whole table in one generic-netlink pass per tick.
`,
);
put('DEBIAN/conffiles', '/etc/lvs-agent/agent.env\n');
put(
  'DEBIAN/postinst',
  `#!/bin/sh
# Creates the agent's token; enables and starts nothing (the operator configures, then enables the unit).
set -e
if [ "$1" = configure ]; then
  install -d -m 0700 /var/lib/lvs-agent
  if [ ! -s /var/lib/lvs-agent/token ]; then
    (umask 077; head -c 32 /dev/urandom | base64 | tr -d '=+/\\n' >/var/lib/lvs-agent/token)
  fi
  chmod 0600 /var/lib/lvs-agent/token
  systemctl daemon-reload >/dev/null 2>&1 || true
  echo "lvs-agent: configure /etc/lvs-agent/agent.env, then: systemctl enable --now lvs-agent" >&2
  echo "lvs-agent: the dashboard's token for this director is in /var/lib/lvs-agent/token" >&2
fi
exit 0
`,
  0o755,
);
const deb = join(outDir, `lvs-agent_${version}_${arch}.deb`);
execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', root, deb], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
rmSync(root, { recursive: true, force: true });
console.log(deb);
