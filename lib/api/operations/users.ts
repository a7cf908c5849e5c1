// Local accounts (admin only).
import { z } from 'zod';
import { Password, RoleSchema, UserName } from '../../roles';
import { UserView } from '../contracts';
import { NoInput, NoOutput, operation } from '../operation';

const OneUser = z.object({ user: UserView });

export const userOperations = {
  'users:list': operation({
    tag: 'users',
    summary: 'Every local account.',
    access: 'admin',
    input: NoInput,
    output: z.object({ users: z.array(UserView) }),
    rest: { method: 'GET', path: '/api/v1/users' },
  }),
  'users:add': operation({
    tag: 'users',
    summary: 'Create an account.',
    access: 'admin',
    // How guessable the password is (lib/password-strength.ts) is checked by the handler: its dictionaries stay
    // out of the browser's pages that only need this registry.
    input: z.object({ name: UserName, password: Password, role: RoleSchema }).strict(),
    output: OneUser,
    rest: { method: 'POST', path: '/api/v1/users', status: 201 },
  }),
  'users:update': operation({
    tag: 'users',
    summary: "Change an account's role or set its password (which ends its sessions).",
    access: 'admin',
    input: z
      .object({ name: UserName, role: RoleSchema.optional(), password: Password.optional() })
      .strict()
      .refine((p) => p.role !== undefined || p.password !== undefined, 'give role or password'),
    output: OneUser,
    rest: { method: 'PATCH', path: '/api/v1/users/{name}' },
  }),
  'users:remove': operation({
    tag: 'users',
    summary: 'Delete an account and end its sessions.',
    access: 'admin',
    input: z.object({ name: UserName }).strict(),
    output: NoOutput,
    rest: { method: 'DELETE', path: '/api/v1/users/{name}', status: 204 },
  }),
};
