// Hashing schedulers: sh (source address), dh (destination address) and mh (Maglev on the source). Each keeps a
// lookup table rebuilt whenever the real servers change, so a client keeps its real server while the table is stable.
import { available, type Packet, type SchedDest, type Scheduler } from './types';

const SH_BITS = 8;
const SH_SIZE = 1 << SH_BITS;
/** The kernel's hash_32: multiply by the 32-bit golden ratio, keep the top `bits` bits. */
export const hash32 = (value: number, bits: number): number => Math.imul(value >>> 0, 0x61c88647) >>> (32 - bits);

/**
 * Source hashing: 256 buckets dealt to the real servers in list order, each taking as many consecutive buckets as its
 * weight (a weight-0 real server still takes one, but is never picked). The client address (plus its port with
 * sh-port) picks the bucket. With sh-fallback an unavailable real server's clients walk the table to the next
 * available one, in the kernel's order; without it they get no real server.
 */
export class SourceHash implements Scheduler {
  private buckets: (SchedDest | undefined)[] = [];
  constructor(
    dests: readonly SchedDest[],
    private readonly flags: readonly string[],
  ) {
    this.changed(dests);
  }

  changed(dests: readonly SchedDest[]): void {
    this.buckets = new Array<SchedDest | undefined>(SH_SIZE).fill(undefined);
    if (dests.length === 0) return;
    let p = 0;
    let count = 0;
    for (let i = 0; i < SH_SIZE; i++) {
      const d = dests[p] as SchedDest;
      this.buckets[i] = d;
      if (++count >= d.weight) {
        p = (p + 1) % dests.length;
        count = 0;
      }
    }
  }

  private key(packet: Packet, offset: number): number {
    const port = this.flags.includes('sh-port') ? packet.clientPort : 0;
    return (offset + hash32((port + packet.client) >>> 0, SH_BITS)) & (SH_SIZE - 1);
  }

  pick(_dests: readonly SchedDest[], packet: Packet): SchedDest | undefined {
    const first = this.key(packet, 0);
    const d = this.buckets[first];
    if (!d || available(d)) return d;
    if (!this.flags.includes('sh-fallback')) return undefined;
    for (let offset = 0; offset < SH_SIZE; offset++) {
      const alt = this.buckets[this.key(packet, (offset + first) % SH_SIZE)];
      if (alt && available(alt)) return alt;
    }
    return undefined;
  }
}

/** Destination hashing: 256 buckets dealt one at a time in list order (weights ignored), keyed by the virtual address. */
export class DestinationHash implements Scheduler {
  private buckets: (SchedDest | undefined)[] = [];
  constructor(dests: readonly SchedDest[]) {
    this.changed(dests);
  }
  changed(dests: readonly SchedDest[]): void {
    this.buckets = Array.from({ length: SH_SIZE }, (_, i) => dests[i % Math.max(1, dests.length)]);
  }
  pick(_dests: readonly SchedDest[], packet: Packet): SchedDest | undefined {
    const d = this.buckets[Math.imul(packet.virtual >>> 0, 2654435761) & (SH_SIZE - 1)];
    return d && available(d) ? d : undefined;
  }
}

const MH_SIZE = 4093;

/** FNV-1a over a string with a seed: the simulator's stand-in for the kernel's keyed hsiphash. */
function fnv(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * Maglev hashing (a 4093-entry table, as the kernel's default): each real server fills the table along its own
 * permutation, taking as many turns per round as its weight (reduced by the weights' gcd); weight-0 real servers
 * take none. The permutation hash is not the kernel's keyed siphash, so which client lands where differs from a
 * kernel, but the shares, the stability per client and the small reshuffle on a change are Maglev's.
 */
export class MaglevHash implements Scheduler {
  private table: (SchedDest | undefined)[] = [];
  constructor(
    dests: readonly SchedDest[],
    private readonly flags: readonly string[],
  ) {
    this.changed(dests);
  }

  changed(dests: readonly SchedDest[]): void {
    this.table = new Array<SchedDest | undefined>(MH_SIZE).fill(undefined);
    const live = dests.filter((d) => d.weight > 0);
    if (live.length === 0) return;
    const g = live.map((d) => d.weight).reduce((a, b) => (b === 0 ? a : gcdOf(a, b)));
    const perm = live.map((d) => ({
      d,
      offset: fnv(d.id, 1) % MH_SIZE,
      skip: (fnv(d.id, 2) % (MH_SIZE - 1)) + 1,
      next: 0,
      turns: d.weight / g,
    }));
    let filled = 0;
    while (filled < MH_SIZE) {
      for (const p of perm) {
        for (let t = 0; t < p.turns && filled < MH_SIZE; t++) {
          let c = (p.offset + p.next * p.skip) % MH_SIZE;
          while (this.table[c] !== undefined) c = (p.offset + ++p.next * p.skip) % MH_SIZE;
          this.table[c] = p.d;
          p.next++;
          filled++;
        }
      }
    }
  }

  pick(_dests: readonly SchedDest[], packet: Packet): SchedDest | undefined {
    const port = this.flags.includes('mh-port') ? packet.clientPort : 0;
    const h = fnv(`${packet.client}:${port}`, 3);
    const d = this.table[h % MH_SIZE];
    if (!d || available(d)) return d;
    if (!this.flags.includes('mh-fallback')) return undefined;
    for (let offset = 1; offset < MH_SIZE; offset++) {
      const alt = this.table[(h + offset) % MH_SIZE];
      if (alt && available(alt)) return alt;
    }
    return undefined;
  }
}

function gcdOf(a: number, b: number): number {
  return b === 0 ? a : gcdOf(b, a % b);
}
