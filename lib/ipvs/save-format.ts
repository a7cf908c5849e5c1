// The `ipvsadm -S -n` restore format: render the model to it, and parse it back (with the long option spellings
// ipvsadm -R also accepts, comments and blank lines), so a snapshot round-trips.
import { editArgv } from './argv';
import type { DestinationConfig, ServiceConfig } from './edits';
import { ApiError, underField } from '../errors';
import { ParseError } from './parse-error';
import type { Destination, Service, ServiceKey } from './model';
import { serviceId, serviceKey } from './model';
import { canonicalIP, ipFamily } from './ip';
import { endpoint, fwmark, integer, own, type Line } from './text';

export function configOf(s: Service): ServiceConfig {
  const c: Record<string, unknown> = { protocol: s.protocol, scheduler: s.scheduler, flags: s.flags, ops: s.ops };
  for (const k of ['address', 'port', 'fwmark', 'ipv6', 'persistent', 'netmask', 'pe'] as const)
    if (s[k] !== undefined) c[k] = s[k];
  return c as ServiceConfig;
}

export function destConfigOf(d: Destination): DestinationConfig {
  const c: Record<string, unknown> = {
    address: d.address,
    port: d.port,
    forward: d.forward === 'local' || d.forward === 'bypass' ? 'route' : d.forward,
    weight: d.weight,
  };
  for (const k of ['upperThreshold', 'lowerThreshold', 'tunnelType', 'tunnelPort', 'tunnelChecksum'] as const) {
    if (d[k] !== undefined) c[k] = d[k];
  }
  return c as DestinationConfig;
}

/** ipvsadm -S -n text for services (one line per service, then one per destination). Validates everything. */
export function renderSave(services: readonly Service[]): string {
  const out: string[] = [];
  services.forEach((s, i) => {
    try {
      const config = configOf(s);
      out.push(editArgv({ kind: 'add-service', service: config }).join(' '));
      const key = serviceKey(s);
      s.destinations.forEach((d, j) => {
        try {
          out.push(editArgv({ kind: 'add-destination', service: key, destination: destConfigOf(d) }).join(' '));
        } catch (e) {
          throw underField(e, (field) => `destinations[${j}].${field.replace(/^destination\./, '')}`);
        }
      });
    } catch (e) {
      throw underField(e, (field) => `services[${i}].${field.replace(/^service\./, '')}`);
    }
  });
  return out.length ? out.join('\n') + '\n' : '';
}

const LONG: Record<string, string> = {
  '--add-service': '-A',
  '--edit-service': '-E',
  '--add-server': '-a',
  '--edit-server': '-e',
  '--tcp-service': '-t',
  '--udp-service': '-u',
  '--fwmark-service': '-f',
  '--scheduler': '-s',
  '--persistent': '-p',
  '--netmask': '-M',
  '--sched-flags': '-b',
  '--real-server': '-r',
  '--gatewaying': '-g',
  '--masquerading': '-m',
  '--ipip': '-i',
  '--weight': '-w',
  '--u-threshold': '-x',
  '--l-threshold': '-y',
  '--ops': '-o',
  '--ipv6': '-6',
};
/** ipvsadm's timeout for a bare -p (seen in the lab: `-p` alone lists as persistent 360). */
const DEFAULT_PERSISTENCE = 360;

/** Parse restore-format text into services. Every line must be an -A or -a; anything else is a ParseError. */
export function parseSave(text: string): Service[] {
  const services: Service[] = [];
  const byId = new Map<string, Service>();
  text.split('\n').forEach((raw, idx) => {
    const line: Line = { n: idx + 1, text: raw.replace(/\r$/, '') };
    const trimmed = line.text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const tok = trimmed.split(/\s+/).map((t) => own(LONG, t) ?? t);
    const cmd = tok[0];
    if (cmd !== '-A' && cmd !== '-a')
      throw new ParseError(line.n, line.text, `expected -A (service) or -a (real server), got ${JSON.stringify(cmd)}`);
    const opts = options(tok.slice(1), line);
    const key = keyFrom(opts, line);
    const id = serviceId(key);
    if (cmd === '-A') {
      if (byId.has(id)) throw new ParseError(line.n, line.text, `service ${id} is defined twice`);
      const svc = serviceFrom(key, opts, line);
      validLine(line, () => editArgv({ kind: 'add-service', service: configOf(svc) }));
      byId.set(id, svc);
      services.push(svc);
    } else {
      const svc = byId.get(id);
      if (!svc) throw new ParseError(line.n, line.text, `real server for ${id} before its service (-A) line`);
      const d = destinationFrom(opts, line, svc.port ?? 0);
      validLine(line, () => editArgv({ kind: 'add-destination', service: key, destination: destConfigOf(d) }));
      if (svc.destinations.some((x) => x.address === d.address && x.port === d.port)) {
        throw new ParseError(line.n, line.text, `real server ${d.address}:${d.port} is listed twice in ${id}`);
      }
      svc.destinations.push(d);
    }
  });
  return services;
}

/** Every line must also be a valid edit (addresses, schedulers, flags...): reported with its line number. */
function validLine(line: Line, check: () => unknown): void {
  try {
    check();
  } catch (e) {
    if (e instanceof ApiError && e.code === 'invalid') throw new ParseError(line.n, line.text, e.message);
    throw e;
  }
}

type Opts = Map<string, string | true>;
const FLAG_OPTS = new Set(['-g', '-m', '-i', '-o', '-6', '--tun-nocsum', '--tun-csum', '--tun-remcsum']);

