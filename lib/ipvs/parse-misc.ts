// `ipvsadm -L --timeout` and `ipvsadm -L --daemon`.
import { ParseError } from './parse-error';
import type { SyncDaemon, Timeouts } from './model';
import { ipFamily } from './ip';
import { lines, own } from './text';

export function parseTimeouts(text: string): Timeouts {
  const all = lines(text);
  const line = all[0];
  const m = line && /^Timeout \(tcp tcpfin udp\):\s+(\d+)\s+(\d+)\s+(\d+)\s*$/.exec(line.text);
  if (!line || !m || all.length !== 1) {
    const bad = all.length > 1 && m ? all[1] : line;
    throw new ParseError(bad?.n ?? 1, bad?.text ?? '', 'expected "Timeout (tcp tcpfin udp): N N N"');
  }
  return { tcp: Number(m[1]), tcpfin: Number(m[2]), udp: Number(m[3]) };
}

const DAEMON = /^(master|backup) sync daemon \((.*)\)\s*$/;
const FIELDS: Record<string, keyof SyncDaemon> = {
  mcast: 'mcastInterface',
  syncid: 'syncId',
  maxlen: 'maxlen',
  group: 'group',
  port: 'port',
  ttl: 'ttl',
};

/** Zero, one or two lines: `master sync daemon (mcast=lo, syncid=5, maxlen=1472, group=..., port=8848, ttl=1)`. */
export function parseDaemons(text: string): SyncDaemon[] {
  return lines(text).map((line) => {
    const m = DAEMON.exec(line.text);
    if (!m) throw new ParseError(line.n, line.text, 'expected "master|backup sync daemon (...)"');
    const d: Record<string, unknown> = { state: m[1] };
    for (const part of (m[2] as string).split(',')) {
      const [k, v] = part.trim().split('=') as [string, string | undefined];
      const field = own(FIELDS, k);
      if (!field || v === undefined || v === '')
        throw new ParseError(line.n, line.text, `unknown daemon field ${JSON.stringify(part.trim())}`);
      if (field === 'mcastInterface') d[field] = v;
      else if (field === 'group') {
        if (ipFamily(v) === 0) throw new ParseError(line.n, line.text, `group: ${JSON.stringify(v)} is not an address`);
        d[field] = v;
      } else {
        if (!/^\d+$/.test(v))
          throw new ParseError(line.n, line.text, `${k}: expected a number, got ${JSON.stringify(v)}`);
        d[field] = Number(v);
      }
    }
    if (d.mcastInterface === undefined || d.syncId === undefined)
      throw new ParseError(line.n, line.text, 'mcast and syncid are required');
    return d as unknown as SyncDaemon;
  });
}
