// Local accounts (admin only).
import type { UserView } from '../../../lib/api/contracts';
import { ApiError } from '../../../lib/errors';
import type { userOperations } from '../../../lib/api/operations/users';
import { passwordProblem } from '../../../lib/password-strength';
import type { User } from '../../hub/auth/users';
import type { Services } from '../services';
import type { Handlers } from './handler';

const view = (u: User): UserView => ({
  name: u.name,
  role: u.role,
  createdAt: u.createdAt,
  passwordChangedAt: u.passwordChangedAt,
});

function existing(services: Services, name: string): User {
  const u = services.users.get(name);
  if (!u) throw new ApiError('not_found', `no user named ${name}`, { field: 'name' });
  return u;
}

function keepAnAdmin(services: Services, u: User): void {
  if (u.role === 'admin' && services.users.admins() === 1)
    throw new ApiError('conflict', `${u.name} is the last admin`, { field: 'role' });
}

export const userHandlers: Handlers<keyof typeof userOperations> = {
  'users:list': ({ services }) => ({ users: services.users.list().map(view) }),

  async 'users:add'({ services }, body) {
    const weak = passwordProblem(body.password, body.name);
    if (weak) throw new ApiError('invalid', `password: ${weak}`, { field: 'password' });
    return { user: view(await services.users.add(body.name, body.password, body.role)) };
  },

  async 'users:update'({ services }, body) {
    const u = existing(services, body.name);
    const weak = body.password && passwordProblem(body.password, u.name);
    if (weak) throw new ApiError('invalid', `password: ${weak}`, { field: 'password' });
    if (body.role && body.role !== 'admin') keepAnAdmin(services, u);
    if (body.role) services.users.setRole(u.id, body.role);
    if (body.password) {
      await services.users.setPassword(u.id, body.password);
      services.broadcast.endSessions(services.sessions.revokeAllForUser(u.id));
    }
    return { user: view(existing(services, u.name)) };
  },

  'users:remove'({ services }, { name }) {
    const u = existing(services, name);
    keepAnAdmin(services, u);
    services.broadcast.endSessions(services.sessions.revokeAllForUser(u.id));
    services.users.remove(u.id);
    return null;
  },
};
