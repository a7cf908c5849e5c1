// The netlink reader's stream (native/ipvs-dump.c) decodes to the model the ipvsadm listings give: on captures of
// both taken from one moment of the lab's real kernel (`lab capture`, __fixtures__/lab/netlink/): the rich table
// (every scheduler, sh/mh flags, ops, persistence with masks, pe sip, SCTP, IPv6, thresholds, every tunnel type), the
// same with two sync daemons, and the edge table (fwmarks >= 2^31, tunnels of the other address family).
import { describe, expect, it } from 'vitest';
import {
  ParseError,
  decodeIpvsDump,
  listingToTable,
  mergeListing,
  parseDaemons,
  parseListing,
  parseTimeouts,
  serviceId,
  serviceKey,
  type Service,
} from '..';
import { fixture } from './fixtures';

const nl = (name: string) => fixture(`netlink/${name}`);

/** What the agent's ipvsadm backend makes of the same moment's listings (IpvsadmBackend.readServices, then the
 * agent's merge of the template counts). */
function ipvsadmModel(table: string): Service[] {
  const config = listingToTable(parseListing(nl(`${table}.Ln-tun-info.txt`), { lenient: true }));
  expect(config.problems).toEqual([]);
  let services = config.services;
  for (const slice of ['Ln-thresholds', 'Ln-stats-exact', 'Ln-rate-exact'])
    services = mergeListing(services, parseListing(nl(`${table}.${slice}.txt`)));
  return mergeListing(services, parseListing(nl(`${table}.Ln-persistent-conn.txt`)), ['persistConns']);
}

/** The table without the connection counts of its real servers, which move between two reads of a busy table. */
const withoutGauges = (services: Service[]) =>
  services.map((s) => ({
    ...s,
    destinations: s.destinations.map(({ activeConns: _a, inactiveConns: _i, ...rest }) => rest),
  }));

describe.each(['rich', 'daemons', 'edge'])('the %s table read by netlink and by ipvsadm', (table) => {
  const dump = decodeIpvsDump(nl(`${table}.ipvs-dump.jsonl`));

  it('gives the same services and real servers, in the same order, with the same configuration and counters', () => {
    expect(dump.problems).toEqual([]);
    const ipvsadm = ipvsadmModel(table);
    expect(dump.services.map((s) => serviceId(serviceKey(s)))).toEqual(ipvsadm.map((s) => serviceId(serviceKey(s))));
    expect(withoutGauges(dump.services)).toEqual(withoutGauges(ipvsadm));
  });

  it('gives connection counts between those of the listings taken just before and just after it', () => {
    // --thresholds was listed before the dump, --persistent-conn after: connections ending meanwhile move them
    const before = parseListing(nl(`${table}.Ln-thresholds.txt`)).services;
    const after = parseListing(nl(`${table}.Ln-persistent-conn.txt`)).services;
    let compared = 0;
    dump.services.forEach((svc, i) =>
      svc.destinations.forEach((d, j) => {
        for (const k of ['activeConns', 'inactiveConns'] as const) {
          const a = before[i]?.destinations[j]?.[k] as number;
          const b = after[i]?.destinations[j]?.[k] as number;
          expect(d[k]).toBeGreaterThanOrEqual(Math.min(a, b));
          expect(d[k]).toBeLessThanOrEqual(Math.max(a, b));
          compared++;
        }
      }),
    );
    expect(compared).toBe(2 * dump.services.reduce((n, s) => n + s.destinations.length, 0));
  });

  it('gives the same timeouts and sync daemons', () => {
    expect(dump.timeouts).toEqual(parseTimeouts(nl(`${table}.L-timeout.txt`)));
    expect(dump.daemons).toEqual(parseDaemons(nl(`${table}.L-daemon.txt`)));
  });
});

type Row = unknown[];
/** Field positions of the stream's records (version 2, native/ipvs-dump.c), as the tests edit them. */
const SVC = { protocol: 2, addr: 3, port: 4, sched: 6, pe: 10, conns: 11 };
const DEST = { af: 1, addr: 2, port: 3, weight: 5, tunType: 11 };

