// The dashboard's connection to one director's agent: a Socket.IO client with the agent's token that keeps the
// director's table current (snapshot, then deltas) and knows whether the data is live, stale or unreachable.
import { EventEmitter } from 'node:events';
import { io as connect, type Socket } from 'socket.io-client';
import {
  AGENT_PROTOCOL,
  fail,
  type Ack,
  type AgentClientEvents,
  type AgentServerEvents,
  type ApplyOutcome,
  type ApplyRequest,
  type ConnectionView,
  type DirectorStatus,
  type DirectorSummary,
  type EditOutcome,
  type AgentInfo,
  type DirectorProblem,
} from '../../lib/events';
import {
  rowKey,
  type HealthConfig,
  type HealthConfigInput,
  type HealthJournalEntry,
  type HealthUpdate,
  type HealthView,
} from '../../lib/health';
import { PinnedAgent } from './pinned-tls';
import { classifyConnectError, peerCertificateSubject, type Problem } from './link-problem';
import {
  applyDelta,
  type Drains,
  type ConnectionQuery,
  type EditRequest,
  type TableDelta,
  type TableState,
} from '../../lib/ipvs';
import { STALE_AFTER_MS } from '../../lib/staleness';
import type { AgentEndpoint, AgentLinkEvents, AgentLinkOptions, ApplyProgress, HealthSeen } from './agent-link-types';
import type { DoctorReport } from '../../lib/doctor/facts';

export class AgentLink extends EventEmitter<AgentLinkEvents> {
  readonly name: string;
  private readonly socket: Socket<AgentServerEvents, AgentClientEvents>;
  private readonly staleAfterMs: number;
  private readonly requestTimeoutMs: number;
  private readonly now: () => number;
  private current: TableState | null = null;
  private lastUpdate: number | null = null;
  private connected = false;
  private lastStatus: DirectorStatus = 'unreachable';
  private currentProblem: DirectorProblem | null = null;
  /** The agent answered agent:info with our protocol; until then nothing is subscribed. */
  private compatible = false;
  /** How the agent reads its table, from its last agent:info (shown with the director). */
  private reader: DirectorSummary['reader'];
  private readonly url: string;
  /** The unreadable lines last announced with a status event (degraded or not is part of the summary). */
  private lastProblems = '[]';
  private readonly watchdog: NodeJS.Timeout;
  /** Fires the moment the data turns stale, so the banner does not wait for the next watchdog round. */
  private staleTimer: NodeJS.Timeout | undefined;

  constructor(endpoint: AgentEndpoint, opts: AgentLinkOptions = {}) {
    super();
    this.name = endpoint.name;
    this.url = endpoint.url;
    this.staleAfterMs = opts.staleAfterMs ?? STALE_AFTER_MS;
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 60_000;
    this.now = opts.now ?? Date.now;
    this.socket = connect(endpoint.url, {
      // on the websocket upgrade itself: the agent refuses anything else before reading a message
      extraHeaders: { authorization: `Bearer ${endpoint.token}` },
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 2000,
      timeout: opts.connectTimeoutMs ?? 20_000,
      ...(endpoint.ca ? { ca: endpoint.ca, rejectUnauthorized: true } : {}),
      // engine.io-client types `agent` as string | boolean but hands it to ws, which takes an https.Agent
      ...(endpoint.fingerprint ? { agent: new PinnedAgent(endpoint.fingerprint) as unknown as string } : {}),
    });
    this.socket.on('connect', () => {
      this.connected = true;
      this.handshake();
    });
    this.socket.on('disconnect', () => {
      this.connected = false;
      this.compatible = false;
      this.checkStatus();
    });
    this.socket.on('connect_error', (e) => {
      this.checkStatus();
      void this.onConnectError(e);
    });
    this.socket.on('table:delta', (d) => this.onDelta(d));
    this.socket.on('table:snapshot', (s) => this.onSnapshot(s));
    this.socket.on('apply:progress', (p) => this.onApplyProgress?.(p));
    this.socket.on('health:update', (u) => this.onHealth(u));
    this.watchdog = setInterval(() => this.checkStatus(), 250);
    this.watchdog.unref();
  }

  get state(): TableState | null {
    return this.current;
  }

  /** What the agent said about itself on this connection (null until it answered with our protocol). */
  get agentInfo(): Omit<AgentInfo, 'restored'> | null {
    return this.info;
  }
  private info: Omit<AgentInfo, 'restored'> | null = null;

