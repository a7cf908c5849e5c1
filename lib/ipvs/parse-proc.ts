// Parsers for the kernel's own files: /proc/net/ip_vs (services, hex addresses, persistence in jiffies) and
// /proc/net/ip_vs_stats (hex totals and rates). /proc/net/ip_vs_conn is in parse-conns.ts.
import { ParseError } from './parse-error';
import { ipv4FromHex, ipv6FromProc } from './ip';
import type { Rate, Service, Stats } from './model';
import { FORWARD_BY_NAME, LISTED_PROTOCOLS, integer, lines, own, words, type Line } from './text';

export interface ProcOptions {
  /** The kernel's HZ: /proc/net/ip_vs prints persistence timeouts in jiffies. Debian's kernels use 250. */
  hz?: number;
}

function hexPort(text: string, line: Line, what: string): number {
  if (!/^[0-9A-Fa-f]{4}$/.test(text))
    throw new ParseError(line.n, line.text, `${what}: expected 4 hex digits, got ${JSON.stringify(text)}`);
  return parseInt(text, 16);
}

/** `0A01000A:0050` or `[2001:0db8:...:0010]:0050`. */
function hexEndpoint(word: string | undefined, line: Line, what: string): { address: string; port: number } {
  const w = word ?? '';
  const colon = w.lastIndexOf(':');
  const addrText = w.startsWith('[') ? w.slice(1, colon - 1) : w.slice(0, colon);
  const address = w.startsWith('[') ? ipv6FromProc(addrText) : ipv4FromHex(addrText);
  if (colon < 0 || address === null)
    throw new ParseError(line.n, line.text, `${what}: expected HEXADDR:PORT, got ${JSON.stringify(w)}`);
  return { address, port: hexPort(w.slice(colon + 1), line, what) };
}

/** The kernel prints the IPv4 netmask as 8 hex digits; for IPv6 it prints the prefix length stored in network
 * order through ntohl (64 → 40000000), so swap the bytes back. Returns undefined for the default (/32, /128). */
function procNetmask(text: string | undefined, v6: boolean, line: Line): string | undefined {
  if (!text || !/^[0-9A-Fa-f]{8}$/.test(text))
    throw new ParseError(line.n, line.text, `netmask: expected 8 hex digits, got ${JSON.stringify(text ?? '')}`);
  const n = parseInt(text, 16);
  if (v6) {
    const plen = ((n & 0xff) << 24) | (((n >>> 8) & 0xff) << 16) | (((n >>> 16) & 0xff) << 8) | (n >>> 24);
    return plen === 128 ? undefined : String(plen >>> 0);
  }
  return n === 0xffffffff ? undefined : (ipv4FromHex(text) ?? undefined);
}

