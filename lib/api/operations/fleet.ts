// The directors the dashboard connects to, managed by admins: those added here are stored (tokens encrypted) and
// connected at once; LVS_AGENTS's are listed read-only.
import { z } from 'zod';
import { DirectorConfigInput, DirectorConfigPatch, DirectorConfigView, NewDirectorName } from '../director-config';
import { NoInput, NoOutput, operation } from '../operation';

const OneDirector = z.object({ director: DirectorConfigView });

export const fleetOperations = {
  'fleet:list': operation({
    tag: 'fleet',
    summary: 'Every configured director: added here (editable) or from LVS_AGENTS (read-only). Tokens are never shown.',
    access: 'admin',
    input: NoInput,
    output: z.object({ directors: z.array(DirectorConfigView) }),
    rest: { method: 'GET', path: '/api/v1/fleet/directors' },
  }),
  'fleet:add': operation({
    tag: 'fleet',
    summary:
      "Add a director: its agent's URL and token, and its certificate's SHA-256 fingerprint or CA (https). Connected at once.",
    access: 'admin',
    input: DirectorConfigInput,
    output: OneDirector,
    rest: { method: 'POST', path: '/api/v1/fleet/directors', status: 201 },
  }),
  'fleet:update': operation({
    tag: 'fleet',
    summary: 'Change an added director (a token left out is kept); it reconnects with the new settings.',
    access: 'admin',
    input: DirectorConfigPatch,
    output: OneDirector,
    rest: { method: 'PATCH', path: '/api/v1/fleet/directors/{name}' },
  }),
  'fleet:remove': operation({
    tag: 'fleet',
    summary: 'Remove an added director: the dashboard disconnects from it (its agent and kernel table are untouched).',
    access: 'admin',
    input: z.object({ name: NewDirectorName }).strict(),
    output: NoOutput,
    rest: { method: 'DELETE', path: '/api/v1/fleet/directors/{name}', status: 204 },
  }),
};
