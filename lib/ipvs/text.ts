// Small lexing helpers shared by the parsers.
import { ParseError } from './errors';
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

export function words(text: string): string[] {
  return text.trim().split(/\s+/);
}

/** Counter as ipvsadm prints it: exact digits, or (without --exact) digits with a K/M/G/T suffix. */
export function counter(word: string, line: Line, what: string): { value: number; approximate: boolean } {
  if (word.length <= 15) {
    // fast path: plain digits (every --exact listing, and small values without it)
    let v = 0;
    let i = 0;
    for (; i < word.length; i++) {
      const c = word.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      v = v * 10 + c;
    }
    if (i === word.length && i > 0) return { value: v, approximate: false };
  }
  const m = /^(\d+)([KMGT]?)$/.exec(word);
  if (!m) throw new ParseError(line.n, line.text, `${what}: expected a number, got ${JSON.stringify(word)}`);
  const scale = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2] as '' | 'K' | 'M' | 'G' | 'T'];
  const value = Number(m[1]) * scale;
  if (!Number.isSafeInteger(value)) throw new ParseError(line.n, line.text, `${what}: ${word} is too large`);
  return { value, approximate: scale !== 1 };
}

export function integer(word: string | undefined, line: Line, what: string, max = Number.MAX_SAFE_INTEGER): number {
  if (word === undefined || !/^\d+$/.test(word)) {
    throw new ParseError(line.n, line.text, `${what}: expected a number, got ${JSON.stringify(word ?? '')}`);
  }
  const v = Number(word);
  if (v > max) throw new ParseError(line.n, line.text, `${what}: ${v} is over ${max}`);
  return v;
}

export interface Endpoint {
  address: string;
  /** A number with -n; the service name (`http`) when ipvsadm resolved it. */
  port: number | string;
}

/** `10.1.0.10:80`, `[2001:db8::1]:80`, or with names (`web1:http`): the text is kept when it is not numeric. */
export function endpoint(word: string | undefined, line: Line, what: string): Endpoint {
  if (!word) throw new ParseError(line.n, line.text, `${what}: missing address:port`);
  let address: string;
  let portText: string;
  if (word.startsWith('[')) {
    const close = word.indexOf(']:');
    if (close < 0) throw new ParseError(line.n, line.text, `${what}: expected [IPv6]:port, got ${JSON.stringify(word)}`);
    address = word.slice(1, close);
    portText = word.slice(close + 2);
    if (ipFamily(address) !== 6) throw new ParseError(line.n, line.text, `${what}: ${JSON.stringify(address)} is not an IPv6 address`);
    address = canonicalIP(address);
  } else {
    const colon = word.lastIndexOf(':');
    if (colon <= 0 || colon === word.length - 1) {
      throw new ParseError(line.n, line.text, `${what}: expected address:port, got ${JSON.stringify(word)}`);
    }
    address = word.slice(0, colon);
    portText = word.slice(colon + 1);
    if (address.includes(':')) throw new ParseError(line.n, line.text, `${what}: IPv6 address without brackets`);
  }
  if (/^\d+$/.test(portText)) {
    const p = Number(portText);
    if (p > 65535) throw new ParseError(line.n, line.text, `${what}: port ${p} is over 65535`);
    return { address, port: p };
  }
  if (!/^[A-Za-z0-9._-]+$/.test(portText)) throw new ParseError(line.n, line.text, `${what}: bad port ${JSON.stringify(portText)}`);
  return { address, port: portText };
}

/** Protocol column of the service listings (ipvsadm -L and /proc/net/ip_vs) -> the model's protocol. */
export const LISTED_PROTOCOLS: Record<string, Service['protocol']> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp', FWM: 'fwmark' };
/** Forward column (`Masq`, `Route`, `Tunnel`, `Local`, `Bypass`) -> the model's forwarding method. */
export const FORWARD_BY_NAME: Record<string, Destination['forward']> = Object.fromEntries(
  FORWARDS.map((f) => [f.charAt(0).toUpperCase() + f.slice(1), f]),
);
