// What one browser-facing operation is: its input and output schemas, the role it needs, and how it is reached
// (a REST route, a Socket.IO event, or both). The list is lib/api/operations; the server attaches a handler to each.
import { z } from 'zod';
import { roleAtLeast, type Role } from '../roles';
import { ApiError } from '../errors';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
/** The least role allowed; public: anyone, signed in or not. */
export type Access = Role | 'public';

export interface RestBinding<O = unknown> {
  method: Method;
  /** OpenAPI-style path; each {name} is the input field of that name: /api/v1/directors/{director}/table */
  path: string;
  /** The status of a success (default 200; 204 sends no body), or a function of the output. */
  status?: number | ((output: O) => number);
  /** The request body is this one input field (edits: the body is the edit request), instead of the input's other
   * fields. */
  bodyField?: string;
  /** Largest body read, in bytes, when above the signed-in default (imports). */
  maxBody?: number;
}

export interface OperationCore<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  A extends Access = Access,
> {
  summary: string;
  tag: string;
  access: A;
  /** A role above `access` that some inputs need (edits of table-wide kernel settings). */
  raise?: (input: z.output<I>) => Role;
  input: I;
  output: O;
}

/** How an operation is reached: a REST route, a Socket.IO event named like the operation, or both. */
export interface Bindings<Out = unknown> {
  rest?: RestBinding<Out>;
  socket?: true;
}

export type Operation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> = OperationCore<I, O> &
  Bindings<z.output<O>>;

/** An operation that takes nothing (anything sent is ignored): over Socket.IO an event without arguments. */
export const NoInput = z.object({});
/** An operation that answers nothing (REST 204, Socket.IO `null`). */
export const NoOutput = z.null();

/** Keeps the operation's own schema types while it is collected in the registry. */
export function operation<I extends z.ZodType, O extends z.ZodType, A extends Access, B extends Bindings<z.output<O>>>(
  op: OperationCore<I, O, A> & B,
): OperationCore<I, O, A> & B {
  return op;
}

/** The role this input needs: the operation's, raised for inputs that need more (`input` undefined: before the
 * input is read, the operation's own). */
export function requiredRole(op: Operation, input?: unknown): Access {
  if (op.access === 'public' || !op.raise || input === undefined) return op.access;
  const need = op.raise(input);
  return roleAtLeast(need, op.access) ? need : op.access;
}

/** The one role check of both transports: throws `unauthorized` without a session, `forbidden` below the role.
 * `label` (the event, for sockets) starts the refusal. */
export function checkRole(op: Operation, input: unknown, role: Role | undefined, label = ''): void {
  const need = requiredRole(op, input);
  if (need === 'public') return;
  if (role === undefined) throw new ApiError('unauthorized', 'sign in first');
  if (!roleAtLeast(role, need))
    throw new ApiError('forbidden', `${label ? `${label} ` : ''}needs the ${need} role (you are ${role})`);
}
