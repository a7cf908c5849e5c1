// HTTP(S) checks with the agent's own minimal HTTP/1.1 client: one GET written as one prepared buffer on a connection
// kept per real server (node:net, or node:tls for HTTPS), the answer read by HttpAnswerReader. node:http's Agent and
// ClientRequest cost several times the check itself at 1,000 real servers a second. A kept connection the real server
// closed just as it was reused is retried once on a new one; one idle for IDLE_CLOSE_MS is closed.
import { connect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { HttpAnswerReader, statusExpected, type CheckKind, type HttpAnswer } from '../../../lib/health';

/** At most this much of a response body is read: the rest closes the connection. */
export const MAX_BODY = 64 * 1024;
/** A kept connection unused for this long is closed. */
export const IDLE_CLOSE_MS = 60_000;

export type HttpKind = Extract<CheckKind, { type: 'http' | 'https' }>;
export type Outcome = { ok: true; weight?: number } | { ok: false; error: string };
export interface HttpTarget {
  address: string;
  port: number;
  sourceAddress?: string;
}

/** What a check needs that does not change between its runs (cached per target object). */
interface Prepared {
  kind: HttpKind;
  /** The kept connections' pool: same real server, source, TLS name and verification. */
  key: string;
  request: Buffer;
  pattern: RegExp | null;
  open: () => Socket;
}

interface Exchange {
  reader: HttpAnswerReader;
  done: (error: Error | null, answer: HttpAnswer | null) => void;
}

class Connection {
  exchange: Exchange | null = null;
  idleSince = 0;

  constructor(
    readonly socket: Socket,
    private readonly onIdleClose: (c: Connection) => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.data(chunk));
    socket.on('end', () => this.closed(null));
    socket.on('close', () => this.closed(null));
    socket.on('error', (e) => this.closed(e));
  }

  private data(chunk: Buffer): void {
    const x = this.exchange;
    if (!x) return void this.socket.destroy(); // bytes nobody asked for: the next answer could not be told apart
    let answer: HttpAnswer | null;
    try {
      answer = x.reader.push(chunk);
    } catch (e) {
      return this.settle(x, e as Error, null);
    }
    if (answer) this.settle(x, null, answer);
  }

  private closed(error: Error | null): void {
    const x = this.exchange;
    if (!x) return this.onIdleClose(this);
    if (error) return this.settle(x, error, null);
    let answer: HttpAnswer;
    try {
      answer = x.reader.end();
    } catch (e) {
      return this.settle(x, e as Error, null);
    }
    this.settle(x, null, answer);
  }

  private settle(x: Exchange, error: Error | null, answer: HttpAnswer | null): void {
    this.exchange = null;
    x.done(error, answer);
  }
}

export class HttpConnections {
  private readonly idle = new Map<string, Connection[]>();
  private readonly prepared = new WeakMap<HttpTarget, Prepared>();
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** One check; `onCancel` is given what stops it when its time is up. */
  check(kind: HttpKind, t: HttpTarget, onCancel: (stop: () => void) => void): Promise<Outcome> {
    let p = this.prepared.get(t);
    if (p?.kind !== kind) this.prepared.set(t, (p = prepare(kind, t)));
    const prepared = p;
    return new Promise((resolve, reject) => {
      let cancelled = false;
      const send = (retry: boolean) => {
        const kept = kind.reuseConnection && !retry ? this.take(prepared.key) : undefined;
        const c = kept ?? new Connection(prepared.open(), (gone) => this.forget(prepared.key, gone));
        const reader = new HttpAnswerReader({ keepBody: prepared.pattern ? MAX_BODY : 0, maxBody: MAX_BODY });
        c.exchange = {
          reader,
          done: (error, answer) => {
            if (answer?.keepAlive && kind.reuseConnection && !c.socket.destroyed) this.keep(prepared.key, c);
            else c.socket.destroy();
            if (cancelled) return;
            // the real server closed the kept connection just as it was reused: once more on a new one
            if (error && kept && !reader.started) return send(true);
            if (error) reject(error);
            else resolve(judge(kind, prepared.pattern, answer as HttpAnswer));
          },
        };
        onCancel(() => {
          cancelled = true;
          c.socket.destroy();
        });
        c.socket.write(prepared.request);
      };
      send(false);
    });
  }

  /** Closes the connections idle for IDLE_CLOSE_MS or more. */
  sweep(): void {
    const before = this.now() - IDLE_CLOSE_MS;
    for (const list of this.idle.values())
      for (const c of list.filter((c) => c.idleSince <= before)) c.socket.destroy(); // 'close' forgets it
  }

  /** Closes every kept connection. */
  closeAll(): void {
    for (const list of this.idle.values()) for (const c of [...list]) c.socket.destroy();
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private take(key: string): Connection | undefined {
    const list = this.idle.get(key);
    let c = list?.pop();
    while (c?.socket.destroyed) c = list?.pop(); // being closed (by the sweep): its 'close' is yet to come
    if (list?.length === 0) this.idle.delete(key);
    return c;
  }

  private keep(key: string, c: Connection): void {
    c.idleSince = this.now();
    const list = this.idle.get(key);
    if (list) list.push(c);
    else this.idle.set(key, [c]);
    if (!this.sweeper) {
      this.sweeper = setInterval(() => this.sweep(), IDLE_CLOSE_MS / 4);
      this.sweeper.unref();
    }
  }

  private forget(key: string, c: Connection): void {
    const list = this.idle.get(key);
    const i = list?.indexOf(c) ?? -1;
    if (!list || i < 0) return;
    list.splice(i, 1);
    if (list.length === 0) this.idle.delete(key);
  }
}

function judge(kind: HttpKind, pattern: RegExp | null, a: HttpAnswer): Outcome {
  if (!statusExpected(a.status, kind.status)) return { ok: false, error: `HTTP ${a.status} ${a.reason}`.trim() };
  if (!pattern || pattern.test(a.body.toString('utf8'))) return { ok: true };
  return { ok: false, error: `HTTP ${a.status}: body does not match ${kind.bodyRegex}` };
}

function prepare(kind: HttpKind, t: HttpTarget): Prepared {
  const literal = isIP(t.address) === 6 ? `[${t.address}]` : t.address;
  const host = kind.host ?? `${literal}:${t.port}`;
  const connection = kind.reuseConnection ? 'keep-alive' : 'close';
  const request = Buffer.from(
    `GET ${kind.path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: lvs-agent-health\r\nConnection: ${connection}\r\n\r\n`,
    'latin1',
  );
  const local = t.sourceAddress ? { localAddress: t.sourceAddress } : {};
  // SNI must be a name: without one given, the Host name when it is not an address
  const servername = kind.type === 'https' ? (kind.sni ?? (kind.host && !isIP(kind.host) ? kind.host : '')) : '';
  const open =
    kind.type === 'https'
      ? () =>
          tlsConnect({
            host: t.address,
            port: t.port,
            rejectUnauthorized: kind.verifyTls,
            ...(servername ? { servername } : {}),
            ...local,
          })
      : () => connect({ host: t.address, port: t.port, ...local });
  return {
    kind,
    key: `${kind.type}|${t.address}|${t.port}|${t.sourceAddress ?? ''}|${servername}|${kind.verifyTls}`,
    request,
    pattern: kind.bodyRegex !== undefined ? new RegExp(kind.bodyRegex) : null,
    open,
  };
}
