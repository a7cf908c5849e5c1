import { describe, expect, it } from 'vitest';
import { DestinationHash, hash32, MaglevHash, SourceHash } from './hashing';
import { hsiphash32 } from './siphash';
import type { Packet, SchedDest } from './types';

const d = (id: string, weight: number, overloaded = false): SchedDest => ({
  id,
  weight,
  activeConns: 0,
  inactiveConns: 0,
  overloaded,
});
const from = (client: number, clientPort = 0): Packet => ({ client, clientPort, virtual: 0 });

describe('hash32', () => {
  it('is the kernel hash_32: the top bits of value x 0x61c88647', () => {
    expect(hash32(1, 8)).toBe(0x61);
    expect(hash32(2, 8)).toBe(0xc3); // 0xc3910c8e
    expect(hash32(0, 8)).toBe(0);
  });
});

describe('sh', () => {
  it('deals the 256 buckets by weight in list order: client 0 -> bucket 0, client 1 -> bucket 0x61 (97)', () => {
    const ds = [d('a', 1), d('b', 1)];
    const sh = new SourceHash(ds, []);
    expect(sh.pick(ds, from(0))?.id).toBe('a');
    expect(sh.pick(ds, from(1))?.id).toBe('b'); // 97 is odd
    const weighted = [d('a', 1), d('b', 3)]; // buckets a b b b a b b b ...: 97 % 4 = 1 -> b; client 2 -> 0xc3 % 4 = 3 -> b
    const sh2 = new SourceHash(weighted, []);
    expect([0, 1, 2].map((c) => sh2.pick(weighted, from(c))?.id)).toEqual(['a', 'b', 'b']);
  });
  it('keeps a client on its real server; with sh-port the port joins the hash', () => {
    const ds = [d('a', 1), d('b', 1), d('c', 1)];
    const sh = new SourceHash(ds, []);
    const first = sh.pick(ds, from(0x0a010064, 1000))?.id;
    for (let port = 1001; port < 1100; port++) expect(sh.pick(ds, from(0x0a010064, port))?.id).toBe(first);
    const shPort = new SourceHash(ds, ['sh-port']);
    const seen = new Set(Array.from({ length: 100 }, (_, p) => shPort.pick(ds, from(0x0a010064, 1000 + p))?.id));
    expect(seen.size).toBe(3);
  });
  it('without sh-fallback a weight-0 real server clients get none; with it they walk to the next available', () => {
    const ds = [d('a', 0), d('b', 1)];
    expect(new SourceHash(ds, []).pick(ds, from(0))).toBeUndefined(); // bucket 0 is a's
    expect(new SourceHash(ds, ['sh-fallback']).pick(ds, from(0))?.id).toBe('b');
  });
});

describe('dh', () => {
  it('maps the packet destination, one bucket per real server in turn', () => {
    const ds = [d('a', 1), d('b', 1)];
    const dh = new DestinationHash(ds);
    // 1 x 2654435761 = 0x9e3779b1: bucket 0xb1 (odd) -> b; 2 -> 0x3c6ef362: bucket 0x62 (even) -> a
    expect(dh.pick(ds, { client: 0, clientPort: 0, virtual: 1 })?.id).toBe('b');
    expect(dh.pick(ds, { client: 0, clientPort: 0, virtual: 2 })?.id).toBe('a');
  });
});

describe('mh', () => {
  it('shares clients by weight and moves few clients when a real server is added', () => {
    const ds = [d('10.2.0.11:80', 1), d('10.2.0.12:80', 3)];
    const mh = new MaglevHash(ds, []);
    const clients = Array.from({ length: 4000 }, (_, i) => i * 7919);
    const before = clients.map((c) => mh.pick(ds, from(c))?.id);
    const b = before.filter((x) => x === '10.2.0.12:80').length / clients.length;
    expect(b).toBeGreaterThan(0.7);
    expect(b).toBeLessThan(0.8);
    const more = [d('10.2.0.13:80', 1), ...ds];
    mh.changed(more);
    const after = clients.map((c) => mh.pick(more, from(c))?.id);
    const moved = after.filter((x, i) => x !== before[i] && x !== '10.2.0.13:80').length;
    expect(moved / clients.length).toBeLessThan(0.1);
  });
});

describe('hsiphash32', () => {
  it("is the kernel's 64-bit hsiphash: its self-test vector for the 4 bytes 00 01 02 03", () => {
    // lib/siphash_kunit.c, test_vectors_hsiphash[4] with the key 00..0f
    expect(hsiphash32(0x03020100, [0x0706050403020100n, 0x0f0e0d0c0b0a0908n])).toBe(0x88d38328);
  });
});

describe('mh as the kernel', () => {
  const a = (weight: number) => d('10.2.0.11:80', weight);
  const b = (weight: number) => d('10.2.0.12:80', weight);
  it('a real server set to weight 0 keeps its slots (last_weight): its clients get none without mh-fallback', () => {
    const before = [a(1), b(1)];
    const mh = new MaglevHash(before, []);
    const clients = Array.from({ length: 200 }, (_, i) => 0x0a010000 + i);
    const onA = clients.filter((c) => mh.pick(before, from(c))?.id === '10.2.0.11:80');
    expect(onA.length).toBeGreaterThan(50);
    const drained = [{ ...a(0), lastWeight: 1 }, b(1)];
    mh.changed(drained);
    for (const c of onA) expect(mh.pick(drained, from(c))).toBeUndefined();
    const fallback = new MaglevHash(drained, ['mh-fallback']);
    for (const c of onA) expect(fallback.pick(drained, from(c))?.id).toBe('10.2.0.12:80');
  });
});
