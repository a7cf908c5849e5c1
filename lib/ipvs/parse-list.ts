// Parser for every `ipvsadm -L` service listing: plain (-Ln / -L), --stats, --rate, --thresholds, --persistent-conn,
// --tun-info, with or without --exact. Each listing shows a different slice of the table; the agent merges slices.
import { ParseError, problemOf, type ParseProblem } from './parse-error';
import { serviceId, serviceKey, type Destination, type Rate, type Service, type Stats } from './model';
import {
  FORWARD_BY_NAME,
  LISTED_PROTOCOLS,
  counter,
  endpoint,
  fwmark,
  integer,
  lines,
  own,
  words,
  type Line,
} from './text';

export type ListingFormat = 'list' | 'tun-info' | 'stats' | 'rate' | 'thresholds' | 'persistent';

export type ListedDestination = Partial<Omit<Destination, 'port'>> & { address: string; port: number | string };
export type ListedService = Partial<Omit<Service, 'destinations' | 'port'>> &
  Pick<Service, 'protocol'> & { port?: number | string; destinations: ListedDestination[] };

export interface Listing {
  format: ListingFormat;
  services: ListedService[];
  /** True when ipvsadm printed names (-L without -n): some ports are service names, addresses may be host names. */
  named: boolean;
  /** Lines skipped by a lenient parse (a service line takes its real server lines with it); empty otherwise. */
  problems: ParseProblem[];
}

export interface ListingOptions {
  /** Skip a line that cannot be read and report it in `problems` instead of throwing (the header must still read).
   * For numeric listings (-n): an address that is not an IP is then such a line. */
  lenient?: boolean;
}

const STAT_KEYS = ['conns', 'inPkts', 'outPkts', 'inBytes', 'outBytes'] as const;
const RATE_KEYS = ['cps', 'inPps', 'outPps', 'inBps', 'outBps'] as const;

function detectFormat(header: Line): ListingFormat {
  const w = words(header.text);
  if (w[0] !== 'Prot' || w[1] !== 'LocalAddress:Port') {
    throw new ParseError(header.n, header.text, 'expected the "Prot LocalAddress:Port ..." header of ipvsadm -L');
  }
  const rest = w.slice(2).join(' ');
  if (rest === 'Scheduler Flags') return 'list';
  if (rest === 'Conns InPkts OutPkts InBytes OutBytes') return 'stats';
  if (rest === 'CPS InPPS OutPPS InBPS OutBPS') return 'rate';
  if (rest === 'Uthreshold Lthreshold ActiveConn InActConn') return 'thresholds';
  if (rest === 'Weight PersistConn ActiveConn InActConn') return 'persistent';
  throw new ParseError(header.n, header.text, 'unknown listing header');
}

export function parseListing(text: string, opts: ListingOptions = {}): Listing {
  const all = lines(text);
  let i = 0;
  if (all[0]?.text.startsWith('IP Virtual Server version')) i++;
  const header = all[i];
  if (!header) {
    const first = all[0];
    throw new ParseError(first?.n ?? 1, first?.text ?? '', 'no listing header: is this ipvsadm -L output?');
  }
  let format = detectFormat(header);
  const destHeader = all[i + 1];
  if (!destHeader || !destHeader.text.trimStart().startsWith('-> RemoteAddress:Port')) {
    throw new ParseError(
      destHeader?.n ?? header.n + 1,
      destHeader?.text ?? '',
      'expected the "-> RemoteAddress:Port" header',
    );
  }
  if (format === 'list' && words(destHeader.text)[3] === 'TunnelInfo') format = 'tun-info';
  const listing: Listing = { format, services: [], named: false, problems: [] };
  let current: ListedService | undefined;
  /** The service line of `current` could not be read: its real server lines go with it. */
  let skipping = false;
  for (const line of all.slice(i + 2)) {
    const isDestination = line.text.trimStart().startsWith('->');
    try {
      if (isDestination) {
        if (skipping) continue;
        if (!current) throw new ParseError(line.n, line.text, 'real server line before any virtual service');
        const d = parseDestination(line, format, opts.lenient === true);
        if (typeof d.port === 'string') listing.named = true;
        current.destinations.push(d);
      } else {
        skipping = false;
        current = parseService(line, format, opts.lenient === true);
        if (typeof current.port === 'string') listing.named = true;
        listing.services.push(current);
      }
    } catch (e) {
      if (!opts.lenient || !(e instanceof ParseError)) throw e;
      if (isDestination && current) {
        listing.problems.push(problemOf(e, listedServiceId(current)));
      } else {
        // a service line that did not read, or a real-server line with no service (a mangled service line looks
        // like one): the real-server lines under it belong to no service we have, one problem says so
        skipping = true;
        current = undefined;
        const id = isDestination ? undefined : serviceIdOfLine(line);
        listing.problems.push(problemOf(e, id));
      }
    }
  }
  return listing;
}

