// systemd units for a director (the agent, the opt-in restore at boot) and for the dashboard, hardened: each gets
// only the capabilities and the writable paths it needs. `lvs-agent install-unit` writes or prints them; the .deb
// ships the same text (scripts/build-deb.mjs).

export interface AgentUnitPaths {
  /** The node binary (>= 20). */
  node: string;
  /** The bundled agent, dist/lvs-agent.mjs (the .deb installs it as /usr/lib/lvs-agent/lvs-agent.mjs). */
  agent: string;
}

export const AGENT_STATE_DIR = '/var/lib/lvs-agent';
export const AGENT_CONFIG = '/etc/lvs-agent/agent.env';

// The agent runs as root (ipvsadm's netlink calls need CAP_NET_ADMIN in the host's network namespace) but keeps
// only CAP_NET_ADMIN and CAP_NET_RAW; everything but its state directory is read-only. ip_vs must be loaded at
// boot (modules-load.d), since the agent may not load modules. No MemoryDenyWriteExecute: node's JIT needs it.
const AGENT_HARDENING = `CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW
NoNewPrivileges=yes
ProtectSystem=strict
StateDirectory=lvs-agent
StateDirectoryMode=0700
PrivateTmp=yes
PrivateDevices=yes
ProtectHome=yes
ProtectKernelModules=yes
ProtectKernelTunables=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
SystemCallArchitectures=native
UMask=0077`;

export function agentUnit(p: AgentUnitPaths): string {
  return `[Unit]
Description=lvs-agent: the IPVS agent of lvs-dashboard
After=network-online.target systemd-modules-load.service
Wants=network-online.target

[Service]
Type=simple
Environment=LVS_AGENT_OPTS=--listen=127.0.0.1:7070
EnvironmentFile=-${AGENT_CONFIG}
ExecStart=${p.node} ${p.agent} serve $LVS_AGENT_OPTS
Restart=on-failure
RestartSec=2s
${AGENT_HARDENING}

[Install]
WantedBy=multi-user.target
`;
}

export function restoreUnit(p: AgentUnitPaths): string {
  return `[Unit]
Description=lvs-agent: apply the last table set through the dashboard (minimal plan, never a flush)
After=systemd-modules-load.service local-fs.target
Before=lvs-agent.service network-online.target
ConditionPathExists=${AGENT_STATE_DIR}/rules

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${p.node} ${p.agent} restore-on-boot
${AGENT_HARDENING}

[Install]
WantedBy=multi-user.target
`;
}

export interface DashboardUnitPaths {
  node: string;
  /** The dashboard's checkout, built (npm run build). */
  root: string;
}

/** The dashboard: an unprivileged dynamic user whose only writable place is its data directory. */
export function dashboardUnit(p: DashboardUnitPaths): string {
  return `[Unit]
Description=lvs-dashboard: the web dashboard for IPVS directors
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
DynamicUser=yes
StateDirectory=lvs-dashboard
StateDirectoryMode=0700
WorkingDirectory=${p.root}
Environment=NODE_ENV=production LVS_DATA_DIR=/var/lib/lvs-dashboard HOST=127.0.0.1 PORT=3000
EnvironmentFile=-/etc/lvs-dashboard/dashboard.env
ExecStart=${p.node} ${p.root}/scripts/start.mjs
Restart=on-failure
RestartSec=2s
CapabilityBoundingSet=
NoNewPrivileges=yes
ProtectSystem=strict
PrivateTmp=yes
PrivateDevices=yes
ProtectHome=read-only
ProtectKernelModules=yes
ProtectKernelTunables=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
SystemCallArchitectures=native
UMask=0077

[Install]
WantedBy=multi-user.target
`;
}
