// Typed arrays reused between reads and queries of the connection table. A sort order over a million rows, its radix
// scratch and a filter's marks are 1-4 MB each; allocated anew for every read and query they added up to hundreds of
// megabytes of external memory per read, and V8 answered with full garbage collections that paused the agent's thread
// (and its tick) for 100-200 ms under load. An array given back is kept for the next request it can hold; the pool
// only grows (a new buffer is made only when no kept one is large enough) and keeps a bounded number of buffers.

export type PooledArray = Uint8Array | Uint16Array | Uint32Array;

/** New buffers get this much room on top of what was asked, so that the next read, a little larger, fits too. */
const HEADROOM = 1 / 16;
const ROUND = 1 << 16;

export class BufferPool {
  private readonly free: ArrayBuffer[] = [];
  /** Buffers this pool made: only those are taken back (an array adopted from elsewhere may still be in use). */
  private readonly own = new WeakSet<ArrayBuffer>();
  /** How many buffers this pool has made. */
  made = 0;
  /** Buffers lent out now: giving one back twice must not hand it to two users. */
  private readonly lent = new WeakSet<ArrayBuffer>();

  constructor(private readonly keep = 32) {}

  /** Buffers kept for reuse now. */
  get kept(): number {
    return this.free.length;
  }

  private take(bytes: number): ArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = (this.free[i] as ArrayBuffer).byteLength;
      if (size >= bytes && (best < 0 || size < (this.free[best] as ArrayBuffer).byteLength)) best = i;
    }
    let buffer: ArrayBuffer;
    if (best >= 0) buffer = this.free.splice(best, 1)[0] as ArrayBuffer;
    else {
      buffer = new ArrayBuffer(Math.ceil((bytes * (1 + HEADROOM)) / ROUND) * ROUND);
      this.own.add(buffer);
      this.made++;
    }
    this.lent.add(buffer);
    return buffer;
  }

  /** An array of n elements; its contents are whatever the last user left unless `zeroed`. */
  u8(n: number, zeroed = false): Uint8Array {
    const a = new Uint8Array(this.take(n), 0, n);
    return zeroed ? a.fill(0) : a;
  }

  u16(n: number, zeroed = false): Uint16Array {
    const a = new Uint16Array(this.take(n * 2), 0, n);
    return zeroed ? a.fill(0) : a;
  }

  u32(n: number, zeroed = false): Uint32Array {
    const a = new Uint32Array(this.take(n * 4), 0, n);
    return zeroed ? a.fill(0) : a;
  }

  /** Lets go of the kept buffers (the garbage collector frees them): when nobody needs the memory for a while. */
  clear(): void {
    this.free.length = 0;
  }

  /** Takes the arrays' buffers back for reuse; the arrays must not be used after this. Arrays this pool did not lend
   * (or already took back) are left alone. Beyond `keep` buffers, the smallest are dropped. */
  give(...arrays: readonly (PooledArray | null | undefined)[]): void {
    for (const a of arrays) {
      const buffer = a?.buffer as ArrayBuffer | undefined;
      if (!buffer || !this.own.has(buffer) || !this.lent.has(buffer)) continue;
      this.lent.delete(buffer);
      this.free.push(buffer);
    }
    if (this.free.length > this.keep) {
      this.free.sort((x, y) => y.byteLength - x.byteLength);
      this.free.length = this.keep;
    }
  }
}

/** The pool of this thread's connection queries and sort orders. */
export const buffers = new BufferPool();