function parseService(line: Line, format: ListingFormat, numeric: boolean): ListedService {
  const w = words(line.text);
  const protocol = own(LISTED_PROTOCOLS, w[0]);
  if (!protocol) throw new ParseError(line.n, line.text, `unknown protocol ${JSON.stringify(w[0])}`);
  const svc: ListedService = { protocol, destinations: [] };
  let k = 1;
  if (protocol === 'fwmark') {
    svc.fwmark = fwmark(w[k++], line);
    if (w[k] === 'IPv6') {
      svc.ipv6 = true;
      k++;
    }
  } else {
    const ep = endpoint(w[k++], line, 'virtual address', numeric);
    svc.address = ep.address;
    svc.port = ep.port;
  }
  if (format === 'stats' || format === 'rate') {
    if (format === 'stats') svc.stats = stats(w, k, line);
    else svc.rate = rate(w, k, line);
    return svc;
  }
  const scheduler = w[k++];
  if (!scheduler) throw new ParseError(line.n, line.text, 'missing scheduler');
  svc.scheduler = scheduler;
  svc.flags = [];
  svc.ops = false;
  while (k < w.length) {
    const tok = w[k++] as string;
    if (tok.startsWith('(') && tok.endsWith(')')) {
      svc.flags = tok.slice(1, -1).split(',').filter(Boolean);
    } else if (tok === 'persistent') {
      svc.persistent = integer(w[k++], line, 'persistent timeout');
    } else if (tok === 'mask') {
      const m = w[k++];
      if (!m) throw new ParseError(line.n, line.text, 'mask without a value');
      svc.netmask = m;
    } else if (tok === 'ops') {
      svc.ops = true;
    } else if (tok === 'pe') {
      const pe = w[k++];
      if (!pe) throw new ParseError(line.n, line.text, 'pe without a name');
      svc.pe = pe;
    } else {
      throw new ParseError(line.n, line.text, `unknown service option ${JSON.stringify(tok)}`);
    }
  }
  return svc;
}

function forward(word: string | undefined, line: Line): Destination['forward'] {
  const f = own(FORWARD_BY_NAME, word);
  if (!f) throw new ParseError(line.n, line.text, `unknown forwarding method ${JSON.stringify(word ?? '')}`);
  return f;
}

function parseDestination(line: Line, format: ListingFormat, numeric: boolean): ListedDestination {
  const w = words(line.text); // w[0] is the arrow
  const ep = endpoint(w[1], line, 'real server address', numeric);
  const d: ListedDestination = { address: ep.address, port: ep.port };
  const columns = w.length - 2;
  const expect = (n: number) => {
    if (columns !== n) {
      throw new ParseError(
        line.n,
        line.text,
        `expected ${n} columns after the address for a ${format} listing, got ${columns}`,
      );
    }
  };
  switch (format) {
    case 'list':
      expect(4);
      d.forward = forward(w[2], line);
      d.weight = integer(w[3], line, 'weight', 65535);
      d.activeConns = integer(w[4], line, 'ActiveConn');
      d.inactiveConns = integer(w[5], line, 'InActConn');
      break;
    case 'tun-info':
      expect(5);
      d.forward = forward(w[2], line);
      Object.assign(d, tunnelInfo(w[3] ?? '', line));
      d.weight = integer(w[4], line, 'weight', 65535);
      d.activeConns = integer(w[5], line, 'ActiveConn');
      d.inactiveConns = integer(w[6], line, 'InActConn');
      break;
    case 'thresholds':
      expect(4);
      d.upperThreshold = integer(w[2], line, 'Uthreshold');
      d.lowerThreshold = integer(w[3], line, 'Lthreshold');
      d.activeConns = integer(w[4], line, 'ActiveConn');
      d.inactiveConns = integer(w[5], line, 'InActConn');
      break;
    case 'persistent':
      expect(4);
      d.weight = integer(w[2], line, 'weight', 65535);
      d.persistConns = integer(w[3], line, 'PersistConn');
      d.activeConns = integer(w[4], line, 'ActiveConn');
      d.inactiveConns = integer(w[5], line, 'InActConn');
      break;
    case 'stats':
      d.stats = stats(w, 2, line);
      break;
    case 'rate':
      d.rate = rate(w, 2, line);
      break;
  }
  return d;
}

