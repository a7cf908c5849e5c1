// Connection-table parsers: `ipvsadm -Lnc` (with or without --persistent-conn) and /proc/net/ip_vs_conn. Both fill
// a columnar ConnectionTable with a hand-written scanner: these tables reach hundreds of thousands of rows, and a
// split/regex per line costs several times more (see bench/parse).
import { ConnectionTable, type ConnectionColumns } from './connection-table';
import { ParseError } from './parse-error';
import { canonicalIP, ipv6FromProc } from './ip';

const SPACE = 32;
const TAB = 9;

/** Walks one line's whitespace-separated tokens without allocating them. */
class Tokens {
  start = 0;
  end = 0;
  private s = '';
  private pos = 0;
  private lineEnd = 0;
  /** Point at one line (the object is reused across lines: no allocation per row). */
  reset(s: string, pos: number, lineEnd: number): this {
    this.s = s;
    this.pos = pos;
    this.lineEnd = lineEnd;
    return this;
  }
  next(): boolean {
    const s = this.s;
    let p = this.pos;
    while (p < this.lineEnd && (s.charCodeAt(p) === SPACE || s.charCodeAt(p) === TAB)) p++;
    if (p >= this.lineEnd) return false;
    const st = p;
    while (p < this.lineEnd && s.charCodeAt(p) !== SPACE && s.charCodeAt(p) !== TAB) p++;
    this.start = st;
    this.end = p;
    this.pos = p;
    return true;
  }
  text(): string {
    return this.s.slice(this.start, this.end);
  }
  rest(): string {
    return this.s.slice(this.pos, this.lineEnd).trim();
  }
}

function decimal(s: string, a: number, b: number): number {
  if (a >= b) return -1;
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function hex(s: string, a: number, b: number): number {
  if (a >= b) return -1;
  let v = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    const d = c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

interface Scan {
  table: ConnectionTable;
  text: string;
  lineNo: number;
  lineStart: number;
  lineEnd: number;
}

function fail(sc: Scan, reason: string): never {
  throw new ParseError(sc.lineNo, sc.text.slice(sc.lineStart, sc.lineEnd), reason);
}

/** Iterate the non-empty lines of `text`: `header` gets lines until it returns true (the last header line), then
 * `row` gets every other line. */
function eachLine(
  text: string,
  header: (line: string, n: number) => boolean,
  row: (sc: Scan) => void,
): ConnectionTable {
  const sc: Scan = { table: new ConnectionTable(), text, lineNo: 0, lineStart: 0, lineEnd: 0 };
  let pos = 0;
  let inHeader = true;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    sc.lineNo++;
    sc.lineStart = pos;
    sc.lineEnd = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    pos = end + 1;
    let k = sc.lineStart;
    while (k < sc.lineEnd && (text.charCodeAt(k) === SPACE || text.charCodeAt(k) === TAB)) k++;
    if (k === sc.lineEnd) continue; // blank line
    if (inHeader) {
      inHeader = !header(text.slice(sc.lineStart, sc.lineEnd), sc.lineNo);
      continue;
    }
    row(sc);
  }
  if (inHeader) throw new ParseError(1, text.slice(0, 80), 'missing header: empty input?');
  return sc.table;
}

/** Protocol names as the kernel prints them → the model's lower-case names. */
const PROTO_NAMES = new Map<string, string>([
  ['TCP', 'tcp'],
  ['UDP', 'udp'],
  ['SCTP', 'sctp'],
  ['AH', 'ah'],
  ['ESP', 'esp'],
  ['IP', 'ip'],
]);

/** Dotted-quad IPv4 between a and b as a number, or -1. */
function dottedQuad(s: string, a: number, b: number): number {
  let value = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = a; i < b; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) return -1;
      value = value * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else {
      const d = c - 48;
      if (d < 0 || d > 9 || digits === 3) return -1;
      part = part * 10 + d;
      digits++;
    }
  }
  if (dots !== 3 || digits === 0 || part > 255) return -1;
  return value * 256 + part;
}