function options(tok: string[], line: Line): Opts {
  const o: Opts = new Map();
  for (let i = 0; i < tok.length; i++) {
    const t = tok[i] as string;
    if (!t.startsWith('-')) throw new ParseError(line.n, line.text, `unexpected ${JSON.stringify(t)}`);
    if (o.has(t)) throw new ParseError(line.n, line.text, `${t} given twice`);
    if (FLAG_OPTS.has(t)) o.set(t, true);
    else if (t === '-p') {
      const next = tok[i + 1];
      if (next !== undefined && /^\d+$/.test(next)) {
        o.set(t, next);
        i++;
      } else o.set(t, String(DEFAULT_PERSISTENCE));
    } else {
      const v = tok[++i];
      const negativeMark = t === '-f' && v !== undefined && /^-\d+$/.test(v);
      if (v === undefined || (v.startsWith('-') && !negativeMark))
        throw new ParseError(line.n, line.text, `${t} needs a value`);
      o.set(t, v);
    }
  }
  return o;
}

function keyFrom(o: Opts, line: Line): ServiceKey {
  const given = ['-t', '-u', '--sctp-service', '-f'].filter((k) => o.has(k));
  if (given.length !== 1)
    throw new ParseError(line.n, line.text, 'exactly one of -t, -u, --sctp-service, -f is needed');
  const opt = given[0] as string;
  const v = o.get(opt) as string;
  if (opt === '-f') {
    // ipvsadm -S prints marks of 2^31 and more negative (and its -R refuses them): read both forms
    const mark = fwmark(v, line);
    return o.has('-6') ? { protocol: 'fwmark', fwmark: mark, ipv6: true } : { protocol: 'fwmark', fwmark: mark };
  }
  const ep = endpoint(v, line, 'virtual address');
  if (typeof ep.port !== 'number')
    throw new ParseError(line.n, line.text, 'virtual port must be numeric (ipvsadm -S -n)');
  const protocol = opt === '-t' ? 'tcp' : opt === '-u' ? 'udp' : 'sctp';
  return { protocol, address: ep.address, port: ep.port };
}

function serviceFrom(key: ServiceKey, o: Opts, line: Line): Service {
  const allowed = new Set(['-t', '-u', '--sctp-service', '-f', '-6', '-s', '-b', '-p', '-M', '-o', '--pe']);
  for (const k of o.keys())
    if (!allowed.has(k)) throw new ParseError(line.n, line.text, `${k} is not a service option`);
  const svc: Service = {
    ...key,
    scheduler: (o.get('-s') as string | undefined) ?? 'wlc',
    flags: [],
    ops: o.has('-o'),
    destinations: [],
  };
  const b = o.get('-b');
  if (typeof b === 'string') svc.flags = b.split(',').filter(Boolean);
  const p = o.get('-p');
  if (typeof p === 'string') svc.persistent = integer(p, line, 'persistent timeout');
  const m = o.get('-M');
  if (typeof m === 'string') svc.netmask = m;
  const pe = o.get('--pe');
  if (typeof pe === 'string') svc.pe = pe;
  return svc;
}

/** `defaultPort`: a real server given without a port takes the service's (ipvsadm does the same). */
function destinationFrom(o: Opts, line: Line, defaultPort: number): Destination {
  const allowed = new Set([
    '-t',
    '-u',
    '--sctp-service',
    '-f',
    '-6',
    '-r',
    '-g',
    '-m',
    '-i',
    '-w',
    '-x',
    '-y',
    '--tun-type',
    '--tun-port',
    '--tun-nocsum',
    '--tun-csum',
    '--tun-remcsum',
  ]);
  for (const k of o.keys())
    if (!allowed.has(k)) throw new ParseError(line.n, line.text, `${k} is not a real server option`);
  const r = o.get('-r');
  if (typeof r !== 'string') throw new ParseError(line.n, line.text, '-r (real server) is needed');
  const ep = ipFamily(r) !== 0 ? { address: canonicalIP(r), port: defaultPort } : endpoint(r, line, 'real server');
  if (typeof ep.port !== 'number')
    throw new ParseError(line.n, line.text, 'real server port must be numeric (ipvsadm -S -n)');
  const fwd = ['-m', '-g', '-i'].filter((k) => o.has(k));
  if (fwd.length > 1) throw new ParseError(line.n, line.text, 'only one of -g, -m, -i');
  const forward = fwd[0] === '-m' ? 'masq' : fwd[0] === '-i' ? 'tunnel' : 'route';
  const w = o.get('-w');
  const d: Destination = {
    address: ep.address,
    port: ep.port,
    forward,
    weight: typeof w === 'string' ? integer(w, line, 'weight', 65535) : 1,
    activeConns: 0,
    inactiveConns: 0,
  };
  const x = o.get('-x');
  if (typeof x === 'string') d.upperThreshold = integer(x, line, 'upper threshold');
  const y = o.get('-y');
  if (typeof y === 'string') d.lowerThreshold = integer(y, line, 'lower threshold');
  const tt = o.get('--tun-type');
  if (typeof tt === 'string') {
    if (tt !== 'ipip' && tt !== 'gue' && tt !== 'gre')
      throw new ParseError(line.n, line.text, `unknown tunnel type ${JSON.stringify(tt)}`);
    d.tunnelType = tt;
  }
  const tp = o.get('--tun-port');
  if (typeof tp === 'string') d.tunnelPort = integer(tp, line, 'tunnel port', 65535);
  for (const c of ['nocsum', 'csum', 'remcsum'] as const) if (o.has(`--tun-${c}`)) d.tunnelChecksum = c;
  return d;
}
