// A compact, columnar table of IPVS connection entries. A million rows cost ~24 bytes each in typed arrays plus one
// interned string per distinct address/state, instead of a JS object with nine fields per row.
import type { ConnectionEntry } from './model';

export class Interner {
  /** Built on first use: a table read in the worker arrives with its texts and is rarely searched by text (an exact
   * address filter), so the agent's thread does not index hundreds of thousands of texts on every read. */
  private index: Map<string, number> | null = null;
  constructor(readonly values: string[] = []) {}
  private indexed(): Map<string, number> {
    if (!this.index) {
      this.index = new Map();
      for (let i = 0; i < this.values.length; i++) this.index.set(this.values[i] as string, i);
    }
    return this.index;
  }
  /** The id of `s` if it was interned, without adding it. */
  find(s: string): number | undefined {
    return this.indexed().get(s);
  }
  id(s: string): number {
    const index = this.indexed();
    let i = index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      index.set(s, i);
    }
    return i;
  }
}

export interface ConnectionColumns {
  protocol: number;
  state: number;
  expires: number;
  client: number;
  clientPort: number;
  virtual: number;
  virtualPort: number;
  dest: number;
  destPort: number;
}

/** Rows per distinct real server (`dest` id and port): a pair id per row and each pair's address id and port. */
export interface DestPairs {
  ofRow: Uint32Array;
  dest: number[];
  port: number[];
}

/** Each row's dense rank in a text column (addresses by their bytes, see text-ranks.ts) and the column's distinct
 * values. */
export interface RankedColumn {
  rank: Uint16Array | Uint32Array;
  distinct: number;
}

/** A read's sort keys, worked out by the reader worker right after the parse (connection-sort.ts, prepareSortKeys). */
export interface PreparedKeys {
  pairs: DestPairs;
  ranks: Record<'client' | 'virtual' | 'dest' | 'state' | 'protocol', RankedColumn>;
  /** The whole table's rows per state id and per real-server pair: what a query without a filter counts
   * (connection-query.ts, prepareRead). */
  counts?: { perState: Uint32Array; perDest: Uint32Array };
}

export interface ConnectionColumnsData {
  length: number;
  text: string[];
  pe: [number, { name: string; data: string }][];
  prepared?: PreparedKeys;
  protocol: Uint16Array;
  state: Uint16Array;
  expires: Uint32Array;
  client: Uint32Array;
  clientPort: Uint16Array;
  virtual: Uint32Array;
  virtualPort: Uint16Array;
  dest: Uint32Array;
  destPort: Uint16Array;
}

export class ConnectionTable {
  length = 0;
  /** Interned text of protocols, states and addresses; columns hold indexes into it. */
  readonly text: Interner;
  protocol: Uint16Array;
  state: Uint16Array;
  expires: Uint32Array;
  client: Uint32Array;
  clientPort: Uint16Array;
  virtual: Uint32Array;
  virtualPort: Uint16Array;
  dest: Uint32Array;
  destPort: Uint16Array;
  /** Persistence-engine columns (ipvsadm -Lnc --persistent-conn, procfs PEName/PEData): sparse, rarely set. */
  readonly pe = new Map<number, { name: string; data: string }>();
  /** The sort keys, when the reader worker prepared them. */
  prepared: PreparedKeys | null = null;

  constructor(capacity = 1024, texts: string[] = []) {
    this.text = new Interner(texts);
    this.protocol = new Uint16Array(capacity);
    this.state = new Uint16Array(capacity);
    this.expires = new Uint32Array(capacity);
    this.client = new Uint32Array(capacity);
    this.clientPort = new Uint16Array(capacity);
    this.virtual = new Uint32Array(capacity);
    this.virtualPort = new Uint16Array(capacity);
    this.dest = new Uint32Array(capacity);
    this.destPort = new Uint16Array(capacity);
  }

  private grow(): void {
    const cap = Math.max(1024, this.protocol.length * 2);
    const g = <T extends Uint16Array | Uint32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.protocol = g(this.protocol);
    this.state = g(this.state);
    this.expires = g(this.expires);
    this.client = g(this.client);
    this.clientPort = g(this.clientPort);
    this.virtual = g(this.virtual);
    this.virtualPort = g(this.virtualPort);
    this.dest = g(this.dest);
    this.destPort = g(this.destPort);
  }

  push(c: ConnectionColumns): number {
    if (this.length === this.protocol.length) this.grow();
    const i = this.length++;
    this.protocol[i] = c.protocol;
    this.state[i] = c.state;
    this.expires[i] = c.expires;
    this.client[i] = c.client;
    this.clientPort[i] = c.clientPort;
    this.virtual[i] = c.virtual;
    this.virtualPort[i] = c.virtualPort;
    this.dest[i] = c.dest;
    this.destPort[i] = c.destPort;
    return i;
  }

  isTemplate(i: number): boolean {
    return this.clientPort[i] === 0;
  }

  row(i: number): ConnectionEntry {
    if (i < 0 || i >= this.length) throw new RangeError(`row ${i} of ${this.length}`);
    const t = this.text.values;
    const e: ConnectionEntry = {
      protocol: t[this.protocol[i] as number] as string,
      state: t[this.state[i] as number] as string,
      expires: this.expires[i] as number,
      clientAddress: t[this.client[i] as number] as string,
      clientPort: this.clientPort[i] as number,
      virtualAddress: t[this.virtual[i] as number] as string,
      virtualPort: this.virtualPort[i] as number,
      destAddress: t[this.dest[i] as number] as string,
      destPort: this.destPort[i] as number,
      template: this.clientPort[i] === 0,
    };
    const pe = this.pe.get(i);
    if (pe) {
      e.peName = pe.name;
      e.peData = pe.data;
    }
    return e;
  }

  /** The columns trimmed to length, for transfer between threads (the typed arrays' buffers are transferable). */
  toColumns(): ConnectionColumnsData {
    const n = this.length;
    return {
      length: n,
      text: this.text.values.slice(),
      pe: [...this.pe],
      ...(this.prepared ? { prepared: this.prepared } : {}),
      protocol: this.protocol.slice(0, n),
      state: this.state.slice(0, n),
      expires: this.expires.slice(0, n),
      client: this.client.slice(0, n),
      clientPort: this.clientPort.slice(0, n),
      virtual: this.virtual.slice(0, n),
      virtualPort: this.virtualPort.slice(0, n),
      dest: this.dest.slice(0, n),
      destPort: this.destPort.slice(0, n),
    };
  }

  static fromColumns(c: ConnectionColumnsData): ConnectionTable {
    const t = new ConnectionTable(0, c.text);
    for (const [i, p] of c.pe) t.pe.set(i, p);
    Object.assign(t, {
      length: c.length,
      prepared: c.prepared ?? null,
      protocol: c.protocol,
      state: c.state,
      expires: c.expires,
      client: c.client,
      clientPort: c.clientPort,
      virtual: c.virtual,
      virtualPort: c.virtualPort,
      dest: c.dest,
      destPort: c.destPort,
    });
    return t;
  }

  toArray(): ConnectionEntry[] {
    const out = new Array<ConnectionEntry>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.row(i);
    return out;
  }

  /** Bytes held by the columns (the interned strings come on top, once per distinct value). */
  columnBytes(): number {
    return (
      this.protocol.byteLength +
      this.state.byteLength +
      this.expires.byteLength +
      this.client.byteLength +
      this.clientPort.byteLength +
      this.virtual.byteLength +
      this.virtualPort.byteLength +
      this.dest.byteLength +
      this.destPort.byteLength
    );
  }
}
