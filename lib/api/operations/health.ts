// Health checks (issue #14): each director's agent runs them; these read and change one service's or real server's
// check there, and hand out the live health the agent last reported (health:update events follow in the room).
import { z } from 'zod';
import { CheckConfig, QuorumConfig, ServiceHealthConfig } from '../../health';
import { DestinationConfig, DestinationRef, ServiceKeySchema } from '../../ipvs';
import { DirectorName, HealthRowSchema, QuorumStateSchema } from '../contracts';
import { operation } from '../operation';

export const healthOperations = {
  'health:config': operation({
    tag: 'health',
    summary:
      "A service's health checks on its director's agent (its own check, its real servers' checks, sorry server, quorum; null: none), and why the agent's checks file could not be used (null when it could).",
    access: 'operator',
    input: z.object({ director: DirectorName, service: z.string().min(1).max(200) }).strict(),
    output: z.object({ config: ServiceHealthConfig.nullable(), error: z.string().nullable() }),
    rest: { method: 'GET', path: '/api/v1/directors/{director}/health/config' },
    socket: true,
  }),
  'health:check:set': operation({
    tag: 'health',
    summary:
      "Set (or, with check null, remove) a service's check or one real server's own check on the director's agent: saved in its state directory and used at once; audited.",
    access: 'operator',
    input: z
      .object({
        director: DirectorName,
        service: ServiceKeySchema,
        /** A real server's own check; absent: the service's check. */
        destination: DestinationRef.optional(),
        check: CheckConfig.nullable(),
      })
      .strict(),
    output: z.object({ config: ServiceHealthConfig.nullable() }),
    rest: { method: 'POST', path: '/api/v1/directors/{director}/health/checks' },
    socket: true,
  }),
  'health:service:set': operation({
    tag: 'health',
    summary:
      "Set a service's sorry server (added with weight 1 while no real server is healthy or the quorum is lost, the real servers still up then leaving the pool) and quorum (minimum healthy weight, hysteresis, hook commands on lost/regained) on the director's agent; null removes one. Its checks stay as they are; saved and used at once; audited.",
    access: 'operator',
    input: z
      .object({
        director: DirectorName,
        service: ServiceKeySchema,
        sorryServer: DestinationConfig.nullable(),
        quorum: QuorumConfig.nullable(),
      })
      .strict(),
    output: z.object({ config: ServiceHealthConfig.nullable() }),
    rest: { method: 'POST', path: '/api/v1/directors/{director}/health/service' },
    socket: true,
  }),
  'health:state': operation({
    tag: 'health',
    summary:
      "Every checked real server's health on a director (up / down / unknown, last check, latency, last error, stuck) and each service's quorum; `available` false when its agent runs no checks. director:health events follow in the director's room.",
    access: 'viewer',
    input: z.object({ director: DirectorName }).strict(),
    output: z.object({
      available: z.boolean(),
      rows: z.array(HealthRowSchema),
      configError: z.string().nullable(),
      /** Each service's quorum, by serviceId (services with a quorum only). */
      quorum: z.record(z.string(), QuorumStateSchema),
    }),
    rest: { method: 'GET', path: '/api/v1/directors/{director}/health' },
    socket: true,
  }),
};
