// The health-check configuration the agent keeps in its state directory: per virtual service, one check for all its
// real servers and/or one per real server, what to do on failure, a sorry server and a quorum. The zod schemas are the
// JSON contract of the file and of the agent's health:config events; bad input names the field and the reason.
import { z } from 'zod';
import { invalidInput } from '../errors';
import { DestinationConfig, DestinationRef, ServiceKeySchema } from '../ipvs/edits';
import { ipAddress, port, destinationId, serviceId } from '../ipvs/model';

/** One expected HTTP status, or an inclusive range of them. */
const StatusRange = z.union([
  z.number().int().min(100).max(599),
  z
    .object({ from: z.number().int().min(100).max(599), to: z.number().int().min(100).max(599) })
    .strict()
    .refine((r) => r.from <= r.to, { message: 'from must not be above to', path: ['to'] }),
]);
export type StatusRange = z.infer<typeof StatusRange>;

const compiles = (s: string) => {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
};

/** A header value or host name that cannot split a request line (no control characters). */
const headerText = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

const HttpCheck = z
  .object({
    type: z.enum(['http', 'https']),
    path: z
      .string()
      .max(2048)
      .regex(/^\/[\x21-\x7e]*$/, 'must start with "/" and hold printable ASCII without spaces'),
    /** Expected statuses (default 200-299). */
    status: z
      .array(StatusRange)
      .min(1)
      .max(32)
      .default([{ from: 200, to: 299 }]),
    /** The body (its first 64 KiB) must match this regular expression. */
    bodyRegex: z.string().min(1).max(1024).refine(compiles, 'not a valid regular expression').optional(),
    /** Host header (default: the real server's address). */
    host: headerText.optional(),
    /** TLS server name (https only; default: host when it is a name). */
    sni: headerText.optional(),
    /** Verify the real server's certificate (https only). */
    verifyTls: z.boolean().default(false),
    /** Keep the connection for the next check (keep-alive); false: a new connection for every check, as keepalived. */
    reuseConnection: z.boolean().default(true),
  })
  .strict();

export const DNS_TYPES = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33 } as const;
export const DNS_RCODES = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

const DnsCheck = z
  .object({
    type: z.literal('dns'),
    name: z
      .string()
      .min(1)
      .max(253)
      .regex(/^(\.|([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?)+)$/, 'a DNS name like www.example.com'),
    queryType: z.enum(Object.keys(DNS_TYPES) as [keyof typeof DNS_TYPES]).default('A'),
    /** Answers with one of these rcodes count as up (default NOERROR). */
    rcode: z
      .array(z.enum(Object.keys(DNS_RCODES) as [keyof typeof DNS_RCODES]))
      .min(1)
      .default(['NOERROR']),
  })
  .strict();

/** An argv, run with execFile (never a shell): the program by absolute path. */
const Argv = z
  .array(z.string().max(4096))
  .min(1)
  .max(64)
  .refine((a) => (a[0] ?? '').startsWith('/'), { message: 'the program must be an absolute path', path: [0] });

const CommandCheck = z
  .object({
    type: z.literal('command'),
    argv: Argv,
    /** keepalived's misc_dynamic: the first line of its output, a whole number 0..65535, is the weight to use. */
    dynamicWeight: z.boolean().default(false),
  })
  .strict();

const CheckKind = z.discriminatedUnion('type', [
  HttpCheck,
  z.object({ type: z.literal('tcp') }).strict(),
  DnsCheck,
  CommandCheck,
  z.object({ type: z.literal('none') }).strict(),
]);

export const SlowStart = z
  .object({
    durationMs: z.number().int().min(1000).max(3_600_000),
    steps: z.number().int().min(2).max(100).default(4),
  })
  .strict();

export const CheckConfig = z
  .object({
    check: CheckKind,
    intervalMs: z.number().int().min(100).max(3_600_000).default(5000),
    timeoutMs: z.number().int().min(10).max(600_000).default(2000),
    /** Consecutive passes that bring a down real server up. */
    rise: z.number().int().min(1).max(100).default(2),
    /** Consecutive failures that take an up real server down. */
    fall: z.number().int().min(1).max(100).default(3),
    /** While an up real server is failing (fewer than fall failures in a row), its next check this long after the
     * last instead of intervalMs (keepalived's delay_before_retry); absent: the interval. */
    retryIntervalMs: z.number().int().min(100).max(3_600_000).optional(),
    /** Before its first check: in service ("up") or out until proven ("down"). */
    startState: z.enum(['up', 'down']).default('up'),
    /** After recovery, kept out this long before its weight comes back (the application warms up). */
    warmupMs: z.number().int().min(0).max(3_600_000).default(0),
    /** Check this address/port instead of the real server's (e.g. a status port). */
    address: ipAddress.optional(),
    port: port.min(1).optional(),
    /** Connect from this local address (DR directors: not the VIP on lo). */
    sourceAddress: ipAddress.optional(),
    /** quiesce: weight 0, existing connections finish (keepalived's inhibit_on_failure); remove: delete it. */
    onFailure: z.enum(['quiesce', 'remove']).default('quiesce'),
    slowStart: SlowStart.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.timeoutMs > c.intervalMs)
      ctx.addIssue({ code: 'custom', path: ['timeoutMs'], message: 'must not be above intervalMs' });
    if (c.check.type === 'http' && (c.check.sni !== undefined || c.check.verifyTls))
      ctx.addIssue({ code: 'custom', path: ['check', 'sni'], message: 'sni and verifyTls are for https checks' });
  });
