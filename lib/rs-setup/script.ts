// The real-server setup script `lvs-agent rs-setup` prints: POSIX sh, idempotent, persistent (a sysctl.d file and
// a systemd unit), recording each previous value in a state file that the --undo script replays backwards.
// Every input is validated by RsSetupOptions and single-quoted here; inputs appear nowhere else in the text.
import { ipFamily } from '../ipvs/ip';
import type { RsSetupOptions } from './options';

/** Single-quotes a value for sh: the only character that needs care inside '...' is ' itself. */
export function shq(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const PRELUDE = `set -eu
ROOT="\${LVS_RS_ROOT:-}"
STATE_DIR="$ROOT/var/lib/lvs-rs-setup"
STATE="$STATE_DIR/state"
SYSCTL_FILE=etc/sysctl.d/90-lvs-rs-setup.conf
UNIT_FILE=etc/systemd/system/lvs-rs-setup.service
`;

const APPLY_FUNCTIONS = `mkdir -p "$STATE_DIR"
touch "$STATE"
recorded() { awk -v k="$1" -v n="$2" '$1 == k && $2 == n { f = 1 } END { exit !f }' "$STATE"; }
SYSCTL_LINES=''
set_sysctl() {
  p="/proc/sys/$(printf '%s' "$1" | tr . /)"
  old=$(cat "$p")
  recorded sysctl "$1" || printf 'sysctl %s %s\\n' "$1" "$old" >>"$STATE"
  [ "$old" = "$2" ] || printf '%s\\n' "$2" >"$p"
  SYSCTL_LINES="$SYSCTL_LINES$1 = $2
"
}
add_addr() {
  if [ -z "$(ip -o addr show dev "$2" to "$1")" ]; then
    ip addr add "$1" dev "$2"
    printf 'addr %s %s\\n' "$1" "$2" >>"$STATE"
  fi
}
write_file() {
  recorded file "$1" || [ -e "$ROOT/$1" ] || printf 'file %s\\n' "$1" >>"$STATE"
  if [ "$(cat "$ROOT/$1" 2>/dev/null || true)" != "$2" ]; then
    mkdir -p "$(dirname "$ROOT/$1")"
    printf '%s\\n' "$2" >"$ROOT/$1"
  fi
}
`;

const FIND_IFACE = `if [ -z "$IFACE" ]; then
  IFACE=$(ip route show default | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p' | head -n 1)
fi
`;

const PERSIST = `write_file "$SYSCTL_FILE" "$SYSCTL_LINES"
write_file "$UNIT_FILE" "$UNIT_TEXT"
if [ -z "$ROOT" ] && command -v systemctl >/dev/null 2>&1; then
  systemctl daemon-reload
  systemctl enable lvs-rs-setup.service >/dev/null 2>&1
  recorded unit lvs-rs-setup.service || printf 'unit lvs-rs-setup.service\\n' >>"$STATE"
fi
echo 'lvs-rs-setup: done (undo with lvs-agent rs-setup --undo)'
`;

function cidr(vip: string): string {
  return `${vip}/${ipFamily(vip) === 6 ? 128 : 32}`;
}

function unit(execs: string[][]): string {
  return [
    '[Unit]',
    'Description=LVS real server set-up (lvs-agent rs-setup)',
    'After=network-pre.target',
    'Before=network.target',
    '',
    '[Service]',
    'Type=oneshot',
    'RemainAfterExit=yes',
    ...execs.map((argv) => `ExecStart=${argv.join(' ')}`),
    '',
    '[Install]',
    'WantedBy=multi-user.target',
  ].join('\n');
}

function arpSysctls(): string {
  return `for dev in all $IFACE; do
  set_sysctl "net.ipv4.conf.$dev.arp_ignore" 1
  set_sysctl "net.ipv4.conf.$dev.arp_announce" 2
done
`;
}

function drScript(o: RsSetupOptions): string {
  const addrs = o.vips.map(cidr);
  return (
    `IFACE=${shq(o.iface ?? '')}\n${FIND_IFACE}` +
    `UNIT_TEXT=${shq(unit(addrs.map((a) => ['ip', 'addr', 'replace', a, 'dev', 'lo'])))}\n` +
    APPLY_FUNCTIONS +
    arpSysctls() +
    addrs.map((a) => `add_addr ${shq(a)} lo\n`).join('') +
    PERSIST
  );
}

const TUN_DEVICE = { ipip: 'tunl0', gue: 'tunl0', gre: 'gre0' } as const;
const TUN_MODULE = { ipip: 'ipip', gue: 'ipip', gre: 'ip_gre' } as const;

function tunScript(o: RsSetupOptions): string {
  const dev = TUN_DEVICE[o.tunnelType];
  const addrs = o.vips.map(cidr);
  const fou = o.tunnelType === 'gue' ? String(o.tunnelPort) : null;
  const execs = [
    ['modprobe', TUN_MODULE[o.tunnelType]],
    ...(fou
      ? [
          ['modprobe', 'fou'],
          ['-ip', 'fou', 'add', 'port', fou, 'gue'],
        ]
      : []),
    ['ip', 'link', 'set', dev, 'up'],
    ...addrs.map((a) => ['ip', 'addr', 'replace', a, 'dev', dev]),
    ['sysctl', '-w', `net.ipv4.conf.${dev}.rp_filter=0`],
  ];
  return (
    `IFACE=${shq(o.iface ?? '')}\n${FIND_IFACE}TUN=${shq(dev)}\n` +
    `UNIT_TEXT=${shq(unit(execs))}\n` +
    APPLY_FUNCTIONS +
    `modprobe ${shq(TUN_MODULE[o.tunnelType])} 2>/dev/null || true\n` +
    (fou
      ? `modprobe fou 2>/dev/null || true
if ! ip fou show | grep -q ${shq(`port ${fou} gue`)}; then
  ip fou add port ${shq(fou)} gue
  printf 'fou %s\\n' ${shq(fou)} >>"$STATE"
fi
`
      : '') +
    `if ! ip -o link show dev "$TUN" | grep -q '[<,]UP[,>]'; then
  ip link set "$TUN" up
  printf 'up %s\\n' "$TUN" >>"$STATE"
fi
` +
    arpSysctls() +
    `for dev in all "$TUN"; do set_sysctl "net.ipv4.conf.$dev.rp_filter" 0; done\n` +
    addrs.map((a) => `add_addr ${shq(a)} "$TUN"\n`).join('') +
    PERSIST
  );
}

function natScript(o: RsSetupOptions): string {
  return `WANT=${shq(o.gateway ?? '')}
echo 'NAT (masquerading): the real server answers clients through the director, so its default gateway must be'
echo 'the director (its address on this network); otherwise replies leave with the real address and are dropped.'
GW=$(ip route show default | sed -n 's/^default via \\([^ ]*\\).*/\\1/p' | head -n 1)
if [ -z "$GW" ]; then
  echo 'lvs-rs-setup: this host has no IPv4 default route' >&2
  [ -z "$WANT" ] || echo "fix: ip route replace default via $WANT" >&2
  exit 1
fi
echo "default gateway: $GW"
if [ -n "$WANT" ] && [ "$GW" != "$WANT" ]; then
  echo "lvs-rs-setup: the default gateway is $GW, not the director $WANT" >&2
  echo "fix: ip route replace default via $WANT" >&2
  exit 1
fi
`;
}

const UNDO = `if [ ! -f "$STATE" ]; then
  echo 'lvs-rs-setup: nothing recorded: nothing to undo'
  exit 0
fi
awk '{ l[NR] = $0 } END { for (i = NR; i > 0; i--) print l[i] }' "$STATE" | while read -r kind a b; do
  case "$kind" in
    sysctl) printf '%s\\n' "$b" >"/proc/sys/$(printf '%s' "$a" | tr . /)" ;;
    addr) ip addr del "$a" dev "$b" 2>/dev/null || true ;;
    up) ip link set "$a" down ;;
    fou) ip fou del port "$a" ;;
    file) rm -f "$ROOT/$a" ;;
    unit) systemctl disable "$a" >/dev/null 2>&1 || true ;;
  esac
done
rm -f "$STATE"
echo 'lvs-rs-setup: undone'
`;

export function rsSetupScript(o: RsSetupOptions): string {
  const head = `#!/bin/sh\n# lvs-agent rs-setup --mode ${o.mode}${o.undo ? ' --undo' : ''}: run as root on the real server.\n`;
  if (o.undo) return head + PRELUDE + UNDO;
  const body = o.mode === 'dr' ? drScript(o) : o.mode === 'tun' ? tunScript(o) : natScript(o);
  return head + PRELUDE + body;
}
