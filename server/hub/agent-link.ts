// The dashboard's connection to one director's agent: a Socket.IO client with the agent's token that keeps the
// director's table current (snapshot, then deltas) and knows whether the data is live, stale or unreachable.
import { EventEmitter } from 'node:events';
import { io as connect, type Socket } from 'socket.io-client';
import type {
  Ack,
  AgentClientEvents,
  AgentServerEvents,
  ApplyOutcome,
  ApplyRequest,
  ConnectionView,
  DirectorStatus,
  DirectorSummary,
  EditOutcome,
} from '../../lib/events';
import { applyDelta, type ConnectionQuery, type EditRequest, type TableDelta, type TableState } from '../../lib/ipvs';

export type ApplyProgress = Parameters<AgentServerEvents['apply:progress']>[0];

export interface AgentEndpoint {
  /** Short name shown to people and used in URLs (`lab`, `lvs1`). */
  name: string;
  url: string;
  token: string;
}

export interface AgentLinkEvents {
  snapshot: [TableState];
  delta: [TableDelta];
  status: [DirectorStatus];
}

export interface AgentLinkOptions {
  /** No update for this long means stale (the agent pushes at least once per tick). */
  staleAfterMs?: number;
  requestTimeoutMs?: number;
}

export class AgentLink extends EventEmitter<AgentLinkEvents> {
  readonly name: string;
  private readonly socket: Socket<AgentServerEvents, AgentClientEvents>;
  private readonly staleAfterMs: number;
  private readonly requestTimeoutMs: number;
  private current: TableState | null = null;
  private lastUpdate: number | null = null;
  private connected = false;
  private lastStatus: DirectorStatus = 'unreachable';
  /** The unreadable lines last announced with a status event (degraded or not is part of the summary). */
  private lastProblems = '[]';
  private readonly watchdog: NodeJS.Timeout;
  /** Fires the moment the data turns stale, so the banner does not wait for the next watchdog round. */
  private staleTimer: NodeJS.Timeout | undefined;

  constructor(endpoint: AgentEndpoint, opts: AgentLinkOptions = {}) {
    super();
    this.name = endpoint.name;
    this.staleAfterMs = opts.staleAfterMs ?? 2500;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 60_000;
    this.socket = connect(endpoint.url, {
      auth: { token: endpoint.token },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 2000,
    });
    this.socket.on('connect', () => {
      this.connected = true;
      this.subscribe();
      if (this.connWatchers > 0) this.socket.emit('conns:watch', true, () => undefined); // the agent restarted
    });
    this.socket.on('disconnect', () => {
      this.connected = false;
      this.checkStatus();
    });
    this.socket.on('connect_error', () => this.checkStatus());
    this.socket.on('table:delta', (d) => this.onDelta(d));
    this.socket.on('table:snapshot', (s) => this.onSnapshot(s));
    this.socket.on('apply:progress', (p) => this.onApplyProgress?.(p));
    this.watchdog = setInterval(() => this.checkStatus(), 250);
    this.watchdog.unref();
  }

  get state(): TableState | null {
    return this.current;
  }

  get status(): DirectorStatus {
    if (!this.connected || this.lastUpdate === null) return 'unreachable';
    return Date.now() - this.lastUpdate > this.staleAfterMs ? 'stale' : 'live';
  }

  summary(): DirectorSummary {
    const problems = this.current?.problems;
    const s: DirectorSummary = { id: this.name, name: this.name, status: this.status, lastUpdate: this.lastUpdate };
    return problems?.length ? { ...s, problems } : s;
  }

  private markUpdated(): void {
    this.lastUpdate = Date.now();
    clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => this.checkStatus(), this.staleAfterMs + 1);
    this.staleTimer.unref();
  }

  private checkStatus(): void {
    const s = this.status;
    const problems = JSON.stringify(this.current?.problems ?? []);
    if (s !== this.lastStatus || problems !== this.lastProblems) {
      this.lastStatus = s;
      this.lastProblems = problems;
      this.emit('status', s);
    }
  }

  private subscribe(): void {
    this.socket.timeout(this.requestTimeoutMs).emit('table:subscribe', (err: Error | null, r: Ack<TableState>) => {
      if (!err && r?.ok) this.onSnapshot(r.data);
    });
  }

  private onSnapshot(s: TableState): void {
    this.current = s;
    this.markUpdated();
    this.emit('snapshot', s);
    this.checkStatus();
  }

  private onDelta(d: TableDelta): void {
    if (!this.current) return;
    try {
      this.current = applyDelta(this.current, d);
    } catch {
      this.subscribe(); // out of step: start again from a snapshot
      return;
    }
    this.markUpdated();
    this.emit('delta', d);
    this.checkStatus();
  }

  private request<T>(send: (cb: (err: Error | null, r: Ack<T>) => void) => void): Promise<Ack<T>> {
    if (!this.connected)
      return Promise.resolve({
        ok: false,
        error: { code: 'unavailable', message: `director ${this.name} is unreachable` },
      });
    return new Promise((resolve) =>
      send((err, r) =>
        resolve(
          err ? { ok: false, error: { code: 'timeout', message: `director ${this.name} did not answer in time` } } : r,
        ),
      ),
    );
  }

  edit(req: EditRequest): Promise<Ack<EditOutcome>> {
    return this.request((cb) => this.socket.timeout(this.requestTimeoutMs).emit('edit', req, cb));
  }

  private onApplyProgress: ((p: ApplyProgress) => void) | undefined;
  private applying: Promise<unknown> = Promise.resolve();

  /** Applies a whole table (ipvsadm -S -n text) with the agent's minimal planner; one apply at a time per director,
   * so each progress event belongs to the caller that is waiting. */
  apply(req: ApplyRequest, onProgress?: (p: ApplyProgress) => void): Promise<Ack<ApplyOutcome>> {
    const run = this.applying.then(() => {
      this.onApplyProgress = onProgress;
      return this.request<ApplyOutcome>((cb) =>
        this.socket.timeout(this.requestTimeoutMs * 10).emit('apply', req, cb),
      ).finally(() => {
        this.onApplyProgress = undefined;
      });
    });
    this.applying = run.catch(() => undefined);
    return run;
  }

  private connWatchers = 0;

  /** Browsers watching this director's connection table; the agent reads it only while there is one. */
  async watchConnections(on: boolean): Promise<Ack<null>> {
    this.connWatchers = Math.max(0, this.connWatchers + (on ? 1 : -1));
    if ((on && this.connWatchers !== 1) || (!on && this.connWatchers !== 0)) return { ok: true, data: null };
    return this.request((cb) => this.socket.timeout(this.requestTimeoutMs).emit('conns:watch', on, cb));
  }

  queryConnections(q: ConnectionQuery): Promise<Ack<ConnectionView>> {
    return this.request((cb) => this.socket.timeout(this.requestTimeoutMs).emit('conns:query', q, cb));
  }

  close(): void {
    clearInterval(this.watchdog);
    clearTimeout(this.staleTimer);
    this.socket.close();
    this.removeAllListeners();
  }
}
