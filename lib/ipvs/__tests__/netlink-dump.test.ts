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

describe('a stream that is not a whole dump', () => {
  const whole = nl('edge.ipvs-dump.jsonl');
  const lines = whole.trimEnd().split('\n');

  it('is refused when cut short (no end line), naming the last line', () => {
    expect(() => decodeIpvsDump(lines.slice(0, -3).join('\n'))).toThrow(
      /no end line: the ipvs-dump stream was cut short/,
    );
  });

  it('is refused when the end line counts other records than came', () => {
    const withoutADest = lines.filter((l, i) => !(l.includes('"t":"dest"') && i === 2));
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

  it('is refused in another stream version, or with a field the decoder does not know the type of', () => {
    expect(() => decodeIpvsDump(whole.replace('"version":1', '"version":2'))).toThrow(
      /stream version 2, this agent reads 1/,
    );
    const bad = whole.replace('"weight":1,', '"weight":"1",');
    expect(() => decodeIpvsDump(bad)).toThrow(ParseError);
    expect(() => decodeIpvsDump(bad)).toThrow(/weight/);
  });

  it('is refused with a record missing a field or holding a value out of its range, naming the line and the field', () => {
    const cases: [from: string, to: string, line: number, field: RegExp][] = [
      ['"addr":"10.1.0.10","port":9100', '"addr":"10.1.0.010","port":9100', 2, /addr: not an IPv4 or IPv6 address/],
      ['"addr":"2001:db8:3::33"', '"addr":"2001:db8:3::33::1"', 3, /addr: not an IPv4 or IPv6 address/],
      ['"port":9100,"fwd":2', '"port":65536,"fwd":2', 3, /port: expected an integer from 0 to 65535/],
      ['"weight":1,', '"weight":65536,', 3, /weight: expected an integer from 0 to 65535/],
      ['"weight":1,', '"weight":-1,', 3, /weight: /],
      ['"weight":1,', '"weight":1.5,', 3, /weight: /],
      ['"weight":1,', '', 3, /weight: /],
      ['"af":10,', '"af":3,', 3, /af: expected 2 \(AF_INET\) or 10 \(AF_INET6\)/],
      ['"sched":"rr"', '"sched":""', 2, /sched: expected a non-empty string/],
      ['"pe":""', '"pe":null', 2, /pe: expected a string/],
      ['"stats":[0,0,0,0,0,0,0,0,0,0]', '"stats":[0,0,0,0,0,0,0,0,0]', 2, /stats: expected ten non-negative/],
      ['"stats":[0,0,0,0,0,0,0,0,0,0]', '"stats":[0,0,0,0,0,0,0,0,0,"0"]', 2, /stats: expected ten non-negative/],
      ['"t":"svc"', '"t":"service"', 2, /t: expected one of ipvs-dump, svc, dest/],
      ['"tcp":900', '"tcp":"900"', lines.findIndex((l) => l.includes('"tcp":900')) + 1, /tcp: /],
      ['"version":1', '"version":"1"', 1, /version: expected an integer/],
    ];
    for (const [from, to, line, field] of cases) {
      const bad = whole.replace(from, to);
      expect(bad).not.toBe(whole);
      expect(() => decodeIpvsDump(bad)).toThrow(ParseError);
      expect(() => decodeIpvsDump(bad)).toThrow(new RegExp(`^line ${line}: ${field.source}`));
    }
    const daemons = nl('daemons.ipvs-dump.jsonl');
    const badGroup = daemons.replace('"group":"224.0.0.81"', '"group":"224.0.0"');
    expect(badGroup).not.toBe(daemons);
    expect(() => decodeIpvsDump(badGroup)).toThrow(/group: not an IPv4 or IPv6 address/);
    const notAnObject = [lines[0], '[1,2]', ...lines.slice(2)].join('\n');
    expect(() => decodeIpvsDump(notAnObject)).toThrow(/^line 2: record: expected a JSON object/);
  });

  it('keeps the rest of the table when one record names what the model has no word for, and says which', () => {
    const unknownProtocol = whole.replace(
      '"protocol":6,"addr":"10.1.0.10","port":9100',
      '"protocol":33,"addr":"10.1.0.10","port":9100',
    );
    const d = decodeIpvsDump(unknownProtocol);
    expect(d.services.map((s) => serviceId(serviceKey(s)))).not.toContain('tcp/10.1.0.10:9100');
    expect(d.services).toHaveLength(4);
    expect(d.problems).toEqual([
      expect.objectContaining({ lineNumber: 2, reason: 'protocol: unknown IP protocol 33' }),
    ]);
    const unknownTunnel = whole.replace('"tunType":2,', '"tunType":7,');
    const t = decodeIpvsDump(unknownTunnel);
    expect(t.problems).toEqual([
      expect.objectContaining({ reason: 'tunnelType: unknown tunnel type 7', service: 'tcp/10.1.0.10:9100' }),
    ]);
    expect(t.services.find((s) => s.port === 9100 && s.address === '10.1.0.10')?.destinations).toHaveLength(3);
  });
});
