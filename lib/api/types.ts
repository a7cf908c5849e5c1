// Types derived from the registry: each operation's input and output, and which transport reaches it.
import type { z } from 'zod';
import type { AckCallback, ServerEvents } from '../events';
import type { NoInput } from './operation';
import type { OperationName, Operations } from './operations';
import type { PairView } from './pairs';

/** What a caller sends (defaults not yet applied). */
export type InputOf<N extends OperationName> = z.input<Operations[N]['input']>;
/** What a handler receives (parsed, defaults applied). */
export type ParsedInputOf<N extends OperationName> = z.output<Operations[N]['input']>;
export type OutputOf<N extends OperationName> = z.output<Operations[N]['output']>;

export type SocketOperationName = {
  [K in OperationName]: Operations[K] extends { socket: true } ? K : never;
}[OperationName];
export type RestOperationName = {
  [K in OperationName]: Operations[K] extends { rest: object } ? K : never;
}[OperationName];

/** A Socket.IO event's arguments before its ack: none for an operation without input (NoInput), else its input. */
export type SocketArgs<N extends SocketOperationName> = [Operations[N]['input']] extends [typeof NoInput]
  ? [typeof NoInput] extends [Operations[N]['input']]
    ? []
    : [InputOf<N>]
  : [InputOf<N>];

/** Browser -> server events, one per socket operation; the last argument is the ack with its typed answer. */
export type ClientEvents = {
  [N in SocketOperationName]: (...args: [...SocketArgs<N>, AckCallback<OutputOf<N>>]) => void;
};

/** Server -> browser events: the live relay's (lib/events.ts) and the registry's pushes. */
export type DashboardServerEvents = ServerEvents & {
  /** A pair's drift changed, or it was set, or removed (`pair` null): pushed when a member's table changes. */
  'pair:drift': (u: { name: string; pair: PairView | null }) => void;
};