  /** Ask the agent about itself again (its tick cadence moves while it runs); the last answer if it does not answer. */
  async freshAgentInfo(timeoutMs = 2000): Promise<Omit<AgentInfo, 'restored'> | null> {
    const r = await this.request<AgentInfo>((cb) => this.socket.timeout(timeoutMs).emit('agent:info', cb));
    if (r.ok && r.data.protocol === AGENT_PROTOCOL) {
      const { restored, ...info } = r.data;
      this.info = info;
      if (restored) this.emit('restored', restored); // handed out once: never drop it
    }
    return this.info;
  }

  get status(): DirectorStatus {
    if (!this.connected || !this.compatible || this.lastUpdate === null) return 'unreachable';
    return this.now() - this.lastUpdate > this.staleAfterMs ? 'stale' : 'live';
  }

  summary(): DirectorSummary {
    return {
      id: this.name,
      name: this.name,
      status: this.status,
      lastUpdate: this.lastUpdate,
      problem: this.currentProblem,
      ...(this.current?.problems?.length ? { problems: this.current.problems } : {}),
      ...(this.reader ? { reader: this.reader } : {}),
    };
  }

  get problem(): DirectorProblem | null {
    return this.currentProblem;
  }

  private setProblem(p: Problem | null): void {
    const same =
      p === null
        ? this.currentProblem === null
        : this.currentProblem?.kind === p.kind && this.currentProblem.message === p.message;
    if (same) return;
    this.currentProblem = p && { ...p, since: this.currentProblem?.since ?? this.now() };
    this.emit('problem', this.currentProblem);
  }

