// The keepalived.conf export, read by the real keepalived (Debian's package, which .ci/run installs): its
// `--config-test` must find nothing to complain about but the services that have no real server, which it ignores.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSave, renderKeepalived, serviceKey, type Service } from '..';
import { arbService } from './arbitraries';

const KEEPALIVED = '/usr/sbin/keepalived';
const here = existsSync(KEEPALIVED);
const ci = process.env.CI === 'true' || process.env.CI === '1';
const dir = mkdtempSync(join(tmpdir(), 'lvs-keepalived-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fixture = (name: string) => readFileSync(new URL(`../__fixtures__/lab/${name}`, import.meta.url), 'utf8');

/** keepalived's own label for a virtual server in its messages: [10.1.0.10]:tcp:81, [2001:db8::1]:tcp:80, FWM 7. */
function label(s: Service): string {
  const k = serviceKey(s);
  if (k.protocol === 'fwmark') return `FWM ${k.fwmark}`;
  return `[${k.address}]:${k.protocol}:${k.port}`;
}

/** keepalived prints some IPv6 addresses in another valid form (::1:0 as ::0.1.0.0): write them as we do. */
const sameAddressText = (line: string) =>
  line.replace(/\[([0-9a-f:.]*:[0-9a-f:.]*)\]/gi, (_, a: string) => new URL(`http://[${a}]/`).hostname);

/**
 * What keepalived --config-test says about the rendered table, but what it says of every faithful copy of such a table:
 * a service with no real server is ignored, and one whose real servers all weigh 0 (drained) is below keepalived's
 * minimum quorum of 1, which it lowers with two warnings (a `quorum 0` line is refused: there is nothing better to write).
 */
function complaints(services: Service[]): string[] {
  const file = join(dir, 'keepalived.conf');
  writeFileSync(file, renderKeepalived(services));
  const r = spawnSync(KEEPALIVED, ['--config-test', '-f', file], { encoding: 'utf8' });
  const expected = new Set<string>();
  for (const s of services) {
    const vs = label(s);
    if (s.destinations.length === 0) expected.add(`Virtual server ${vs} has no real servers - ignoring`);
    else if (s.destinations.every((d) => d.weight === 0)) {
      expected.add(`Warning - quorum 1 for ${vs} exceeds total weight of real servers 0, reducing quorum to 0`);
      expected.add(`Virtual server ${vs}: hysteresis 0 >= quorum 0; setting hysteresis to 4294967295`);
    }
  }
  return `${r.stdout}${r.stderr}`
    .split('\n')
    .map(sameAddressText)
    .filter((l) => l.trim() !== '' && !expected.has(l));
}

describe.skipIf(!here && !ci)('keepalived --config-test on the keepalived.conf export', () => {
  it('is keepalived 2.x from the system', () => {
    expect(execFileSync(KEEPALIVED, ['--version'], { encoding: 'utf8' }).concat('')).toBeDefined();
  });

  it.each(['save.Sn.txt', 'edge.Sn.txt'])(
    'accepts the lab table %s (every scheduler and flag, tunnels, fwmarks >= 2^31, mixed families)',
    (name) => {
      const services = parseSave(fixture(name));
      expect(services.length).toBeGreaterThan(0);
      expect(complaints(services)).toEqual([]);
    },
  );

  it('complains about a table it cannot take (the check is not blind)', () => {
    const services = parseSave('-A -t 10.1.0.10:80 -s rr\n-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 1\n');
    writeFileSync(join(dir, 'bad.conf'), renderKeepalived(services).replace('lvs_sched rr', 'lvs_sched nosuch'));
    const r = spawnSync(KEEPALIVED, ['--config-test', '-f', join(dir, 'bad.conf')], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toMatch(/Invalid lvs_scheduler 'nosuch'/);
  });

  it('accepts any table the kernel could hold', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbService(), { maxLength: 6, selector: (s) => label(s) }), (services) => {
        expect(complaints(services)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
