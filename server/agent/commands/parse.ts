import { ApiError, invalidField } from '../../../lib/errors';
import {
  ParseError,
  listingToServices,
  parseConnList,
  parseDaemons,
  parseListing,
  parseProcConns,
  parseProcServices,
  parseProcStats,
  parseSave,
  parseTimeouts,
  type Listing,
} from '../../../lib/ipvs';
import type { Io } from './io';

const LISTINGS = {
  list: 'ipvsadm -Ln (or -L, names kept as text; or -Ln --tun-info)',
  stats: 'ipvsadm -Ln --stats [--exact]',
  rate: 'ipvsadm -Ln --rate [--exact]',
  thresholds: 'ipvsadm -Ln --thresholds',
  persistent: 'ipvsadm -Ln --persistent-conn',
  conns: 'ipvsadm -Lnc [--persistent-conn]',
  save: 'ipvsadm -S -n (the restore format)',
  timeout: 'ipvsadm -L --timeout',
  daemon: 'ipvsadm -L --daemon',
  'proc-ip_vs': 'cat /proc/net/ip_vs',
  'proc-conns': 'cat /proc/net/ip_vs_conn',
  'proc-stats': 'cat /proc/net/ip_vs_stats',
} as const;
type Kind = keyof typeof LISTINGS;
export const PARSE_KINDS = Object.keys(LISTINGS) as Kind[];

const HELP = `usage: lvs-agent parse <kind> [--hz N] < listing

Reads one listing on stdin and prints it as JSON:
${PARSE_KINDS.map((k) => `  ${k.padEnd(12)} ${LISTINGS[k]}`).join('\n')}

Output: {"services": [...]} for the service listings, {"connections": [...]} for conns and proc-conns,
the Timeouts object for timeout, {"daemons": [...]} for daemon, {"stats": ..., "rate": ...} for proc-stats.
Listings other than list and save carry only their own columns (stats: counters, thresholds: thresholds, ...).
  --hz N   the kernel's HZ for proc-ip_vs persistence timeouts (printed in jiffies; default 250)
Exit status 1 with a one-line error on bad input.`;

function expectFormat(listing: Listing, want: Listing['format'][]): Listing {
  if (!want.includes(listing.format)) {
    throw invalidField('input', `this is a ${listing.format} listing, not ${want.join(' or ')}`);
  }
  return listing;
}

export function parseKind(kind: Kind, text: string, hz: number): unknown {
  switch (kind) {
    case 'list': {
      const l = expectFormat(parseListing(text), ['list', 'tun-info']);
      return { services: l.named ? l.services : listingToServices(l) };
    }
    case 'stats':
    case 'rate':
    case 'thresholds':
    case 'persistent':
      return { services: expectFormat(parseListing(text), [kind]).services };
    case 'conns':
      return { connections: parseConnList(text).toArray() };
    case 'proc-conns':
      return { connections: parseProcConns(text).toArray() };
    case 'save':
      return { services: parseSave(text) };
    case 'timeout':
      return parseTimeouts(text);
    case 'daemon':
      return { daemons: parseDaemons(text) };
    case 'proc-ip_vs':
      return { services: parseProcServices(text, { hz }) };
    case 'proc-stats':
      return parseProcStats(text);
  }
}

export function runParse(args: string[], io: Io): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP + '\n');
    return 0;
  }
  const [kind, ...opts] = args;
  if (!kind || !(kind in LISTINGS)) {
    io.err(
      `lvs-agent parse: ${kind ? `unknown kind ${JSON.stringify(kind)}` : 'missing kind'} (one of: ${PARSE_KINDS.join(', ')})\n`,
    );
    return 2;
  }
  let hz = 250;
  for (let i = 0; i < opts.length; i++) {
    if (opts[i] === '--hz' && /^\d+$/.test(opts[i + 1] ?? '') && Number(opts[i + 1]) > 0) hz = Number(opts[++i]);
    else {
      io.err(`lvs-agent parse: unknown option ${JSON.stringify(opts[i])}\n`);
      return 2;
    }
  }
  try {
    io.out(JSON.stringify(parseKind(kind as Kind, io.stdin(), hz)) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof ParseError || e instanceof ApiError) {
      io.err(`lvs-agent parse ${kind}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