  private async onConnectError(e: Error): Promise<void> {
    const p = classifyConnectError(e, this.url);
    // the certificate's subject costs a second handshake: only when the TLS problem is new
    if (p.kind === 'tls' && this.currentProblem?.kind !== 'tls') {
      const subject = await peerCertificateSubject(this.url);
      if (subject) p.message = p.message.replace(/^TLS: ([^(]+?) \(/, `TLS: $1: ${subject} (`);
    } else if (p.kind === 'tls' && this.currentProblem) p.message = this.currentProblem.message;
    if (!this.connected) this.setProblem(p);
  }

  /** On each connection: check the agent speaks our protocol, then subscribe to its table. */
  private handshake(): void {
    this.socket.timeout(this.requestTimeoutMs).emit('agent:info', (err: Error | null, r: Ack<AgentInfo>) => {
      if (err || !r?.ok)
        return this.setProblem({ kind: 'timeout', message: 'the agent did not answer agent:info in time' });
      if (r.data.protocol !== AGENT_PROTOCOL) {
        const theirs =
          typeof r.data.protocol === 'number' ? `protocol ${r.data.protocol}` : 'no protocol number (an older agent)';
        return this.setProblem({
          kind: 'version',
          message: `agent version incompatible: it speaks ${theirs}, this dashboard ${AGENT_PROTOCOL}`,
        });
      }
      this.compatible = true;
      const { restored: _, ...info } = r.data;
      this.info = info;
      const { backend, backendReason } = r.data;
      this.reader = backendReason === undefined ? { backend } : { backend, reason: backendReason };
      if (r.data.restored) this.emit('restored', r.data.restored);
      this.subscribe();
      this.subscribeHealth();
      if (this.connWatchers > 0) this.socket.emit('conns:watch', true, () => undefined); // the agent restarted
    });
  }

  /** Stale while connected: ask the agent why (its last kernel read may have failed). */
  private askWhyStale(): void {
    this.socket.timeout(this.requestTimeoutMs).emit('agent:info', (err: Error | null, r: Ack<AgentInfo>) => {
      if (this.status !== 'stale') return;
      if (!err && r?.ok && r.data.readError)
        this.setProblem({ kind: 'ipvs', message: `the agent cannot read IPVS: ${r.data.readError}` });
      else this.setProblem({ kind: 'timeout', message: 'the agent is connected but sends no updates' });
    });
  }

  private markUpdated(): void {
    this.lastUpdate = this.now();
    clearTimeout(this.staleTimer);
    this.staleTimer = setTimeout(() => this.checkStatus(), this.staleAfterMs + 1);
    this.staleTimer.unref();
  }

  private checkStatus(): void {
    const s = this.status;
    const problems = JSON.stringify(this.current?.problems ?? []);
    if (s !== this.lastStatus || problems !== this.lastProblems) {
      if (s !== this.lastStatus && s === 'live') this.setProblem(null);
      else if (s !== this.lastStatus && s === 'stale') this.askWhyStale();
      this.lastStatus = s;
      this.lastProblems = problems;
      this.emit('status', s);
    }
  }

  private resubscribe: NodeJS.Timeout | undefined;

  private subscribe(): void {
    this.socket.timeout(this.requestTimeoutMs).emit('table:subscribe', (err: Error | null, r: Ack<TableState>) => {
      if (!err && r?.ok) return this.onSnapshot(r.data);
      // the agent runs but its first read failed: say why, and ask again (it answers once a read succeeds)
      if (!err && !r.ok) this.setProblem({ kind: 'ipvs', message: `the agent cannot read IPVS: ${r.error.message}` });
      clearTimeout(this.resubscribe);
      this.resubscribe = setTimeout(() => this.connected && this.subscribe(), 2000);
      this.resubscribe.unref();
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
    if (!this.connected || !this.compatible) {
      const why = this.currentProblem ? `: ${this.currentProblem.message}` : '';
      return Promise.resolve(fail('unavailable', `director ${this.name} is unreachable${why}`));
    }
    return new Promise((resolve) =>
      send((err, r) => resolve(err ? fail('timeout', `director ${this.name} did not answer in time`) : r)),
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

  /** The director doctor's findings; a run looks up a route per address, so it may take a few request times. */
  doctor(): Promise<Ack<DoctorReport>> {
    return this.request((cb) => this.socket.timeout(this.requestTimeoutMs * 3).emit('doctor:run', cb));
  }

  /** The agent's health checks as last reported. */
  readonly health: HealthSeen = { available: false, rows: new Map(), configError: null, quorum: {} };

  private subscribeHealth(): void {
    this.socket.timeout(this.requestTimeoutMs).emit('health:subscribe', (err: Error | null, r: Ack<HealthView>) => {
      if (err) return;
      const rows = r.ok ? r.data.rows : [];
      this.health.available = r.ok;
      this.health.configError = r.ok ? r.data.configError : null;
      this.health.quorum = r.ok ? (r.data.quorum ?? {}) : {};
      const removed = [...this.health.rows.keys()];
      this.health.rows.clear();
      for (const row of rows) this.health.rows.set(rowKey(row), row);
      this.emit('health', { rows, removed, at: this.now(), quorum: this.health.quorum, fresh: true });
    });
  }

  private onHealth(u: HealthUpdate): void {
    for (const k of u.removed) this.health.rows.delete(k);
    for (const row of u.rows) this.health.rows.set(rowKey(row), row);
    if (u.quorum) this.health.quorum = u.quorum;
    this.emit('health', u);
  }

  healthConfig(): Promise<Ack<{ config: HealthConfig; error: string | null }>> {
    return this.request((cb) => this.socket.timeout(this.requestTimeoutMs).emit('health:config:get', cb));
  }

  private healthEditing: Promise<unknown> = Promise.resolve();

  /** Reads the agent's checks configuration, changes it and saves it back; one change at a time per director, so
   * two never lose each other's. Answers the configuration before and after. */
  changeHealthConfig(
    change: (c: HealthConfig) => HealthConfigInput,
  ): Promise<Ack<{ before: HealthConfig; after: HealthConfig }>> {
    const run = this.healthEditing.then(async () => {
      const got = await this.healthConfig();
      if (!got.ok) return got;
      const before = got.data.config;
      const set = await this.request<HealthConfig>((cb) =>
        this.socket.timeout(this.requestTimeoutMs).emit('health:config:set', change(before), cb),
      );
      return set.ok ? { ok: true as const, data: { before, after: set.data } } : set;
    });
    this.healthEditing = run.catch(() => undefined);
    return run;
  }

  /** The drains the agent keeps (an agent that keeps none answers {}). */
  drains(): Promise<Ack<Drains>> {
    return this.request((cb) => this.socket.timeout(this.requestTimeoutMs).emit('drains:get', cb));
  }

  healthJournal(since: number): Promise<Ack<HealthJournalEntry[]>> {
    return this.request((cb) => this.socket.timeout(this.requestTimeoutMs).emit('health:journal', { since }, cb));
  }

  close(): void {
    clearInterval(this.watchdog);
    clearTimeout(this.staleTimer);
    clearTimeout(this.resubscribe);
    this.socket.close();
    this.removeAllListeners();
  }
}
