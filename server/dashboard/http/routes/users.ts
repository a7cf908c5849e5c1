// Local accounts (admin only).
import { z } from 'zod';
import { passwordProblem } from '../../../../lib/password-strength';
import { Password, RoleSchema, UserName } from '../../../../lib/roles';
import { UserExistsError, type User } from '../../../hub/auth/users';
import type { Hub } from '../../../hub/hub';
import { HttpError, route } from '../route';

const NewUser = z
  .object({ name: UserName, password: Password, role: RoleSchema })
  .strict()
  .superRefine((u, ctx) => {
    const problem = passwordProblem(u.password, u.name);
    if (problem) ctx.addIssue({ code: 'custom', path: ['password'], message: problem });
  });
const UserPatch = z
  .object({ role: RoleSchema.optional(), password: Password.optional() })
  .strict()
  .refine((p) => p.role !== undefined || p.password !== undefined, 'give role or password');
const NameParams = z.object({ name: UserName });

const view = (u: User) => ({
  name: u.name,
  role: u.role,
  createdAt: u.createdAt,
  passwordChangedAt: u.passwordChangedAt,
});

function existing(hub: Hub, name: string): User {
  const u = hub.users.get(name);
  if (!u) throw new HttpError(404, 'not_found', `no user named ${name}`, 'name');
  return u;
}

function keepAnAdmin(hub: Hub, u: User): void {
  if (u.role === 'admin' && hub.users.admins() === 1)
    throw new HttpError(409, 'conflict', `${u.name} is the last admin`, 'role');
}

export const userRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/users',
    access: 'admin',
    tag: 'users',
    summary: 'Every local account.',
    returns: '{ users: [{ name, role, createdAt, passwordChangedAt }] }',
    handler: ({ hub }) => ({ json: { users: hub.users.list().map(view) } }),
  }),
  route({
    method: 'POST',
    path: '/api/v1/users',
    access: 'admin',
    tag: 'users',
    summary: 'Create an account.',
    body: NewUser,
    returns: 'The account { user }',
    async handler({ hub, body }) {
      try {
        return { status: 201, json: { user: view(await hub.users.add(body.name, body.password, body.role)) } };
      } catch (e) {
        if (e instanceof UserExistsError) throw new HttpError(409, 'conflict', e.message, 'name');
        throw e;
      }
    },
  }),
  route({
    method: 'PATCH',
    path: '/api/v1/users/{name}',
    access: 'admin',
    tag: 'users',
    summary: "Change an account's role or set its password (which ends its sessions).",
    params: NameParams,
    body: UserPatch,
    returns: 'The account { user }',
    async handler({ hub, params, body, sockets }) {
      const u = existing(hub, params.name);
      const weak = body.password && passwordProblem(body.password, u.name);
      if (weak) throw new HttpError(400, 'invalid', `password: ${weak}`, 'password');
      if (body.role && body.role !== 'admin') keepAnAdmin(hub, u);
      if (body.role) hub.users.setRole(u.id, body.role);
      if (body.password) {
        await hub.users.setPassword(u.id, body.password);
        sockets.endSessions(hub.sessions.revokeAllForUser(u.id));
      }
      return { json: { user: view(existing(hub, u.name)) } };
    },
  }),
  route({
    method: 'DELETE',
    path: '/api/v1/users/{name}',
    access: 'admin',
    tag: 'users',
    summary: 'Delete an account and end its sessions.',
    params: NameParams,
    returns: 'No content',
    handler({ hub, params, sockets }) {
      const u = existing(hub, params.name);
      keepAnAdmin(hub, u);
      sockets.endSessions(hub.sessions.revokeAllForUser(u.id));
      hub.users.remove(u.id);
      return { status: 204 };
    },
  }),
];
