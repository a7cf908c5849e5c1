// Fuzzing every parser with the lab's real captures, mutated: whatever a listing holds, a parser answers with data,
// with typed problems (lenient listings), or with a ParseError naming the line. Never a TypeError, a RangeError or a
// zod error escaping, never a hang.
import { ApiError } from '../../errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ParseError,
  listingToServices,
  listingToTable,
  parseConnList,
  parseDaemons,
  parseListing,
  parseProcConns,
  parseProcServices,
  parseProcStats,
  parseSave,
  parseTimeouts,
} from '..';
import { fixture } from './fixtures';

/** A parser and the captures it reads. */
const PARSERS: [string, (text: string) => unknown, string[]][] = [
  [
    'parseListing (strict) + listingToServices',
    (t) => {
      const l = parseListing(t);
      return l.named || (l.format !== 'list' && l.format !== 'tun-info') ? l : listingToServices(l);
    },
    [
      'list.Ln.txt',
      'tuninfo.Ln-tun-info.txt',
      'stats.Ln-stats.txt',
      'rate.Ln-rate.txt',
      'thresholds.Ln-thresholds.txt',
      'edge.Ln-tun-info.txt',
      'edge.Ln.txt',
      'list.L.txt',
    ],
  ],
  [
    'parseListing (lenient) + listingToTable',
    (t) => listingToTable(parseListing(t, { lenient: true })),
    [
      'list.Ln.txt',
      'tuninfo.Ln-tun-info.txt',
      'stats-exact.Ln-stats-exact.txt',
      'persistent.Ln-persistent-conn.txt',
      'edge.Ln-tun-info.txt',
      'edge.Ln-thresholds.txt',
    ],
  ],
  ['parseSave', parseSave, ['save.Sn.txt', 'edge.Sn.txt']],
  ['parseProcServices', (t) => parseProcServices(t), ['proc-ip_vs.txt', 'edge.proc-ip_vs.txt']],
  ['parseProcStats', parseProcStats, ['proc-ip_vs_stats.txt']],
  ['parseTimeouts', parseTimeouts, ['timeout.L-timeout.txt']],
  ['parseDaemons', parseDaemons, ['daemon-both.txt', 'daemon-master.txt']],
  [
    'parseConnList',
    (t) => parseConnList(t).toArray(),
    ['conns.Lnc.txt', 'conns-exact.Lnc-persistent-conn.txt', 'fwmark6.Lnc.txt'],
  ],
  [
    'parseProcConns',
    (t) => parseProcConns(t).toArray(),
    ['proc-ip_vs_conn.txt', 'fwmark.proc-ip_vs_conn.txt', 'fwmark6.proc-ip_vs_conn.txt'],
  ],
];

/** Tokens a listing could plausibly hold in a wrong place: numbers at the edges of their ranges, negative marks,
 * hex, addresses, brackets, flags, and plain junk. */
const token = fc.oneof(
  fc.constantFrom(
    '-1',
    '-0',
    '0',
    '4294967296',
    '-2147483649',
    '99999999999999999999',
    '65536',
    'FFFFFFFF',
    '1e3',
    '0x10',
  ),
  fc.constantFrom('[', ']', '[::]:', ':', '->', '(', ')', '(sh-port', ',', 'persistent', 'mask', 'pe', 'ops', 'IPv6'),
  fc.constantFrom(
    'FWM',
    'TCP',
    'UDP',
    'SCTP',
    'Masq',
    'Tunnel',
    'gue:1:-c',
    'gre:',
    'n/a',
    '-A',
    '-a',
    '-f',
    '-r',
    '-p',
    '-6',
  ),
  fc.constantFrom('__proto__', 'constructor', 'toString', 'NaN', 'Infinity', '\u0000', '\t', 'é', '12K', '3T'),
  fc.ipV4().map((a) => `${a}:80`),
  fc.ipV6().map((a) => `[${a}]:0`),
  fc.integer().map(String),
  fc.string({ maxLength: 12 }),
);

