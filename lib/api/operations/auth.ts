// Signing in and out, the first admin, the signed-in person's password and sessions.
import { z } from 'zod';
import { Password, UserName } from '../../roles';
import { SessionUser, SessionView } from '../contracts';
import { NoInput, NoOutput, operation } from '../operation';

const Signed = z.object({ user: SessionUser });
const Ended = z.object({ ended: z.number().int() });

export const authOperations = {
  'auth:login': operation({
    tag: 'auth',
    summary:
      'Sign in: sets the httpOnly session cookie. 10 wrong passwords from one address lock it out for 15 minutes; 20 for one account pause its sign-ins for 1 minute.',
    access: 'public',
    input: z.object({ name: UserName, password: z.string().min(1, 'required').max(256) }).strict(),
    output: Signed,
    rest: { method: 'POST', path: '/api/v1/auth/login' },
  }),
  'auth:logout': operation({
    tag: 'auth',
    summary: 'Sign out of this session (clears the cookie; its live connections close).',
    access: 'public',
    input: NoInput,
    output: NoOutput,
    rest: { method: 'POST', path: '/api/v1/auth/logout', status: 204 },
  }),
  'auth:logout-all': operation({
    tag: 'auth',
    summary: 'Sign out everywhere: ends every session of the signed-in user, this one included.',
    access: 'viewer',
    input: NoInput,
    output: Ended,
    rest: { method: 'POST', path: '/api/v1/auth/logout-all' },
  }),
  'auth:me': operation({
    tag: 'auth',
    summary: 'The signed-in user.',
    access: 'viewer',
    input: NoInput,
    output: Signed,
    rest: { method: 'GET', path: '/api/v1/auth/me' },
  }),
  'auth:password': operation({
    tag: 'auth',
    summary:
      "Change the signed-in user's password; ends their other sessions. Wrong current passwords count like wrong sign-ins.",
    access: 'viewer',
    input: z.object({ current: z.string().min(1, 'required').max(256), password: Password }).strict(),
    output: Ended,
    rest: { method: 'POST', path: '/api/v1/auth/password' },
  }),
  'auth:sessions': operation({
    tag: 'auth',
    summary: "The signed-in user's active sessions.",
    access: 'viewer',
    input: NoInput,
    output: z.object({ sessions: z.array(SessionView) }),
    rest: { method: 'GET', path: '/api/v1/auth/sessions' },
  }),
  'auth:end-session': operation({
    tag: 'auth',
    summary: 'End one of your own sessions.',
    access: 'viewer',
    input: z.object({ id: z.string().min(1).max(64) }).strict(),
    output: NoOutput,
    rest: { method: 'DELETE', path: '/api/v1/auth/sessions/{id}', status: 204 },
  }),
  'setup:status': operation({
    tag: 'auth',
    summary: 'Whether the dashboard still has no account (then its console shows a one-time setup link).',
    access: 'public',
    input: NoInput,
    output: z.object({ needed: z.boolean() }),
    rest: { method: 'GET', path: '/api/v1/auth/setup' },
  }),
  'setup:complete': operation({
    tag: 'auth',
    summary:
      'Create the first admin with the setup link token (only while no account exists; the token works once, and from 127.0.0.1 unless LVS_SETUP_REMOTE=1). Signs them in.',
    access: 'public',
    input: z
      .object({
        token: z.string().min(1, 'required: the token of the setup link').max(128),
        name: UserName,
        password: Password,
      })
      .strict(),
    output: Signed,
    rest: { method: 'POST', path: '/api/v1/auth/setup' },
  }),
};
