import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connTableSizing, listedEntries, parseListing, listingToTable, parseVersionLine } from '..';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../__fixtures__/lab', name), 'utf8');

describe('the connection hash table size', () => {
  it('is read from the version line of ipvsadm -Ln and of /proc/net/ip_vs (lab captures)', () => {
    const expected = { version: '1.2.1', connTableSize: 4096 };
    expect(parseVersionLine(fixture('list.Ln.txt').split('\n')[0]!)).toEqual(expected);
    expect(parseVersionLine(fixture('proc-ip_vs.txt').split('\n')[0]!)).toEqual(expected);
    expect(parseVersionLine('Prot LocalAddress:Port Scheduler Flags')).toBeNull();
    expect(parseVersionLine('IP Virtual Server version 1.2.1 (size=0)')).toBeNull();
  });

  it('counts the listed entries: active, inactive and persistence templates', () => {
    const services = listingToTable(parseListing(fixture('list.Ln.txt'))).services;
    const byHand = services.flatMap((s) => s.destinations).reduce((n, d) => n + d.activeConns + d.inactiveConns, 0);
    expect(listedEntries(services)).toBe(byHand);
    const withTemplates = services.map((s) => ({
      ...s,
      destinations: s.destinations.map((d) => ({ ...d, persistConns: 2 })),
    }));
    const dests = services.flatMap((s) => s.destinations).length;
    expect(listedEntries(withTemplates)).toBe(byHand + 2 * dests);
  });

  it('says a table is large enough up to 4 entries a bucket, and past that which conn_tab_bits would fit', () => {
    const ok = connTableSizing(1000, 4096);
    expect(ok).toMatchObject({ bits: 12, level: 'ok', suggestion: null });
    expect(ok.meaning).toContain('4096 buckets (2^12) for 1000 entries');
    const busy = connTableSizing(120_000, 4096);
    expect(busy.level).toBe('busy');
    expect(busy.perBucket).toBeCloseTo(29.3, 1);
    expect(busy.meaning).toContain('29.3 entries');
    expect(busy.suggestion).toContain('options ip_vs conn_tab_bits=17');
    // the kernel takes at most 20 bits
    expect(connTableSizing(50_000_000, 1 << 18).suggestion).toContain('conn_tab_bits=20');
    expect(connTableSizing(50_000_000, 1 << 20).suggestion).toBeNull();
  });
});