/** The five counters from w[from] on, and whether any was rounded (a K/M/G/T suffix without --exact). */
function five(w: string[], from: number, line: Line, format: 'stats' | 'rate'): [number[], boolean] {
  if (w.length - from !== 5)
    throw new ParseError(line.n, line.text, `expected 5 ${format} columns, got ${w.length - from}`);
  const keys = format === 'stats' ? STAT_KEYS : RATE_KEYS;
  const values: number[] = [];
  let approximate = false;
  for (let i = 0; i < 5; i++) {
    const c = counter(w[from + i] as string, line, keys[i] as string);
    values.push(c.value);
    approximate ||= c.approximate;
  }
  return [values, approximate];
}

function stats(w: string[], from: number, line: Line): Stats {
  const [v, approximate] = five(w, from, line, 'stats');
  const out: Stats = { conns: v[0]!, inPkts: v[1]!, outPkts: v[2]!, inBytes: v[3]!, outBytes: v[4]! };
  if (approximate) out.approximate = true;
  return out;
}

function rate(w: string[], from: number, line: Line): Rate {
  const [v, approximate] = five(w, from, line, 'rate');
  const out: Rate = { cps: v[0]!, inPps: v[1]!, outPps: v[2]!, inBps: v[3]!, outBps: v[4]! };
  if (approximate) out.approximate = true;
  return out;
}

/** `n/a`, `ipip`, `gue:6080:-c`, `gre:+c` (ipvsadm --tun-info): -c no checksum, +c checksum, r+c remote checksum. */
function tunnelInfo(tok: string, line: Line): Partial<Destination> {
  if (tok === 'n/a') return {};
  const parts = tok.split(':');
  const type = parts[0];
  const csum = (c: string | undefined): Destination['tunnelChecksum'] => {
    if (c === '-c') return 'nocsum';
    if (c === '+c') return 'csum';
    if (c === 'r+c') return 'remcsum';
    throw new ParseError(line.n, line.text, `unknown tunnel checksum flag ${JSON.stringify(c ?? '')}`);
  };
  if (type === 'ipip' && parts.length === 1) return { tunnelType: 'ipip' };
  if (type === 'gue' && parts.length === 3) {
    return {
      tunnelType: 'gue',
      tunnelPort: integer(parts[1], line, 'tunnel port', 65535),
      tunnelChecksum: csum(parts[2]),
    };
  }
  if (type === 'gre' && parts.length === 2) return { tunnelType: 'gre', tunnelChecksum: csum(parts[1]) };
  throw new ParseError(line.n, line.text, `unknown tunnel info ${JSON.stringify(tok)}`);
}

function listedServiceId(s: ListedService): string | undefined {
  return typeof s.port === 'string' ? undefined : serviceId(serviceKey(s as Service));
}

/** The id of the service a line names, when at least its protocol and address (or fwmark) read. */
function serviceIdOfLine(line: Line): string | undefined {
  try {
    const w = words(line.text);
    const protocol = own(LISTED_PROTOCOLS, w[0]);
    if (!protocol) return undefined;
    if (protocol === 'fwmark') {
      const mark = fwmark(w[1], line);
      return serviceId(w[2] === 'IPv6' ? { protocol, fwmark: mark, ipv6: true } : { protocol, fwmark: mark });
    }
    const ep = endpoint(w[1], line, 'virtual address');
    return typeof ep.port === 'number' ? serviceId({ protocol, address: ep.address, port: ep.port }) : undefined;
  } catch (e) {
    if (e instanceof ParseError) return undefined;
    throw e;
  }
}
