import { RsSetupOptions } from '../../../lib/rs-setup/options';
import { rsSetupScript } from '../../../lib/rs-setup/script';
import type { Io } from './io';
import { UsageError, parseOptions } from './options';

const HELP = `usage: lvs-agent rs-setup --mode dr|tun|nat [--vip VIP ...] [--iface IF] [--tun-type ipip|gue|gre]
                        [--tun-port PORT] [--gateway DIRECTOR] [--undo]

Prints a POSIX sh script to run as root on a real server. dr: each VIP on lo (/32, /128), arp_ignore=1 and
arp_announce=2 on all and the outgoing interface (--iface, else the default route's). tun: the tunnel device
(tunl0, gre0; gue adds a fou port) up with each VIP, rp_filter 0 on it and all. nat: checks that the default
gateway is the director (--gateway). Persistent (/etc/sysctl.d/90-lvs-rs-setup.conf and lvs-rs-setup.service),
idempotent, and --undo prints the script that restores what was changed (recorded in /var/lib/lvs-rs-setup/state).`;

/** --vip may be given many times; the other options once. */
function splitVips(args: string[]): { vips: string[]; rest: string[] } {
  const vips: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--vip') {
      const v = args[++i];
      if (v === undefined) throw new UsageError('--vip needs a value');
      vips.push(v);
    } else if (a.startsWith('--vip=')) vips.push(a.slice(6));
    else rest.push(a);
  }
  return { vips, rest };
}

export function runRsSetup(args: string[], io: Io): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP + '\n');
    return 0;
  }
  let raw;
  try {
    const { vips, rest } = splitVips(args);
    const o = parseOptions(rest, {
      mode: 'string',
      iface: 'string',
      'tun-type': 'string',
      'tun-port': 'string',
      gateway: 'string',
      undo: 'boolean',
    });
    if (o.mode === undefined) throw new UsageError('--mode is required (dr, tun or nat)');
    const tunPort = o['tun-port'];
    raw = {
      mode: o.mode,
      vips,
      tunnelType: o['tun-type'],
      tunnelPort: tunPort === undefined ? undefined : /^\d{1,5}$/.test(tunPort) ? Number(tunPort) : -1,
      iface: o.iface,
      gateway: o.gateway,
      undo: o.undo ?? false,
    };
  } catch (e) {
    io.err(`lvs-agent rs-setup: ${(e as Error).message}\n`);
    return 2;
  }
  const parsed = RsSetupOptions.safeParse(raw);
  if (!parsed.success) {
    const names: Record<string, string> = { vips: '--vip', tunnelType: '--tun-type', tunnelPort: '--tun-port' };
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      const value = issue.path.length > 1 ? ` ${JSON.stringify(raw.vips[Number(issue.path[1])])}` : '';
      io.err(`lvs-agent rs-setup: ${names[field] ?? `--${field}`}${value}: ${issue.message}\n`);
    }
    return 2;
  }
  io.out(rsSetupScript(parsed.data));
  return 0;
}