export type CheckConfig = z.infer<typeof CheckConfig>;
export type CheckKind = CheckConfig['check'];

export const QuorumConfig = z
  .object({
    /** The sum of the healthy real servers' weights must be at least this. */
    minWeight: z
      .number()
      .int()
      .min(1)
      .max(65535 * 1000),
    /** keepalived's hysteresis: lost below minWeight - hysteresis, regained at minWeight + hysteresis. */
    hysteresis: z
      .number()
      .int()
      .min(0)
      .max(65535 * 1000)
      .default(0),
    onLost: Argv.optional(),
    onRegained: Argv.optional(),
  })
  .strict()
  .refine((q) => q.hysteresis < q.minWeight, { message: 'must be below minWeight', path: ['hysteresis'] });
export type QuorumConfig = z.infer<typeof QuorumConfig>;

export const ServiceHealthConfig = z
  .object({
    service: ServiceKeySchema,
    /** The check of every real server of the service without one of its own. */
    check: CheckConfig.optional(),
    destinations: z
      .array(z.object({ destination: DestinationRef, check: CheckConfig }).strict())
      .max(10_000)
      .default([]),
    /** Added with weight 1 while no real server is healthy or the quorum is lost (the real servers still up then
     * leave the pool, as with keepalived), removed as soon as one is back. */
    sorryServer: DestinationConfig.optional(),
    quorum: QuorumConfig.optional(),
  })
  .strict();
export type ServiceHealthConfig = z.infer<typeof ServiceHealthConfig>;

export const HealthConfig = z
  .object({ services: z.array(ServiceHealthConfig).max(10_000) })
  .strict()
  .superRefine((h, ctx) => {
    const seen = new Set<string>();
    for (const [i, s] of h.services.entries()) {
      const id = serviceId(s.service);
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['services', i, 'service'], message: `${id} twice` });
      seen.add(id);
      const dests = new Set<string>();
      for (const [j, d] of s.destinations.entries()) {
        const did = destinationId(d.destination);
        if (dests.has(did))
          ctx.addIssue({ code: 'custom', path: ['services', i, 'destinations', j], message: `${did} twice` });
        dests.add(did);
      }
      if (s.sorryServer && dests.has(destinationId(s.sorryServer)))
        ctx.addIssue({
          code: 'custom',
          path: ['services', i, 'sorryServer'],
          message: 'the sorry server must not be a checked real server',
        });
    }
  });
export type HealthConfig = z.infer<typeof HealthConfig>;
export type HealthConfigInput = z.input<typeof HealthConfig>;

/** Parse a checks configuration; throws an `invalid` ApiError naming the first bad field. */
export function parseHealthConfig(input: unknown): HealthConfig {
  const r = HealthConfig.safeParse(input);
  if (!r.success) throw invalidInput(r.error, { where: '(root)', prefix: true });
  return r.data;
}

/** Whether status `code` is one of `expected`. */
export function statusExpected(code: number, expected: readonly StatusRange[]): boolean {
  return expected.some((r) => (typeof r === 'number' ? r === code : code >= r.from && code <= r.to));
}
