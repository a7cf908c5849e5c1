// Small lexing helpers shared by the parsers.
import { ParseError } from './parse-error';
import { canonicalIP, ipFamily } from './ip';
import { FORWARDS, type Destination, type Service } from './model';

export interface Line {
  n: number;
  text: string;
}

/** Non-empty lines with their 1-based numbers; tolerates CRLF. */
export function lines(text: string): Line[] {
  const out: Line[] = [];
  const raw = text.split('\n');
  for (let i = 0; i < raw.length; i++) {
    let t = raw[i] ?? '';
    if (t.endsWith('\r')) t = t.slice(0, -1);
    if (/\S/.test(t)) out.push({ n: i + 1, text: t });
  }
  return out;
}

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13);

/** The whitespace-separated words of a line (a hand loop: the listings are parsed every tick, 11,000 lines each). */
export function words(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(text.charCodeAt(i))) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    out.push(text.slice(start, i));
  }
  return out.length ? out : [''];
}

/** The value of a string of ASCII digits, or -1 when it is empty or holds anything else. */
function digits(word: string): number {
  if (word.length === 0 || word.length > 15) return -1;
  let v = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Counter as ipvsadm prints it: exact digits, or (without --exact) digits with a K/M/G/T suffix. */
export function counter(word: string, line: Line, what: string): { value: number; approximate: boolean } {
  const plain = digits(word); // the fast path: every --exact listing, and small values without it
  if (plain >= 0) return { value: plain, approximate: false };
  const m = /^(\d+)([KMGT]?)$/.exec(word);
  if (!m) throw new ParseError(line.n, line.text, `${what}: expected a number, got ${JSON.stringify(word)}`);
  const scale = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] as '' | 'K' | 'M' | 'G' | 'T'];
  const value = Number(m[1]) * scale;
  if (!Number.isSafeInteger(value)) throw new ParseError(line.n, line.text, `${what}: ${word} is too large`);
  return { value, approximate: scale !== 1 };
}

export function integer(word: string | undefined, line: Line, what: string, max = Number.MAX_SAFE_INTEGER): number {
  const fast = word === undefined ? -1 : digits(word);
  if (fast >= 0) {
    if (fast > max) throw new ParseError(line.n, line.text, `${what}: ${fast} is over ${max}`);
    return fast;
  }
  if (word === undefined || !/^\d+$/.test(word)) {
    throw new ParseError(line.n, line.text, `${what}: expected a number, got ${JSON.stringify(word ?? '')}`);
  }
  const v = Number(word);
  if (v > max) throw new ParseError(line.n, line.text, `${what}: ${v} is over ${max}`);
  return v;
}

/** A fwmark as ipvsadm 1.31 prints it: it formats the unsigned mark with %d, so marks of 2^31 and more come out
 * negative (`FWM  -2147483648`, `-f -1`). Both forms are read as the unsigned mark the kernel holds. */
export function fwmark(word: string | undefined, line: Line): number {
  const negative = word?.startsWith('-') === true;
  const v = integer(negative ? word?.slice(1) : word, line, 'fwmark', negative ? 2 ** 31 : 2 ** 32 - 1);
  const mark = negative && v !== 0 ? 2 ** 32 - v : v;
  if (mark === 0) throw new ParseError(line.n, line.text, 'fwmark must be 1..4294967295');
  return mark;
}

export interface Endpoint {
  address: string;
  /** A number with -n; the service name (`http`) when ipvsadm resolved it. */
  port: number | string;
}

/** `10.1.0.10:80`, `[2001:db8::1]:80`, or with names (`web1:http`): the text is kept when it is not numeric, unless
 * `numeric` asks for an IP address and a port number. */
export function endpoint(word: string | undefined, line: Line, what: string, numeric = false): Endpoint {
  if (!word) throw new ParseError(line.n, line.text, `${what}: missing address:port`);
  let address: string;
  let portText: string;
  if (word.startsWith('[')) {
    const close = word.indexOf(']:');
    if (close < 0)
      throw new ParseError(line.n, line.text, `${what}: expected [IPv6]:port, got ${JSON.stringify(word)}`);
    address = word.slice(1, close);
    portText = word.slice(close + 2);
    if (ipFamily(address) !== 6)
      throw new ParseError(line.n, line.text, `${what}: ${JSON.stringify(address)} is not an IPv6 address`);
    address = canonicalIP(address);
  } else {
    const colon = word.lastIndexOf(':');
    if (colon <= 0 || colon === word.length - 1) {
      throw new ParseError(line.n, line.text, `${what}: expected address:port, got ${JSON.stringify(word)}`);
    }
    address = word.slice(0, colon);
    portText = word.slice(colon + 1);
    if (address.includes(':')) throw new ParseError(line.n, line.text, `${what}: IPv6 address without brackets`);
    if (numeric && ipFamily(address) !== 4)
      throw new ParseError(line.n, line.text, `${what}: ${JSON.stringify(address)} is not an IPv4 address`);
  }
  const fast = digits(portText);
  if (fast >= 0 || /^\d+$/.test(portText)) {
    const p = fast >= 0 ? fast : Number(portText);
    if (p > 65535) throw new ParseError(line.n, line.text, `${what}: port ${p} is over 65535`);
    return { address, port: p };
  }
  if (numeric) throw new ParseError(line.n, line.text, `${what}: port ${JSON.stringify(portText)} is not a number`);
  if (!/^[A-Za-z0-9._-]+$/.test(portText))
    throw new ParseError(line.n, line.text, `${what}: bad port ${JSON.stringify(portText)}`);
  return { address, port: portText };
}

/** The value of `key` in a table of names, own keys only: a listing word such as `constructor` or `__proto__` must
 * not find Object.prototype's members. */
export function own<T>(table: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Protocol column of the service listings (ipvsadm -L and /proc/net/ip_vs) -> the model's protocol. */
export const LISTED_PROTOCOLS: Readonly<Record<string, Service['protocol']>> = {
  TCP: 'tcp',
  UDP: 'udp',
  SCTP: 'sctp',
  FWM: 'fwmark',
};
/** Forward column (`Masq`, `Route`, `Tunnel`, `Local`, `Bypass`) -> the model's forwarding method. */
export const FORWARD_BY_NAME: Readonly<Record<string, Destination['forward']>> = Object.fromEntries(
  FORWARDS.map((f) => [f.charAt(0).toUpperCase() + f.slice(1), f]),
);
