// Signing in and out, the first admin, the signed-in person's password and sessions.
import { ApiError } from '../../../lib/errors';
import type { authOperations } from '../../../lib/api/operations/auth';
import { passwordProblem } from '../../../lib/password-strength';
import { sessionUser } from '../http/session-cookie';
import type { Handlers } from './handler';

export const authHandlers: Handlers<keyof typeof authOperations> = {
  async 'auth:login'({ services, http }, { name, password }) {
    const attempt = await services.loginLimiter.attempt(http.address, name);
    const user = await services.users.verify(name, password);
    if (!user) throw new ApiError('unauthorized', 'wrong name or password');
    await attempt.succeeded();
    const { token } = services.sessions.create(user.id, { address: http.address, userAgent: http.userAgent });
    http.startSession(token);
    return { user: sessionUser(user) };
  },

  'auth:logout'({ services, actor, http }) {
    if (actor) {
      services.sessions.revoke(actor.session.id);
      services.broadcast.endSessions([actor.session.id]);
    }
    http.endSession();
    return null;
  },

  'auth:logout-all'({ services, actor, http }) {
    const ids = services.sessions.revokeAllForUser(actor.user.id);
    services.broadcast.endSessions(ids);
    http.endSession();
    return { ended: ids.length };
  },

  'auth:me': ({ actor }) => ({ user: sessionUser(actor.user) }),

  async 'auth:password'({ services, actor, http }, body) {
    const { user, session } = actor;
    const weak = passwordProblem(body.password, user.name);
    if (weak) throw new ApiError('invalid', `password: ${weak}`, { field: 'password' });
    const attempt = await services.loginLimiter.attempt(http.address, user.name);
    if (!(await services.users.verify(user.name, body.current)))
      throw new ApiError('invalid', 'current: wrong password', { field: 'current' });
    await attempt.succeeded();
    await services.users.setPassword(user.id, body.password);
    const ended = services.sessions.revokeAllForUser(user.id, session.id);
    services.broadcast.endSessions(ended);
    return { ended: ended.length };
  },

  'auth:sessions'({ services, actor }) {
    const sessions = services.sessions
      .listForUser(actor.user.id)
      .map(({ userId: _id, ...s }) => ({ ...s, current: s.id === actor.session.id }));
    return { sessions };
  },

  'auth:end-session'({ services, actor }, { id }) {
    const s = services.sessions.byId(id);
    if (!s || s.userId !== actor.user.id) throw new ApiError('not_found', `no session ${id}`, { field: 'id' });
    services.sessions.revoke(s.id);
    services.broadcast.endSessions([s.id]);
    return null;
  },

  'setup:status': ({ services }) => ({ needed: services.firstAdmin.needed() }),

  async 'setup:complete'({ services, http }, body) {
    const user = await services.firstAdmin.complete(body.token, body.name, body.password, http.address);
    const { token } = services.sessions.create(user.id, { address: http.address, userAgent: http.userAgent });
    http.startSession(token);
    return { user: sessionUser(user) };
  },
};