type Mutation =
  | { kind: 'replace'; line: number; word: number; with: string }
  | { kind: 'drop'; line: number; word: number }
  | { kind: 'insert'; line: number; word: number; with: string }
  | { kind: 'truncate'; line: number; at: number }
  | { kind: 'duplicate'; line: number }
  | { kind: 'delete'; line: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), line: fc.nat(), word: fc.nat(), with: token }),
  fc.record({ kind: fc.constant('drop' as const), line: fc.nat(), word: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), line: fc.nat(), word: fc.nat(), with: token }),
  fc.record({ kind: fc.constant('truncate' as const), line: fc.nat(), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), line: fc.nat() }),
);

function mutate(text: string, ms: readonly Mutation[]): string {
  const lines = text.split('\n');
  for (const m of ms) {
    if (!lines.length) break;
    const i = m.line % lines.length;
    const line = lines[i] ?? '';
    const words = line.split(/(\s+)/); // keeps the spacing, so untouched columns stay where ipvsadm put them
    const w = 'word' in m ? m.word % Math.max(1, words.length + 1) : 0;
    if (m.kind === 'replace') words[Math.min(w, words.length - 1)] = m.with;
    else if (m.kind === 'drop') words.splice(w, 1);
    else if (m.kind === 'insert') words.splice(w, 0, m.with, ' ');
    if (m.kind === 'truncate') lines[i] = line.slice(0, m.at % (line.length + 1));
    else if (m.kind === 'duplicate') lines.splice(i, 0, line);
    else if (m.kind === 'delete') lines.splice(i, 1);
    else lines[i] = words.join('');
  }
  return lines.join('\n');
}

/** Runs a parser; anything thrown must be a typed error that names the line (or the field). */
function typedOnly(parse: (text: string) => unknown, text: string): void {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof ParseError) {
      expect(e.lineNumber).toBeGreaterThanOrEqual(0);
      expect(e.reason).not.toBe('');
      return;
    }
    if (e instanceof ApiError) {
      expect(e.field).not.toBe('');
      return;
    }
    throw e;
  }
}

describe('every parser, fuzzed', () => {
  for (const [name, parse, captures] of PARSERS) {
    it(`${name}: mutated real captures give data, problems or a ParseError, nothing else`, () => {
      const texts = captures.map(fixture);
      fc.assert(
        fc.property(fc.nat({ max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (k, ms) => {
          typedOnly(parse, mutate(texts[k] as string, ms));
        }),
        { numRuns: 300 },
      );
    });

    it(`${name}: arbitrary text gives a ParseError, nothing else`, () => {
      fc.assert(
        fc.property(
          fc.array(
            fc.oneof(
              fc.string({ maxLength: 40 }),
              fc.array(token, { maxLength: 8 }).map((t) => t.join(' ')),
            ),
            { maxLength: 6 },
          ),
          (ls) => {
            typedOnly(parse, ls.join('\n'));
          },
        ),
        { numRuns: 200 },
      );
    });
  }

  it('a lenient listing keeps every line it can read: one bad line costs at most its own service', () => {
    const text = fixture('edge.Ln-tun-info.txt');
    const whole = listingToTable(parseListing(text, { lenient: true }));
    const lines = text.split('\n');
    fc.assert(
      fc.property(fc.integer({ min: 3, max: lines.length - 2 }), token, (i, junk) => {
        const bad = [...lines];
        bad[i] = `${junk} ${bad[i]} ${junk}`;
        const t = listingToTable(parseListing(bad.join('\n'), { lenient: true }));
        if (t.problems.length === 0) return; // the altered line still read
        expect(t.problems).toHaveLength(1);
        expect(t.problems[0]?.lineNumber).toBe(i + 1);
        expect(t.services.length).toBeGreaterThanOrEqual(whole.services.length - 1);
      }),
      // found by this property: the first service line wrapped in '->' read as a real server with no service, and
      // each real-server line under it became a problem of its own
      { numRuns: 200, examples: [[3, '->']] },
    );
  });
});
