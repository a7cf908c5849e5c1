// Hashing schedulers: sh (source address), dh (destination address) and mh (Maglev on the source, as ip_vs_mh.c). Each keeps a
// lookup table rebuilt whenever the real servers change, so a client keeps its real server while the table is stable.
import { foldAddress } from '../addr';
import { hsiphash32, type SipKey } from './siphash';
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

/** The kernel's default table size (CONFIG_IP_VS_MH_TAB_INDEX 12: the prime 4093) and its weight bits (12 / 2). */
const MH_SIZE = 4093;
const MH_WEIGHT_BITS = 6;
/** ip_vs_mh's fixed keys: the first picks a real server's offset and every client's slot, the second the skip. */
const MH_KEY1: SipKey = [2654435761n, 2654435761n];
const MH_KEY2: SipKey = [2654446892n, 2654446892n];

/** ip_vs_mh_hashkey: the folded address plus the port plus an offset, as one 32-bit word through hsiphash. */
const mhHash = (folded: number, port: number, key: SipKey, offset = 0): number =>
  hsiphash32((offset + port + folded) >>> 0, key);

/** A real server's address and port from its id (`10.2.0.11:80`, `[2001:db8::1]:80`). */
function addressOf(id: string): { folded: number; port: number } {
  const colon = id.lastIndexOf(':');
  return { folded: foldAddress(id.slice(0, colon).replace(/^\[|\]$/g, '')), port: Number(id.slice(colon + 1)) };
}

/**
 * Maglev hashing as ip_vs_mh builds and reads it: each real server, in list order, takes `turns` free slots of a
 * 4093-entry table per round along its permutation (offset and skip from hsiphash of its address and port). The turns
 * come from the last non-zero weight (the kernel's last_weight), divided by the weights' gcd and shifted down so the
 * largest fits 6 bits; a real server whose weight was set to 0 keeps its slots but is never picked. A client's slot
 * is hsiphash of its folded address (plus its port with mh-port); with mh-fallback an unavailable pick re-hashes with
 * growing offsets until an available real server comes up.
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
    const last = (d: SchedDest) => d.lastWeight ?? d.weight;
    const g = dests.map(last).reduce((a, w) => (w <= 0 ? a : a > 0 ? gcdOf(w, a) : w), 0);
    if (g < 1) return;
    const top = Math.max(...dests.map(last)) / g;
    const shift = Math.max(0, Math.floor(Math.log2(top)) + 1 - MH_WEIGHT_BITS);
    const setup = dests.map((d) => {
      const { folded, port } = addressOf(d.id);
      const lw = last(d);
      return {
        d,
        perm: mhHash(folded, port, MH_KEY1) % MH_SIZE,
        skip: (mhHash(folded, port, MH_KEY2) % (MH_SIZE - 1)) + 1,
        turns: Math.floor(lw / g) >> shift || (lw !== 0 ? 1 : 0),
      };
    });
    const used = new Uint8Array(MH_SIZE);
    let filled = 0;
    for (;;) {
      for (const s of setup) {
        for (let t = 0; t < s.turns; t++) {
          while (used[s.perm]) s.perm = (s.perm + s.skip) % MH_SIZE;
          used[s.perm] = 1;
          this.table[s.perm] = s.d;
          if (++filled === MH_SIZE) return;
        }
      }
    }
  }

  pick(_dests: readonly SchedDest[], packet: Packet): SchedDest | undefined {
    const port = this.flags.includes('mh-port') ? packet.clientPort : 0;
    const first = mhHash(packet.client, port, MH_KEY1) % MH_SIZE;
    const d = this.table[first];
    if (!d || available(d)) return d;
    if (!this.flags.includes('mh-fallback')) return undefined;
    for (let offset = 0; offset < MH_SIZE; offset++) {
      const alt = this.table[mhHash(packet.client, port, MH_KEY1, (offset + first) % MH_SIZE) % MH_SIZE];
      if (!alt) return undefined;
      if (available(alt)) return alt;
    }
    return undefined;
  }
}

function gcdOf(a: number, b: number): number {
  return b === 0 ? a : gcdOf(b, a % b);
}
