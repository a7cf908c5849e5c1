// The first start's setup: whether an account exists yet (the sign-in page says so), and creating the first admin
// with the one-time link the dashboard printed on its console.
import { z } from 'zod';
import { Password, UserName } from '../../../../lib/roles';
import { SetupError } from '../../../hub/auth/first-admin';
import { HttpError, route } from '../route';
import { clientAddress, isHttps, sessionCookie, sessionUser } from '../session-cookie';

const FirstAdmin = z
  .object({
    token: z.string().min(1, 'required: the token of the setup link').max(128),
    name: UserName,
    password: Password,
  })
  .strict();

export const setupRoutes = [
  route({
    method: 'GET',
    path: '/api/v1/auth/setup',
    access: 'public',
    tag: 'auth',
    summary: 'Whether the dashboard still has no account (then its console shows a one-time setup link).',
    returns: '{ needed: boolean }',
    handler: ({ hub }) => ({ json: { needed: hub.firstAdmin.needed() } }),
  }),
  route({
    method: 'POST',
    path: '/api/v1/auth/setup',
    access: 'public',
    tag: 'auth',
    summary:
      'Create the first admin with the setup link token (only while no account exists; the token works once, and from 127.0.0.1 unless LVS_SETUP_REMOTE=1). Signs them in.',
    body: FirstAdmin,
    returns: 'The signed-in admin { user: { name, role } }',
    async handler({ req, body, hub, policy }) {
      const address = clientAddress(req, policy);
      let user;
      try {
        user = await hub.firstAdmin.complete(body.token, body.name, body.password, address);
      } catch (e) {
        if (e instanceof SetupError)
          throw new HttpError(
            e.status,
            e.status === 409 ? 'conflict' : 'forbidden',
            e.message,
            e.status === 403 ? 'token' : undefined,
          );
        throw e;
      }
      const { token } = hub.sessions.create(user.id, { address, userAgent: String(req.headers['user-agent'] ?? '') });
      return {
        json: { user: sessionUser(user) },
        headers: { 'set-cookie': sessionCookie(token, isHttps(req, policy)) },
      };
    },
  }),
];
