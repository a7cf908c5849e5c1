// Sign in and out, the signed-in person, password change, and their sessions.
import { z } from 'zod';
import { passwordProblem } from '../../../../lib/password-strength';
import { Password, UserName } from '../../../../lib/roles';
import { TooManyAttempts, type Attempt } from '../../../hub/auth/login-limiter';
import type { Hub } from '../../../hub/hub';
import { HttpError, route } from '../route';
import { clearedCookie, clientAddress, isHttps, sessionCookie, sessionUser } from '../session-cookie';

const Login = z.object({ name: UserName, password: z.string().min(1, 'required').max(256) }).strict();
const PasswordChange = z.object({ current: z.string().min(1, 'required').max(256), password: Password }).strict();
const SessionParams = z.object({ id: z.string().min(1).max(64) });

/** One password guess for the account from the address, counted before the password is checked (429 when over). */
async function guess(hub: Hub, address: string, account: string): Promise<Attempt> {
  try {
    return await hub.loginLimiter.attempt(address, account);
  } catch (e) {
    if (!(e instanceof TooManyAttempts)) throw e;
    throw new HttpError(429, 'forbidden', e.message, undefined, {
      'retry-after': String(Math.ceil(e.retryAfterMs / 1000)),
    });
  }
}

export const authRoutes = [
  route({
    method: 'POST',
    path: '/api/v1/auth/login',
    access: 'public',
    tag: 'auth',
    summary:
      'Sign in: sets the httpOnly session cookie. 10 wrong passwords from one address lock it out for 15 minutes; 20 for one account pause its sign-ins for 1 minute.',
    body: Login,
    returns: 'The signed-in user { user: { name, role } }',
    async handler({ req, body, hub, policy }) {
      const address = clientAddress(req, policy);
      const attempt = await guess(hub, address, body.name);
      const user = await hub.users.verify(body.name, body.password);
      if (!user) throw new HttpError(401, 'unauthorized', 'wrong name or password');
      await attempt.succeeded();
      const { token } = hub.sessions.create(user.id, { address, userAgent: String(req.headers['user-agent'] ?? '') });
      return {
        json: { user: sessionUser(user) },
        headers: { 'set-cookie': sessionCookie(token, isHttps(req, policy)) },
      };
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/auth/logout',
    access: 'public',
    tag: 'auth',
    summary: 'Sign out of this session (clears the cookie; its live connections close).',
    returns: 'No content',
    handler({ req, identity, hub, policy, sockets }) {
      if (identity) {
        hub.sessions.revoke(identity.session.id);
        sockets.endSessions([identity.session.id]);
      }
      return { status: 204, headers: { 'set-cookie': clearedCookie(isHttps(req, policy)) } };
    },
  }),
  route({
    method: 'POST',
    path: '/api/v1/auth/logout-all',
    access: 'viewer',
    tag: 'auth',
    summary: 'Sign out everywhere: ends every session of the signed-in user, this one included.',
    returns: 'The number of sessions ended { ended }',
    handler({ req, identity, hub, policy, sockets }) {
      const ids = hub.sessions.revokeAllForUser(identity!.user.id);
      sockets.endSessions(ids);
      return { json: { ended: ids.length }, headers: { 'set-cookie': clearedCookie(isHttps(req, policy)) } };
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/auth/me',
    access: 'viewer',
    tag: 'auth',
    summary: 'The signed-in user.',
    returns: '{ user: { name, role } }',
    handler: ({ identity }) => ({ json: { user: sessionUser(identity!.user) } }),
  }),
  route({
    method: 'POST',
    path: '/api/v1/auth/password',
    access: 'viewer',
    tag: 'auth',
    summary:
      "Change the signed-in user's password; ends their other sessions. Wrong current passwords count like wrong sign-ins.",
    body: PasswordChange,
    returns: 'The number of other sessions ended { ended }',
    async handler({ req, identity, body, hub, policy, sockets }) {
      const { user, session } = identity!;
      const weak = passwordProblem(body.password, user.name);
      if (weak) throw new HttpError(400, 'invalid', `password: ${weak}`, 'password');
      const attempt = await guess(hub, clientAddress(req, policy), user.name);
      if (!(await hub.users.verify(user.name, body.current)))
        throw new HttpError(400, 'invalid', 'current: wrong password', 'current');
      await attempt.succeeded();
      await hub.users.setPassword(user.id, body.password);
      const ended = hub.sessions.revokeAllForUser(user.id, session.id);
      sockets.endSessions(ended);
      return { json: { ended: ended.length } };
    },
  }),
  route({
    method: 'GET',
    path: '/api/v1/auth/sessions',
    access: 'viewer',
    tag: 'auth',
    summary: "The signed-in user's active sessions.",
    returns: '{ sessions: [{ id, createdAt, lastSeen, address, userAgent, current }] }',
    handler({ identity, hub }) {
      const { user, session } = identity!;
      const sessions = hub.sessions
        .listForUser(user.id)
        .map((s) => ({ ...s, userId: undefined, current: s.id === session.id }));
      return { json: { sessions } };
    },
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/auth/sessions/{id}',
    access: 'viewer',
    tag: 'auth',
    summary: 'End one of your own sessions.',
    params: SessionParams,
    returns: 'No content',
    handler({ identity, params, hub, sockets }) {
      const s = hub.sessions.byId(params.id);
      if (!s || s.userId !== identity!.user.id) throw new HttpError(404, 'not_found', `no session ${params.id}`, 'id');
      hub.sessions.revoke(s.id);
      sockets.endSessions([s.id]);
      return { status: 204 };
    },
  }),
];