/** `10.1.0.100:1056` or `[2001:db8::1]:80` inside the line; returns the interned address id and the port. */
function lncEndpoint(
  sc: Scan,
  t: Tokens,
  what: string,
  v4: Map<number, number>,
  other: Map<string, number>,
): [number, number] {
  const s = sc.text;
  let colon = t.end - 1;
  while (colon > t.start && s.charCodeAt(colon) !== 58) colon--;
  if (colon <= t.start) fail(sc, `${what}: expected address:port`);
  const port = decimal(s, colon + 1, t.end);
  if (port < 0 || port > 65535) fail(sc, `${what}: bad port`);
  const bracket = s.charCodeAt(t.start) === 91;
  if (!bracket) {
    const n = dottedQuad(s, t.start, colon);
    if (n >= 0) {
      let id = v4.get(n);
      if (id === undefined) {
        id = sc.table.text.id(s.slice(t.start, colon));
        v4.set(n, id);
      }
      return [id, port];
    }
  }
  const raw = bracket ? s.slice(t.start + 1, colon - 1) : s.slice(t.start, colon);
  let id = other.get(raw);
  if (id === undefined) {
    if (bracket ? raw.indexOf(':') < 0 : raw.indexOf(':') >= 0) fail(sc, `${what}: bad address ${JSON.stringify(raw)}`);
    id = sc.table.text.id(bracket ? canonicalIP(raw) : raw);
    other.set(raw, id);
  }
  return [id, port];
}

/** `ipvsadm -Lnc` or `ipvsadm -Lnc --persistent-conn`. */
export function parseConnList(text: string): ConnectionTable {
  const v4 = new Map<number, number>();
  const cache = new Map<string, number>();
  const protocols = new SmallInterner();
  const states = new SmallInterner();
  const t = new Tokens();
  return eachLine(
    text,
    (line, n) => {
      if (line.startsWith('IPVS connection entries')) return false;
      if (!/^pro\s+expire\s+state\s+source\s+virtual\s+destination/.test(line)) {
        throw new ParseError(
          n,
          line,
          'expected the "pro expire state source virtual destination" header of ipvsadm -Lnc',
        );
      }
      return true;
    },
    (sc) => {
      t.reset(sc.text, sc.lineStart, sc.lineEnd);
      const table = sc.table;
      if (!t.next()) fail(sc, 'empty');
      const protocol = protocols.id(sc, t, PROTO_NAMES);
      if (!t.next()) fail(sc, 'missing expire');
      const s = sc.text;
      let colon = t.start;
      while (colon < t.end && s.charCodeAt(colon) !== 58) colon++;
      const mins = decimal(s, t.start, colon);
      const secs = decimal(s, colon + 1, t.end);
      if (mins < 0 || secs < 0 || secs > 59) fail(sc, `expire: expected mm:ss, got ${JSON.stringify(t.text())}`);
      if (!t.next()) fail(sc, 'missing state');
      const state = states.id(sc, t);
      if (!t.next()) fail(sc, 'missing source');
      const [client, clientPort] = lncEndpoint(sc, t, 'source', v4, cache);
      if (!t.next()) fail(sc, 'missing virtual');
      const [virtual, virtualPort] = lncEndpoint(sc, t, 'virtual', v4, cache);
      if (!t.next()) fail(sc, 'missing destination');
      const [dest, destPort] = lncEndpoint(sc, t, 'destination', v4, cache);
      const i = table.push({
        protocol,
        state,
        expires: mins * 60 + secs,
        client,
        clientPort,
        virtual,
        virtualPort,
        dest,
        destPort,
      });
      if (t.next()) {
        const name = t.text();
        table.pe.set(i, { name, data: t.rest() });
      }
    },
  );
}

/** The last IPv4 address seen in each column: the virtual address and the real servers repeat row after row. */
interface LastSeen {
  n: number;
  id: number;
}

function procAddress(
  sc: Scan,
  t: Tokens,
  v4: Map<number, number>,
  v6: Map<string, number>,
  what: string,
  last: LastSeen,
): number {
  if (t.end - t.start === 8) {
    // IPv4: decode the 8 hex digits to a number and intern by it (no string per row)
    const n = hex(sc.text, t.start, t.end);
    if (n < 0) fail(sc, `${what}: bad address ${JSON.stringify(t.text())}`);
    if (n === last.n) return last.id;
    let id = v4.get(n);
    if (id === undefined) {
      id = sc.table.text.id(`${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`);
      v4.set(n, id);
    }
    last.n = n;
    last.id = id;
    return id;
  }
  const raw = t.text();
  let id = v6.get(raw);
  if (id === undefined) {
    const text = ipv6FromProc(raw);
    if (text === null) fail(sc, `${what}: bad address ${JSON.stringify(raw)}`);
    id = sc.table.text.id(text);
    v6.set(raw, id);
  }
  return id;
}

