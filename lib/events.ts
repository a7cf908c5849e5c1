// The Socket.IO events the dashboard server pushes to the browser, the Ack every request is answered with, and the
// hub <-> agent protocol. The browser's requests (ClientEvents) are the socket operations of lib/api/operations; the
// server uses `Server<ClientEvents, ServerEvents>`, the browser `Socket<ServerEvents, ClientEvents>`.
import { z } from 'zod';
import {
  ConnectionQuery,
  EditRequest,
  type Drains,
  type ConnectionPage,
  type Edit,
  type TableDelta,
  type TableProblem,
  type TableState,
} from './ipvs';
import { HealthConfig, type HealthJournalEntry, type HealthUpdate, type HealthView } from './health';
import type { DoctorReport } from './doctor/facts';
import type { AckError, ErrorCode } from './errors';

// The errors a request may answer with carry the director's table and the kernel's result, whose types live here.
declare module './errors' {
  interface ErrorPayload {
    /** The director's current table, with errors that mean "what you saw is out of date" (conflict, not_found). */
    state: TableState;
    /** What ran and what the kernel said, with kernel and timeout errors. */
    result: OpResult;
  }
}

/** The reply to every browser request: data, or a typed error the UI can show. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };
export type AckCallback<T> = (reply: Ack<T>) => void;

export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

export function fail(code: ErrorCode, message: string, field?: string): Ack<never> {
  return { ok: false, error: field === undefined ? { code, message } : { code, message, field } };
}

export const DIRECTOR_STATUSES = ['live', 'stale', 'unreachable'] as const;
/** live: fresh data from its agent; stale: the agent answers late or data is old; unreachable: no answer. */
export type DirectorStatus = (typeof DIRECTOR_STATUSES)[number];

export const DIRECTOR_PROBLEMS = ['refused', 'dns', 'timeout', 'tls', 'token', 'version', 'ipvs', 'network'] as const;
/** Why a director is not live: refused (nothing listens), dns (the name does not resolve), timeout (no answer),
 * tls (certificate not trusted, expired, wrong name), token (the agent refused ours), version (the agent speaks
 * another protocol), ipvs (the agent runs but cannot read IPVS), network (anything else on the way). */
export type DirectorProblemKind = (typeof DIRECTOR_PROBLEMS)[number];

export interface DirectorProblem {
  kind: DirectorProblemKind;
  /** One line for people, e.g. "TLS: certificate not trusted: CN=lvs1 (self-signed certificate)". */
  message: string;
  /** Since when (epoch ms) the director has not been live (the reason may have changed meanwhile). */
  since: number;
}

export interface DirectorSummary {
  id: string;
  name: string;
  status: DirectorStatus;
  /** When the dashboard last received data from this director (epoch ms), null if it never has. */
  lastUpdate: number | null;
  /** Why it is not live, when the hub knows; null when live. */
  problem: DirectorProblem | null;
  /** Degraded: lines of the kernel's listing its agent could not read (the rest of the table is live). Absent when
   * every line read. */
  problems?: TableProblem[];
  /** A simulated director (no kernel behind it). */
  simulated?: true;
  /** How its agent reads the kernel's table (`netlink`, `ipvsadm`, ...) and why, from its agent:info. */
  reader?: { backend: string; reason?: string };
}

/** A director's table as the browser gets it: the snapshot on subscribe, then deltas. */
export interface DirectorSnapshot {
  director: string;
  state: TableState;
}
export interface DirectorDelta {
  director: string;
  delta: TableDelta;
}
/** Broadcast to every browser subscribed to the director after an edit ('service:update') succeeds, made over
 * Socket.IO or the REST API alike; whole-table applies do not send it (they send 'apply:progress'). */
export interface ServiceUpdated {
  director: string;
  user: string;
  edit: Edit;
  result: OpResult;
  version: number;
}

/** Server -> browser. */
export interface ServerEvents {
  /** The full list of directors, sent on connection and whenever it changes (status, last update). */
  directors: (list: DirectorSummary[]) => void;
  'director:snapshot': (s: DirectorSnapshot) => void;
  'director:delta': (d: DirectorDelta) => void;
  'service:updated': (u: ServiceUpdated) => void;
  /** The director's real servers whose health changed (rows) or that are no longer checked (removed keys). */
  'director:health': (u: { director: string; update: HealthUpdate }) => void;
  /** A whole-table apply (import, restore) in progress on a director: one event per operation. */
  'apply:progress': (p: ApplyProgressEvent) => void;
  /** An audit row was written or completed (any director, any source, failures too): the History page reloads. */
  'audit:changed': (a: { id: number; director: string }) => void;
  /** The session ended (logged out, elsewhere too, or expired): the page should go to the login. */
  'session:ended': () => void;
}

export interface ApplyProgressEvent {
  director: string;
  user: string;
  step: number;
  total: number;
  result: OpResult;
}

// ---------------------------------------------------------------------------------------------------------------
// Dashboard hub <-> agent. The hub connects to each agent as a Socket.IO client (websocket only) with the agent's
// token as `Authorization: Bearer <token>` on the upgrade. The agent is `Server<AgentClientEvents, AgentServerEvents>`.

/** The agent answers with the same Ack as the dashboard (errors may carry `state` and `result`). */
export type AgentAck<T> = Ack<T>;

export interface OpResult {
  /** Exactly what ran, program first. */
  argv: string[];
  ok: boolean;
  exitCode: number | null;
  /** The kernel's (ipvsadm's) own error text. */
  stderr: string;
  durationMs: number;
}

export interface EditOutcome {
  edit: Edit;
  result: OpResult;
  /** The table re-read after the edit shows its effect. */
  confirmed: boolean;
  version: number;
}

