// Lenient listings (the agent's): an unreadable line is skipped with a typed problem, the rest of the table reads, and
// the problems travel with the table state.
import { describe, expect, it } from 'vitest';
import {
  ParseError,
  applyDelta,
  blockingProblem,
  diffState,
  editedServiceId,
  listingToServices,
  listingToTable,
  parseListing,
  serviceId,
  serviceKey,
  type TableState,
} from '..';
import { fixture } from './fixtures';

const list = fixture('list.Ln.txt');
const at = (text: string, prefix: string) => text.split('\n').findIndex((l) => l.startsWith(prefix)) + 1;

describe('lenient listings', () => {
  it('skips a service line it cannot read with its real servers, and names the line, the reason and the service', () => {
    const text = list.replace(/^TCP {2}10\.1\.0\.10:80 wrr$/m, 'TCP  10.1.0.10:80 wrr quantum');
    expect(() => parseListing(text)).toThrow(ParseError); // strict, as before: the CLI and the tests
    const table = listingToTable(parseListing(text, { lenient: true }));
    const whole = listingToServices(parseListing(list));
    expect(table.services).toEqual(whole.filter((s) => serviceId(serviceKey(s)) !== 'tcp/10.1.0.10:80'));
    expect(table.problems).toEqual([
      {
        lineNumber: at(list, 'TCP  10.1.0.10:80 wrr'),
        line: 'TCP  10.1.0.10:80 wrr quantum',
        reason: 'unknown service option "quantum"',
        service: 'tcp/10.1.0.10:80',
      },
    ]);
  });

  it('skips one real server line and keeps its service; a line naming no service has no service', () => {
    const text = list.replace(/^( {2}-> 10\.2\.0\.12:80 +)Masq/m, '$1Warp').replace(/^FWM {2}1 /m, 'FWM  x ');
    const table = listingToTable(parseListing(text, { lenient: true }));
    const web = table.services.find((s) => serviceId(serviceKey(s)) === 'tcp/10.1.0.10:80');
    expect(web?.destinations.map((d) => d.address)).toEqual(['10.2.0.11']);
    expect(table.problems.map((p) => [p.reason, p.service])).toEqual([
      ['unknown forwarding method "Warp"', 'tcp/10.1.0.10:80'],
      ['fwmark: expected a number, got "x"', undefined],
    ]);
    expect(table.services.some((s) => s.fwmark === 1)).toBe(false);
  });

  it('reads names as problems in a lenient (numeric) listing: the agent always lists with -n', () => {
    const table = listingToTable(
      parseListing(list.replace('TCP  10.1.0.10:80 wrr', 'TCP  lvs-vip:http wrr'), { lenient: true }),
    );
    expect(table.problems[0]?.reason).toBe('virtual address: "lvs-vip" is not an IPv4 address');
  });

  it('carries problems in deltas, and clears them', () => {
    const services = listingToServices(parseListing(fixture('edge.Ln-tun-info.txt')));
    const base: TableState = { epoch: 'e1', version: 1, updatedAt: 1, services, daemons: [], owners: [] };
    const problem = { lineNumber: 3, line: 'FWM  x rr', reason: 'fwmark: expected a number, got "x"' };
    const degraded: TableState = { ...base, updatedAt: 2, problems: [problem] };
    const d1 = diffState(base, degraded);
    expect(d1?.problems).toEqual([problem]);
    expect(applyDelta(base, d1!)).toEqual(degraded);
    const healed: TableState = { ...base, updatedAt: 3 };
    expect(applyDelta(degraded, diffState(degraded, healed)!)).toEqual(healed);
  });

  it('blocks edits of the service a problem names, of any service when it names none, and every whole-table apply', () => {
    const web = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
    const named = [{ lineNumber: 4, line: 'x', reason: 'r', service: 'tcp/10.1.0.10:80' }];
    const unnamed = [{ lineNumber: 4, line: 'x', reason: 'r' }];
    const drain = editedServiceId({ kind: 'drain', service: web, destination: { address: '10.2.0.11', port: 80 } });
    expect(drain).toBe('tcp/10.1.0.10:80');
    expect(blockingProblem(named, drain)).toBe(named[0]);
    expect(blockingProblem(named, 'udp/10.1.0.10:53')).toBeUndefined();
    expect(blockingProblem(unnamed, 'udp/10.1.0.10:53')).toBe(unnamed[0]);
    expect(blockingProblem(named)).toBe(named[0]);
    expect(blockingProblem(undefined)).toBeUndefined();
    expect(editedServiceId({ kind: 'set-timeouts', timeouts: { tcp: 1, tcpfin: 1, udp: 1 } })).toBeUndefined();
  });
});
