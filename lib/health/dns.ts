// The smallest DNS query a health check needs (RFC 1035): one question, recursion desired, and the reading of the
// answer's header (id, response flag, rcode).
import { DNS_RCODES, DNS_TYPES } from './config';

export function dnsQuery(id: number, name: string, type: keyof typeof DNS_TYPES): Buffer {
  const labels = name === '.' ? [] : name.replace(/\.$/, '').split('.');
  const qname = Buffer.concat([
    ...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])),
    Buffer.from([0]),
  ]);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id & 0xffff, 0);
  header.writeUInt16BE(0x0100, 2); // standard query, RD
  header.writeUInt16BE(1, 4); // QDCOUNT
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(DNS_TYPES[type], 0);
  tail.writeUInt16BE(1, 2); // class IN
  return Buffer.concat([header, qname, tail]);
}

export interface DnsAnswerHeader {
  id: number;
  response: boolean;
  rcode: number;
  /** The rcode's name (NOERROR, NXDOMAIN, ...) or RCODE<n>. */
  rcodeName: string;
}

/** The header of a DNS message; undefined when it is too short to be one. */
export function dnsAnswerHeader(msg: Buffer): DnsAnswerHeader | undefined {
  if (msg.length < 12) return undefined;
  const flags = msg.readUInt16BE(2);
  const rcode = flags & 0x0f;
  const name = Object.entries(DNS_RCODES).find(([, v]) => v === rcode)?.[0];
  return { id: msg.readUInt16BE(0), response: (flags & 0x8000) !== 0, rcode, rcodeName: name ?? `RCODE${rcode}` };
}