export interface ApplyOutcome {
  /** ipvsadm arguments of each planned operation, in order. */
  plan: string[][];
  results: OpResult[];
  dryRun: boolean;
  version: number;
  /** ipvsadm -S -n of the table after the apply. */
  after?: string;
}

/** The hub <-> agent protocol; the hub refuses an agent that speaks another (or none: agents before 1). */
export const AGENT_PROTOCOL = 1;

export interface AgentInfo {
  name: string;
  backend: string;
  /** Why this backend reads the table (the netlink reader, or ipvsadm and why not netlink); absent from older agents. */
  backendReason?: string;
  /** What runs its TCP health checks: the tcp-probe helper, or node:net and why; absent from older agents. */
  tcpChecks?: string;
  tickMs: number;
  /** How long the agent's last tick took (ms; null before the first); absent from older agents. */
  lastTickMs?: number | null;
  /** Ticks overran tickMs, so they come every lastTickMs + tickMs instead of piling up (absent: older agent). */
  stretched?: boolean;
  protocol: number;
  /** Why the last read of the kernel's table failed, null when it succeeded. */
  readError: string | null;
  /** What restore-on-boot did, handed out once (the dashboard audits it); null when there is nothing new. */
  restored: { at: number; plan: string[][]; results: OpResult[] } | null;
}

export type ConnectionView = ConnectionPage & { readAt: number; readMs: number };

export const ApplyRequest = z
  .object({
    rules: z.string().max(16 * 1024 * 1024),
    dryRun: z.boolean(),
    // keep: the live services the rules name none of stay (keepalived's way), judged against the table the agent
    // reads when the apply runs, so a service added after the dashboard's last look is kept too
    others: z.enum(['remove', 'keep']).optional(),
  })
  .strict();
export type ApplyRequest = z.infer<typeof ApplyRequest>;

/** Hub -> agent requests (last argument: the ack). */
export interface AgentClientEvents extends AgentHealthEvents {
  'agent:info': (ack: AgentAckCallback<AgentInfo>) => void;
  /** Subscribe to the table: the ack carries the snapshot, then `table:delta` events follow. */
  'table:subscribe': (ack: AgentAckCallback<TableState>) => void;
  edit: (req: EditRequest, ack: AgentAckCallback<EditOutcome>) => void;
  apply: (req: ApplyRequest, ack: AgentAckCallback<ApplyOutcome>) => void;
  /** Start (true) or stop (false) reading the connection table for this hub connection. */
  'conns:watch': (on: boolean, ack: AgentAckCallback<null>) => void;
  'conns:query': (q: ConnectionQuery, ack: AgentAckCallback<ConnectionView>) => void;
  /** Run the director doctor (lvs-agent doctor) now, or answer its report of the last few seconds. */
  'doctor:run': (ack: AgentAckCallback<DoctorReport>) => void;
  /** The drains the agent keeps (the weight each drained real server had, since when, remove when empty). */
  'drains:get': (ack: AgentAckCallback<Drains>) => void;
}
export type AgentAckCallback<T> = (reply: AgentAck<T>) => void;

export const HealthJournalRequest = z
  .object({ since: z.number().int().min(0), limit: z.number().int().min(1).max(1000).default(1000) })
  .strict();

/** The agent's health checks (issue #14): its checks file, live per-real-server health, and its audit journal. */
export interface AgentHealthEvents {
  /** The current checks configuration, and why the file could not be used (null when it could). */
  'health:config:get': (ack: AgentAckCallback<{ config: HealthConfig; error: string | null }>) => void;
  /** Validate, save in the agent's state directory and use a new checks configuration. */
  'health:config:set': (config: z.input<typeof HealthConfig>, ack: AgentAckCallback<HealthConfig>) => void;
  /** The ack carries every checked real server's health; `health:update` events follow with what changed. */
  'health:subscribe': (ack: AgentAckCallback<HealthView>) => void;
  /** Journal entries (transitions, edits, quorum, hooks by "health-check") after `since`, oldest first. */
  'health:journal': (req: z.input<typeof HealthJournalRequest>, ack: AgentAckCallback<HealthJournalEntry[]>) => void;
}

/** Schemas of each agent event's arguments before the ack callback, as a tuple: the agent parses every request with
 * them (a token holder's bug or a hostile client must get an error answer, never crash the agent). */
export const agentEventArgs = {
  'agent:info': z.tuple([]),
  'table:subscribe': z.tuple([]),
  edit: z.tuple([EditRequest]),
  apply: z.tuple([ApplyRequest]),
  'conns:watch': z.tuple([z.boolean()]),
  'conns:query': z.tuple([ConnectionQuery]),
  'doctor:run': z.tuple([]),
  'drains:get': z.tuple([]),
  'health:config:get': z.tuple([]),
  'health:config:set': z.tuple([HealthConfig]),
  'health:subscribe': z.tuple([]),
  'health:journal': z.tuple([HealthJournalRequest]),
} as const satisfies Record<keyof AgentClientEvents, z.ZodType<unknown[]>>;

/** The arguments of agent event `E` before its ack callback. */
export type AgentEventArgs<E extends keyof AgentClientEvents> = z.infer<(typeof agentEventArgs)[E]>;

/** The data type in the ack reply of agent event `E`. */
export type AgentEventReply<E extends keyof AgentClientEvents> =
  Parameters<AgentClientEvents[E]> extends [...unknown[], AgentAckCallback<infer T>] ? T : never;

/** Agent -> hub pushes. */
export interface AgentServerEvents {
  'table:delta': (delta: TableDelta) => void;
  'table:snapshot': (state: TableState) => void;
  'apply:progress': (p: { step: number; total: number; result: OpResult }) => void;
  /** After health:subscribe: the rows that changed (at most once per second). */
  'health:update': (u: HealthUpdate) => void;
}
