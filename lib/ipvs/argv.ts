// Typed edits → ipvsadm argv arrays (never a shell string). Every edit is validated first (validateEdit), so nothing
// unchecked reaches an argv. The option order matches what `ipvsadm -S -n` prints, so the restore-format renderer is
// these same builders joined with spaces.
import { validateEdit, type DestinationConfig, type Edit, type ServiceConfig } from './edits';
import { ALL_SCHED_FLAGS, type ServiceKey } from './model';
import { hostPort } from './model';

const PROTO_OPT = { tcp: '-t', udp: '-u', sctp: '--sctp-service' } as const;
const FORWARD_OPT = { masq: '-m', route: '-g', tunnel: '-i', local: '-g', bypass: '-g' } as const;

/** `-t 10.1.0.10:80`, `-u [2001:db8::1]:53`, `-f 1`, `-f 2 -6`. */
export function serviceArgs(key: ServiceKey): string[] {
  if (key.protocol === 'fwmark') return key.ipv6 ? ['-f', String(key.fwmark), '-6'] : ['-f', String(key.fwmark)];
  return [PROTO_OPT[key.protocol], hostPort(key.address, key.port)];
}

const flagRank = (f: string) => (ALL_SCHED_FLAGS as readonly string[]).indexOf(f);

export function serviceOptionArgs(s: ServiceConfig): string[] {
  // the order ipvsadm 1.31 -S prints: -s, -p, -M, --pe, -o, -b
  const a = ['-s', s.scheduler];
  if (s.persistent !== undefined) {
    a.push('-p', String(s.persistent));
    if (s.netmask !== undefined) a.push('-M', s.netmask);
  }
  if (s.pe !== undefined) a.push('--pe', s.pe);
  if (s.ops) a.push('-o');
  // in the kernel's order, so `sh-port,sh-fallback` and the listing's `sh-fallback,sh-port` are the same options
  if (s.flags.length) a.push('-b', [...s.flags].sort((x, y) => flagRank(x) - flagRank(y)).join(','));
  return a;
}

export function destinationOptionArgs(d: DestinationConfig): string[] {
  const a = [FORWARD_OPT[d.forward], '-w', String(d.weight)];
  if (d.upperThreshold) a.push('-x', String(d.upperThreshold));
  if (d.lowerThreshold) a.push('-y', String(d.lowerThreshold));
  if (d.forward === 'tunnel') {
    const type = d.tunnelType ?? 'ipip';
    a.push('--tun-type', type);
    if (type === 'gue' && d.tunnelPort !== undefined) a.push('--tun-port', String(d.tunnelPort));
    if (type !== 'ipip') a.push(`--tun-${d.tunnelChecksum ?? 'nocsum'}`);
  }
  return a;
}

function keyOf(s: ServiceConfig): ServiceKey {
  if (s.protocol === 'fwmark')
    return s.ipv6
      ? { protocol: 'fwmark', fwmark: s.fwmark ?? 0, ipv6: true }
      : { protocol: 'fwmark', fwmark: s.fwmark ?? 0 };
  return { protocol: s.protocol, address: s.address ?? '', port: s.port ?? 0 };
}

/** ipvsadm's arguments (without the program name) for one validated edit. Throws an `invalid` ApiError on bad input. */
export function editArgv(input: Edit | unknown): string[] {
  const e = validateEdit(input);
  switch (e.kind) {
    case 'add-service':
      return ['-A', ...serviceArgs(keyOf(e.service)), ...serviceOptionArgs(e.service)];
    case 'edit-service':
      return ['-E', ...serviceArgs(keyOf(e.service)), ...serviceOptionArgs(e.service)];
    case 'delete-service':
      return ['-D', ...serviceArgs(e.service)];
    case 'add-destination':
      return [
        '-a',
        ...serviceArgs(e.service),
        '-r',
        hostPort(e.destination.address, e.destination.port),
        ...destinationOptionArgs(e.destination),
      ];
    case 'edit-destination':
      return [
        '-e',
        ...serviceArgs(e.service),
        '-r',
        hostPort(e.destination.address, e.destination.port),
        ...destinationOptionArgs(e.destination),
      ];
    case 'delete-destination':
      return ['-d', ...serviceArgs(e.service), '-r', hostPort(e.destination.address, e.destination.port)];
    case 'set-timeouts':
      return ['--set', String(e.timeouts.tcp), String(e.timeouts.tcpfin), String(e.timeouts.udp)];
    case 'zero':
      return e.service ? ['-Z', ...serviceArgs(e.service)] : ['-Z'];
    case 'start-daemon': {
      const d = e.daemon;
      const a = ['--start-daemon', d.state, '--mcast-interface', d.mcastInterface, '--syncid', String(d.syncId)];
      if (d.maxlen !== undefined) a.push('--sync-maxlen', String(d.maxlen));
      if (d.group !== undefined) a.push('--mcast-group', d.group);
      if (d.port !== undefined) a.push('--mcast-port', String(d.port));
      if (d.ttl !== undefined) a.push('--mcast-ttl', String(d.ttl));
      return a;
    }
    case 'stop-daemon':
      return ['--stop-daemon', e.state];
  }
}