/** Interns short tokens that take few values (states, protocols) by comparing in place: no string per row. */
class SmallInterner {
  private readonly raws: string[] = [];
  private readonly ids: number[] = [];
  id(sc: Scan, t: Tokens, map?: Map<string, string>): number {
    const len = t.end - t.start;
    const raws = this.raws;
    for (let i = 0; i < raws.length; i++) {
      const r = raws[i] as string;
      if (r.length === len && sc.text.startsWith(r, t.start)) return this.ids[i] as number;
    }
    const raw = t.text();
    const value = map ? map.get(raw) : raw;
    if (value === undefined) fail(sc, `unknown protocol ${JSON.stringify(raw)}`);
    const id = sc.table.text.id(value);
    if (raws.length < 64) {
      raws.push(raw);
      this.ids.push(id);
    }
    return id;
  }
}

function procPort(sc: Scan, t: Tokens, what: string): number {
  if (t.end - t.start !== 4) fail(sc, `${what}: expected 4 hex digits`);
  const p = hex(sc.text, t.start, t.end);
  if (p < 0) fail(sc, `${what}: expected 4 hex digits`);
  return p;
}

/** /proc/net/ip_vs_conn: hex addresses (IPv6 in full colon form) and ports, expiry in seconds. */
export function parseProcConns(text: string): ConnectionTable {
  const v4 = new Map<number, number>();
  const v6 = new Map<string, number>();
  const protocols = new SmallInterner();
  const states = new SmallInterner();
  const t = new Tokens();
  const lastClient: LastSeen = { n: -1, id: 0 };
  const lastVirtual: LastSeen = { n: -1, id: 0 };
  const lastDest: LastSeen = { n: -1, id: 0 };
  const row: ConnectionColumns = {
    protocol: 0,
    state: 0,
    expires: 0,
    client: 0,
    clientPort: 0,
    virtual: 0,
    virtualPort: 0,
    dest: 0,
    destPort: 0,
  };
  return eachLine(
    text,
    (line, n) => {
      if (!/^Pro\s+FromIP\s+FPrt\s+ToIP\s+TPrt\s+DestIP\s+DPrt\s+State\s+Expires/.test(line)) {
        throw new ParseError(
          n,
          line,
          'expected the "Pro FromIP FPrt ToIP TPrt DestIP DPrt State Expires" header of /proc/net/ip_vs_conn',
        );
      }
      return true;
    },
    (sc) => {
      t.reset(sc.text, sc.lineStart, sc.lineEnd);
      if (!t.next()) fail(sc, 'missing protocol');
      row.protocol = protocols.id(sc, t, PROTO_NAMES);
      if (!t.next()) fail(sc, 'missing FromIP');
      row.client = procAddress(sc, t, v4, v6, 'FromIP', lastClient);
      if (!t.next()) fail(sc, 'missing FPrt');
      row.clientPort = procPort(sc, t, 'FPrt');
      if (!t.next()) fail(sc, 'missing ToIP');
      row.virtual = procAddress(sc, t, v4, v6, 'ToIP', lastVirtual);
      if (!t.next()) fail(sc, 'missing TPrt');
      row.virtualPort = procPort(sc, t, 'TPrt');
      if (!t.next()) fail(sc, 'missing DestIP');
      row.dest = procAddress(sc, t, v4, v6, 'DestIP', lastDest);
      if (!t.next()) fail(sc, 'missing DPrt');
      row.destPort = procPort(sc, t, 'DPrt');
      if (!t.next()) fail(sc, 'missing State');
      row.state = states.id(sc, t);
      if (!t.next()) fail(sc, 'missing Expires');
      row.expires = decimal(sc.text, t.start, t.end);
      if (row.expires < 0) fail(sc, `Expires: expected seconds, got ${JSON.stringify(t.text())}`);
      const i = sc.table.push(row);
      if (t.next()) sc.table.pe.set(i, { name: t.text(), data: t.rest() });
    },
  );
}
