// Every Socket.IO event between the browser and the dashboard server, in one place. The server uses
// `Server<ClientEvents, ServerEvents>`, the browser `Socket<ServerEvents, ClientEvents>`. Anything the browser sends is
// untrusted: each client event's arguments (everything before the ack callback) have a zod schema in `clientEventArgs`,
// and the server parses them before acting.
import { z } from 'zod';

export const ERROR_CODES = [
  'unauthorized',
  'forbidden',
  'invalid',
  'conflict',
  'not_found',
  'kernel',
  'timeout',
  'unavailable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AckError {
  code: ErrorCode;
  message: string;
  /** Dotted path of the offending field, when the error is about one input field. */
  field?: string;
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

export interface DirectorSummary {
  id: string;
  name: string;
  status: DirectorStatus;
  /** When the dashboard last received data from this director (epoch ms), null if it never has. */
  lastUpdate: number | null;
}

/** Server -> browser. */
export interface ServerEvents {
  /** The full list of directors, sent on connection and whenever it changes. */
  directors: (list: DirectorSummary[]) => void;
}

/** Browser -> server. Every event is a request whose last argument is the ack callback. */
export interface ClientEvents {
  'directors:list': (ack: AckCallback<DirectorSummary[]>) => void;
}

/** Schemas of each client event's arguments before the ack callback, as a tuple. */
export const clientEventArgs = {
  'directors:list': z.tuple([]),
} as const satisfies Record<keyof ClientEvents, z.ZodType<unknown[]>>;

/** The arguments of client event `E` before its ack callback. */
export type ClientEventArgs<E extends keyof ClientEvents> = z.infer<(typeof clientEventArgs)[E]>;

/** The data type in the ack reply of client event `E`. */
export type ClientEventReply<E extends keyof ClientEvents> =
  Parameters<ClientEvents[E]> extends [...unknown[], AckCallback<infer T>] ? T : never;