describe('a stream that is not a whole dump', () => {
  const whole = nl('edge.ipvs-dump.jsonl');
  const lines = whole.trimEnd().split('\n');
  const rows = lines.map((l) => JSON.parse(l) as Row);
  /** The line index of the first record `which` holds. */
  const find = (which: (r: Row) => boolean) => {
    const i = rows.findIndex(which);
    expect(i).toBeGreaterThan(0);
    return i;
  };
  const svc9100 = find((r) => r[0] === 'svc' && r[SVC.addr] === '10.1.0.10' && r[SVC.port] === 9100);
  const v6Gre = find((r) => r[0] === 'dest' && r[DEST.addr] === '2001:db8:3::33');
  const timeouts = find((r) => r[0] === 'timeouts');
  /** The stream with line `i` replaced by `edit` of its record. */
  const edited = (i: number, edit: (r: Row) => Row) =>
    lines.map((l, j) => (j === i ? JSON.stringify(edit([...(rows[j] as Row)])) : l)).join('\n');
  const set = (i: number, at: number, value: unknown) => edited(i, (r) => ((r[at] = value), r));

  it('is refused when cut short (no end line), naming the last line', () => {
    expect(() => decodeIpvsDump(lines.slice(0, -3).join('\n'))).toThrow(
      /no end line: the ipvs-dump stream was cut short/,
    );
  });

  it('is refused when the end line counts other records than came', () => {
    const withoutADest = lines.filter((_, i) => i !== v6Gre);
    expect(() => decodeIpvsDump(withoutADest.join('\n'))).toThrow(
      /the end line counts 5 services and 12 real servers, the stream held 5 and 11/,
    );
  });

  it('is refused with a line that is not one JSON record, naming that line (two records joined on one too)', () => {
    for (const garbled of [lines[3]?.slice(0, 40), `${lines[3]},${lines[4]}`]) {
      const text = [...lines.slice(0, 3), garbled, ...lines.slice(4)].join('\n');
      expect(() => decodeIpvsDump(text)).toThrow(ParseError);
      expect(() => decodeIpvsDump(text)).toThrow(/line 4: .*not a JSON record of ipvs-dump/);
    }
  });

  it('is refused in another stream version (the objects of version 1 too), naming both', () => {
    expect(lines[0]).toBe('["ipvs-dump",2]');
    for (const header of ['["ipvs-dump",1]', '{"t":"ipvs-dump","version":1}'])
      expect(() => decodeIpvsDump([header, ...lines.slice(1)].join('\n'))).toThrow(
        /^line 1: ipvs-dump stream version 1, this agent reads 2/,
      );
  });

  it('is refused with a record missing a field or holding a value out of its range, naming the line and the field', () => {
    const cases: [text: string, line: number, field: RegExp][] = [
      [set(svc9100, SVC.addr, '10.1.0.010'), svc9100, /addr: not an IPv4 or IPv6 address/],
      [set(v6Gre, DEST.addr, '2001:db8:3::33::1'), v6Gre, /addr: not an IPv4 or IPv6 address/],
      [set(v6Gre, DEST.port, 65536), v6Gre, /port: expected an integer from 0 to 65535/],
      [set(v6Gre, DEST.weight, 65536), v6Gre, /weight: expected an integer from 0 to 65535/],
      [set(v6Gre, DEST.weight, -1), v6Gre, /weight: /],
      [set(v6Gre, DEST.weight, 1.5), v6Gre, /weight: /],
      [set(v6Gre, DEST.weight, '1'), v6Gre, /weight: /],
      [set(v6Gre, DEST.weight, null), v6Gre, /weight: /],
      [
        edited(v6Gre, (r) => r.filter((_, i) => i !== DEST.weight)),
        v6Gre,
        /record: a dest record has 23 fields, this one 22/,
      ],
      [set(v6Gre, DEST.af, 3), v6Gre, /af: expected 2 \(AF_INET\) or 10 \(AF_INET6\)/],
      [set(svc9100, SVC.sched, ''), svc9100, /sched: expected a non-empty string/],
      [set(svc9100, SVC.pe, null), svc9100, /pe: expected a string/],
      [edited(svc9100, (r) => r.slice(0, -1)), svc9100, /record: a svc record has 20 fields, this one 19/],
      [set(svc9100, SVC.conns, '0'), svc9100, /conns: expected a non-negative integer/],
      [set(svc9100, SVC.conns + 9, -1), svc9100, /outbps: expected a non-negative integer/],
      [set(svc9100, 0, 'service'), svc9100, /kind: expected one of ipvs-dump, svc, dest/],
      [set(timeouts, 1, '900'), timeouts, /tcp: /],
      [set(0, 1, '2'), 0, /version: expected an integer/],
      [[lines[0], '{"t":"svc"}', ...lines.slice(2)].join('\n'), 1, /record: expected a JSON array/],
    ];
    for (const [bad, i, field] of cases) {
      expect(bad).not.toBe(whole);
      expect(() => decodeIpvsDump(bad)).toThrow(ParseError);
      expect(() => decodeIpvsDump(bad)).toThrow(new RegExp(`^line ${i + 1}: ${field.source}`));
    }
    const daemons = nl('daemons.ipvs-dump.jsonl');
    const badGroup = daemons.replace(',"224.0.0.81",', ',"224.0.0",');
    expect(badGroup).not.toBe(daemons);
    expect(() => decodeIpvsDump(badGroup)).toThrow(/group: not an IPv4 or IPv6 address/);
  });

  it('reads the sync daemon fields an older kernel does not send (null) as absent', () => {
    const daemons = nl('daemons.ipvs-dump.jsonl').trimEnd().split('\n');
    const at = daemons.findIndex((l) => l.startsWith('["daemon",1,'));
    const [kind, state, ifn, syncid] = JSON.parse(daemons[at] as string) as Row;
    daemons[at] = JSON.stringify([kind, state, ifn, syncid, null, null, null, null]);
    expect(decodeIpvsDump(daemons.join('\n')).daemons).toContainEqual({
      state: 'master',
      mcastInterface: 'lo',
      syncId: syncid,
    });
  });

  it('keeps the rest of the table when one record names what the model has no word for, and says which', () => {
    const d = decodeIpvsDump(set(svc9100, SVC.protocol, 33));
    expect(d.services.map((s) => serviceId(serviceKey(s)))).not.toContain('tcp/10.1.0.10:9100');
    expect(d.services).toHaveLength(4);
    expect(d.problems).toEqual([
      expect.objectContaining({ lineNumber: svc9100 + 1, reason: 'protocol: unknown IP protocol 33' }),
    ]);
    expect(d.problems[0]?.line).toMatch(/^\["svc",2,33,"10\.1\.0\.10",9100,/);
    expect(rows[v6Gre]?.[DEST.tunType]).toBe(2);
    const t = decodeIpvsDump(set(v6Gre, DEST.tunType, 7));
    expect(t.problems).toEqual([
      expect.objectContaining({ reason: 'tunnelType: unknown tunnel type 7', service: 'tcp/10.1.0.10:9100' }),
    ]);
    expect(t.services.find((s) => s.port === 9100 && s.address === '10.1.0.10')?.destinations).toHaveLength(3);
  });
});
