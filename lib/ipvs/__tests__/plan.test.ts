import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  editArgv,
  keepingUnnamed,
  listingToServices,
  parseListing,
  parseSave,
  planApply,
  renderSave,
  type Edit,
  type Service,
} from '..';
import { arbService } from './arbitraries';
import { fixture } from './fixtures';

/** Apply edits to an in-memory table the way the kernel would, to check a plan reaches its target. */
function simulate(table: Service[], edits: Edit[]): Service[] {
  const text = (t: Service[]) => parseSave(renderSave(t));
  let cur = text(table);
  const id = (s: { protocol: string; address?: string; port?: number; fwmark?: number; ipv6?: true }) =>
    JSON.stringify([s.protocol, s.address, s.port, s.fwmark, s.ipv6]);
  for (const e of edits) {
    switch (e.kind) {
      case 'add-service':
        cur.push({ ...e.service, destinations: [] } as Service);
        break;
      case 'edit-service':
        cur = cur.map((s) =>
          id(s) === id(e.service) ? ({ ...e.service, destinations: s.destinations } as Service) : s,
        );
        break;
      case 'delete-service':
        cur = cur.filter((s) => id(s) !== id(e.service));
        break;
      case 'add-destination':
      case 'edit-destination': {
        const s = cur.find((x) => id(x) === id(e.service));
        if (!s) throw new Error('no service');
        const d = { ...e.destination, activeConns: 0, inactiveConns: 0 };
        const i = s.destinations.findIndex((x) => x.address === d.address && x.port === d.port);
        if (e.kind === 'add-destination' && i >= 0) throw new Error('Destination already exists');
        if (e.kind === 'edit-destination' && i < 0) throw new Error('No such destination');
        if (i >= 0) s.destinations[i] = d;
        else s.destinations.push(d);
        break;
      }
      case 'delete-destination': {
        const s = cur.find((x) => id(x) === id(e.service));
        if (!s) throw new Error('no service');
        s.destinations = s.destinations.filter(
          (x) => !(x.address === e.destination.address && x.port === e.destination.port),
        );
        break;
      }
      default:
        throw new Error(`unexpected ${e.kind}`);
    }
  }
  return cur;
}

const lines = (t: Service[]) => new Set(renderSave(t).split('\n').filter(Boolean));

describe('planApply', () => {
  const live = listingToServices(parseListing(fixture('tuninfo.Ln-tun-info.txt')));

  it('plans nothing for the same table (the -Sn of the live kernel)', () => {
    expect(planApply(live, parseSave(fixture('save.Sn.txt')))).toEqual([]);
  });

  it('edits in place what keeps its identity: weights, scheduler, persistence', () => {
    const desired = parseSave(
      fixture('save.Sn.txt')
        .replace('-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1', '-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 5')
        .replace('-A -t 10.1.0.10:8080 -s rr', '-A -t 10.1.0.10:8080 -s wrr -p 60'),
    );
    const plan = planApply(live, desired).map((e) => editArgv(e).join(' '));
    expect(plan).toEqual(['-E -t 10.1.0.10:8080 -s wrr -p 60', '-e -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 5']);
  });

  it('adds before it removes and never deletes a service that stays', () => {
    const desired = parseSave(
      fixture('save.Sn.txt')
        .replace('-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1\n', '-a -t 10.1.0.10:80 -r 10.2.0.13:80 -m -w 1\n')
        .replace(/^-A -t 10\.1\.0\.10:81 -s lc\n/m, '') + '-A -t 10.1.0.10:99 -s rr\n',
    );
    const plan = planApply(live, desired).map((e) => editArgv(e).join(' '));
    expect(plan).toEqual([
      '-A -t 10.1.0.10:99 -s rr',
      '-a -t 10.1.0.10:80 -r 10.2.0.13:80 -m -w 1',
      '-d -t 10.1.0.10:80 -r 10.2.0.11:80',
      '-D -t 10.1.0.10:81',
    ]);
    expect(plan.some((l) => l.startsWith('-C'))).toBe(false);
  });

  it('reaches any desired table from any live table, touching only what differs', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(arbService(), {
          maxLength: 5,
          selector: (s) => JSON.stringify([s.protocol, s.address, s.port, s.fwmark, s.ipv6]),
        }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (desired, seed) => {
          // live: the desired table with some services dropped and some weights changed
          const live = desired
            .filter((_, i) => (seed >> i) & 1)
            .map((s) => ({
              ...s,
              destinations: s.destinations.map((d, j) =>
                (seed >> (j + 8)) & 1 ? { ...d, weight: (d.weight + 1) % 65536 } : d,
              ),
            }));
          const plan = planApply(live, desired);
          expect(lines(simulate(live, plan))).toEqual(lines(desired));
          expect(plan.filter((e) => e.kind === 'delete-service')).toEqual([]);
          expect(planApply(simulate(live, plan), desired)).toEqual([]);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('keepingUnnamed', () => {
  it("keeps the live services the import does not name; a named one is the import's, with its real servers", () => {
    const live = parseSave(
      '-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 10.2.0.12:80 -m -w 1\n-A -u 10.1.0.10:53 -s rr\n-A -f 7 -s rr\n',
    );
    const file = parseSave('-A -t 10.1.0.10:80 -s wlc\n-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 3\n');
    const merged = keepingUnnamed(live, file);
    expect(renderSave(merged)).toBe(
      '-A -t 10.1.0.10:80 -s wlc\n-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 3\n-A -u 10.1.0.10:53 -s rr\n-A -f 7 -s rr\n',
    );
    expect(planApply(live, merged).map((e) => e.kind)).not.toContain('delete-service');
  });
});