export function parseProcServices(text: string, opts: ProcOptions = {}): Service[] {
  const hz = opts.hz ?? 250;
  const all = lines(text);
  const expect = ['IP Virtual Server version', 'Prot LocalAddress:Port', '-> RemoteAddress:Port'];
  expect.forEach((prefix, i) => {
    const l = all[i];
    if (!l || !l.text.trimStart().startsWith(prefix)) {
      throw new ParseError(l?.n ?? i + 1, l?.text ?? '', `expected the /proc/net/ip_vs header "${prefix} ..."`);
    }
  });
  const services: Service[] = [];
  let current: Service | undefined;
  for (const line of all.slice(3)) {
    const w = words(line.text);
    if (w[0] === '->') {
      if (!current) throw new ParseError(line.n, line.text, 'real server line before any virtual service');
      const ep = hexEndpoint(w[1], line, 'real server');
      const forward = own(FORWARD_BY_NAME, w[2]);
      if (!forward) throw new ParseError(line.n, line.text, `unknown forwarding method ${JSON.stringify(w[2] ?? '')}`);
      if (w.length !== 6) throw new ParseError(line.n, line.text, `expected 6 columns, got ${w.length}`);
      current.destinations.push({
        ...ep,
        forward,
        weight: integer(w[3], line, 'weight', 65535),
        activeConns: integer(w[4], line, 'ActiveConn'),
        inactiveConns: integer(w[5], line, 'InActConn'),
      });
      // procfs does not say a fwmark service's family; its real servers do, except tunnel ones, which may be of the
      // other family (a service with tunnel real servers only reads as IPv4)
      if (current.protocol === 'fwmark' && forward !== 'tunnel' && ep.address.includes(':')) current.ipv6 = true;
      continue;
    }
    const protocol = own(LISTED_PROTOCOLS, w[0]);
    if (!protocol) throw new ParseError(line.n, line.text, `unknown protocol ${JSON.stringify(w[0] ?? '')}`);
    const svc: Service = { protocol, scheduler: '', flags: [], ops: false, destinations: [] };
    if (protocol === 'fwmark') {
      if (!/^[0-9A-Fa-f]{8}$/.test(w[1] ?? ''))
        throw new ParseError(line.n, line.text, 'fwmark: expected 8 hex digits');
      svc.fwmark = parseInt(w[1] as string, 16);
    } else {
      const ep = hexEndpoint(w[1], line, 'virtual address');
      svc.address = ep.address;
      svc.port = ep.port;
    }
    const scheduler = w[2];
    if (!scheduler) throw new ParseError(line.n, line.text, 'missing scheduler');
    svc.scheduler = scheduler;
    for (let k = 3; k < w.length; k++) {
      if (w[k] === 'ops') svc.ops = true;
      else if (w[k] === 'persistent') {
        const jiffies = integer(w[k + 1], line, 'persistent timeout (jiffies)');
        svc.persistent = Math.round(jiffies / hz);
        const mask = procNetmask(w[k + 2], (svc.address ?? '').includes(':'), line);
        if (mask !== undefined) svc.netmask = mask;
        k += 2;
      } else throw new ParseError(line.n, line.text, `unknown service option ${JSON.stringify(w[k])}`);
    }
    services.push(svc);
    current = svc;
  }
  return services;
}

function hexRow(line: Line | undefined, what: string): number[] {
  if (!line) throw new ParseError(0, '', `/proc/net/ip_vs_stats: missing ${what} row`);
  const w = words(line.text);
  if (w.length !== 5 || w.some((x) => !/^[0-9A-Fa-f]+$/.test(x))) {
    throw new ParseError(line.n, line.text, `${what}: expected 5 hex numbers`);
  }
  return w.map((x) => {
    const v = Number(BigInt(`0x${x}`));
    if (!Number.isSafeInteger(v)) throw new ParseError(line.n, line.text, `${what}: ${x} is over 2^53`);
    return v;
  });
}

/** /proc/net/ip_vs_stats: totals since the module loaded, and the current rates, both in hex. */
export function parseProcStats(text: string): { stats: Stats; rate: Rate } {
  const all = lines(text);
  if (!all[0] || !/^\s*Total\s+Incoming\s+Outgoing/.test(all[0].text)) {
    throw new ParseError(
      all[0]?.n ?? 1,
      all[0]?.text ?? '',
      'expected the "Total Incoming Outgoing" header of /proc/net/ip_vs_stats',
    );
  }
  if (!all[2] || !all[3] || !/Conns\/s/.test(all[3].text)) {
    throw new ParseError(all[3]?.n ?? 4, all[3]?.text ?? '', 'expected the "Conns/s Pkts/s ..." rate header');
  }
  const totals = hexRow(all[2], 'totals');
  const rates = hexRow(all[4], 'rates');
  const [conns = 0, inPkts = 0, outPkts = 0, inBytes = 0, outBytes = 0] = totals;
  const [cps = 0, inPps = 0, outPps = 0, inBps = 0, outBps = 0] = rates;
  const stats: Stats = { conns, inPkts, outPkts, inBytes, outBytes };
  const rate: Rate = { cps, inPps, outPps, inBps, outBps };
  return { stats, rate };
}
