// The simulated connection table: entries that age through the kernel's TCP states by its timeouts, persistence
// templates that outlive their connections by the service's persistence timeout, and the per-real-server counts the
// schedulers read. Times are milliseconds on the director's clock.
import { ConnectionTable, type Timeouts } from '../../../lib/ipvs';

export type ConnProtocol = 'tcp' | 'udp' | 'sctp';

export interface Template {
  key: string;
  serviceId: string;
  destKey: string;
  /** `ip` for a fwmark service's template, else the service's protocol. */
  protocol: string;
  client: string;
  virtual: string;
  virtualPort: number;
  dest: string;
  destPort: number;
  timeoutMs: number;
  expireAt: number;
  /** Connections this template steered that are still in the table: while any is, the template is kept. */
  controlled: number;
}

export interface SimConn {
  serviceId: string;
  destKey: string;
  protocol: ConnProtocol;
  client: string;
  clientPort: number;
  virtual: string;
  virtualPort: number;
  dest: string;
  destPort: number;
  start: number;
  /** The client closes (TCP: FIN) at this time; UDP: the last datagram. */
  closeAt: number;
  /** NAT sees the real server's FIN and ends in TIME_WAIT; DR and TUN see only the client's side: FIN_WAIT. */
  closing: 'TIME_WAIT' | 'FIN_WAIT';
  template?: Template;
}

/** Kernel TCP timeouts that ipvsadm --set does not change (seconds). */
const TIME_WAIT_S = 120;
/** An established connection's timer restarts with every packet; the simulated clients send one every 10 s. */
const PACKET_EVERY_S = 10;

export interface ConnState {
  state: string;
  /** Seconds left on the entry's timer, as /proc/net/ip_vs_conn shows them; 0 once it has run out. */
  expires: number;
  active: boolean;
}

export function connState(c: SimConn, now: number, t: Timeouts): ConnState | null {
  const sinceClose = (now - c.closeAt) / 1000;
  if (c.protocol === 'udp') {
    const left = t.udp - Math.max(0, sinceClose);
    return left > 0 ? { state: 'UDP', expires: Math.ceil(left), active: false } : null;
  }
  if (sinceClose < 0) {
    const idle = ((now - c.start) / 1000) % PACKET_EVERY_S;
    return { state: 'ESTABLISHED', expires: Math.ceil(t.tcp - idle), active: true };
  }
  const left = (c.closing === 'TIME_WAIT' ? TIME_WAIT_S : t.tcpfin) - sinceClose;
  return left > 0 ? { state: c.closing, expires: Math.ceil(left), active: false } : null;
}

/** Renders the live entries and templates as the agent's columnar connection table (what /proc would give). */
export function renderConnections(
  conns: readonly SimConn[],
  templates: Iterable<Template>,
  now: number,
  t: Timeouts,
): ConnectionTable {
  const table = new ConnectionTable(Math.max(1024, conns.length + 64));
  const id = (s: string) => table.text.id(s);
  for (const c of conns) {
    const s = connState(c, now, t);
    if (!s) continue;
    table.push({
      protocol: id(c.protocol),
      state: id(s.state),
      expires: s.expires,
      client: id(c.client),
      clientPort: c.clientPort,
      virtual: id(c.virtual),
      virtualPort: c.virtualPort,
      dest: id(c.dest),
      destPort: c.destPort,
    });
  }
  for (const p of templates) {
    table.push({
      protocol: id(p.protocol),
      state: id('ASSURED'),
      expires: Math.max(0, Math.ceil((p.expireAt - now) / 1000)),
      client: id(p.client),
      clientPort: 0,
      virtual: id(p.virtual),
      virtualPort: p.virtualPort,
      dest: id(p.dest),
      destPort: p.destPort,
    });
  }
  return table;
}
