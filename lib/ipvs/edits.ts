// Typed edits: what a person or a tool asks the agent to change. One zod schema per edit kind, used by the browser
// forms, the socket/REST boundary and the agent alike; `validateEdit` turns the first problem into an `invalid`
// ApiError that names the field.
import { z } from 'zod';
import { invalidField, invalidInput } from '../errors';
import { ipFamily, maskToPrefix } from './ip';
import {
  ALL_SCHED_FLAGS,
  Destination,
  MAX_FWMARK,
  PERSISTENCE_ENGINES,
  SCHED_FLAGS,
  SCHEDULERS,
  Service,
  SyncDaemon,
  Timeouts,
  ipAddress,
  isIPv6Service,
  port,
} from './model';

export const ServiceKeySchema = z.union([
  z.object({ protocol: z.enum(['tcp', 'udp', 'sctp']), address: ipAddress, port }).strict(),
  z
    .object({
      protocol: z.literal('fwmark'),
      fwmark: z.number().int().min(1).max(MAX_FWMARK),
      ipv6: z.literal(true).optional(),
    })
    .strict(),
]);

/** The configurable part of a service: everything but its counters and destinations. */
export const ServiceConfig = Service.omit({ destinations: true, stats: true, rate: true })
  .extend({
    scheduler: z.enum(SCHEDULERS),
    flags: z.array(z.enum(ALL_SCHED_FLAGS)),
    pe: z.enum(PERSISTENCE_ENGINES).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (s.protocol === 'fwmark') {
      if (s.fwmark === undefined) issue('fwmark', 'required for a fwmark service (1..4294967295)');
      if (s.address !== undefined) issue('address', 'a fwmark service has no address');
      if (s.port !== undefined) issue('port', 'a fwmark service has no port');
    } else {
      if (s.address === undefined) issue('address', `required for a ${s.protocol} service`);
      if (s.port === undefined) issue('port', `required for a ${s.protocol} service (0 = all ports, with persistence)`);
      if (s.fwmark !== undefined) issue('fwmark', `only a fwmark service has one`);
      if (s.ipv6 !== undefined)
        issue('ipv6', 'only for fwmark services; an address-based service takes its address family');
      if (s.port === 0 && s.persistent === undefined) issue('port', 'port 0 (all ports) needs persistence');
    }
    const allowed: readonly string[] = (SCHED_FLAGS as Record<string, readonly string[]>)[s.scheduler] ?? [];
    for (const f of s.flags)
      if (!allowed.includes(f)) issue('flags', `${f} is not a flag of the ${s.scheduler} scheduler`);
    if (new Set(s.flags).size !== s.flags.length) issue('flags', 'repeated flag');
    if (s.netmask !== undefined) {
      if (s.persistent === undefined) issue('netmask', 'only with persistence');
      const v6 = s.protocol === 'fwmark' ? s.ipv6 === true : ipFamily(s.address ?? '') === 6;
      if (v6 ? !/^(\d|[1-9]\d|1[01]\d|12[0-8])$/.test(s.netmask) : maskToPrefix(s.netmask) === null) {
        issue('netmask', v6 ? 'an IPv6 prefix length 0..128' : 'a contiguous IPv4 netmask like 255.255.255.0');
      }
    }
    if (s.pe !== undefined && s.persistent === undefined) issue('pe', 'a persistence engine needs persistence');
  });
export type ServiceConfig = z.infer<typeof ServiceConfig>;

export const DestinationConfig = Destination.pick({
  address: true,
  port: true,
  forward: true,
  weight: true,
  upperThreshold: true,
  lowerThreshold: true,
  tunnelType: true,
  tunnelPort: true,
  tunnelChecksum: true,
})
  .extend({ forward: z.enum(['masq', 'route', 'tunnel']) })
  .strict()
  .superRefine((d, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const tunnel = d.forward === 'tunnel';
    if (!tunnel && (d.tunnelType ?? d.tunnelPort ?? d.tunnelChecksum) !== undefined) {
      issue('tunnelType', 'tunnel options need forward "tunnel"');
    }
    if (d.tunnelType === 'gue' && d.tunnelPort === undefined) issue('tunnelPort', 'required for a gue tunnel');
    if (d.tunnelPort !== undefined && d.tunnelType !== 'gue') issue('tunnelPort', 'only for a gue tunnel');
    if (d.tunnelPort === 0) issue('tunnelPort', 'must be 1..65535');
    if (d.tunnelChecksum !== undefined && (d.tunnelType ?? 'ipip') === 'ipip')
      issue('tunnelChecksum', 'only for gue or gre tunnels');
    if (d.tunnelChecksum === 'remcsum' && d.tunnelType !== 'gue')
      issue('tunnelChecksum', 'remcsum is for gue tunnels only');
    if (
      d.upperThreshold !== undefined &&
      d.lowerThreshold !== undefined &&
      d.upperThreshold > 0 &&
      d.lowerThreshold > d.upperThreshold
    ) {
      issue('lowerThreshold', 'must not be above the upper threshold');
    }
  });
export type DestinationConfig = z.infer<typeof DestinationConfig>;

/** A real server named by address and port (what delete, set-weight and drain take). */
export const DestinationRef = z.object({ address: ipAddress, port }).strict();

export const Edit = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('add-service'), service: ServiceConfig }).strict(),
  z.object({ kind: z.literal('edit-service'), service: ServiceConfig }).strict(),
  z.object({ kind: z.literal('delete-service'), service: ServiceKeySchema }).strict(),
  z.object({ kind: z.literal('add-destination'), service: ServiceKeySchema, destination: DestinationConfig }).strict(),
  z.object({ kind: z.literal('edit-destination'), service: ServiceKeySchema, destination: DestinationConfig }).strict(),
  z.object({ kind: z.literal('delete-destination'), service: ServiceKeySchema, destination: DestinationRef }).strict(),
  z.object({ kind: z.literal('set-timeouts'), timeouts: Timeouts }).strict(),
  z.object({ kind: z.literal('zero'), service: ServiceKeySchema.optional() }).strict(),
  z.object({ kind: z.literal('start-daemon'), daemon: SyncDaemon }).strict(),
  z.object({ kind: z.literal('stop-daemon'), state: z.enum(['master', 'backup']) }).strict(),
]);
export type Edit = z.infer<typeof Edit>;

export function validateEdit(input: unknown): Edit {
  const r = Edit.safeParse(input);
  if (!r.success) throw invalidInput(r.error, { where: '(root)', prefix: true });
  const e = r.data;
  // The kernel allows a real server of the other address family only for tunnelling (seen in the lab: ipvsadm says
  // "Different address family is allowed only for tunneling servers" for -m and -g). A delete names the real server
  // without its method, so any family may be named there.
  if ((e.kind === 'add-destination' || e.kind === 'edit-destination') && e.destination.forward !== 'tunnel') {
    const want = isIPv6Service(e.service) ? 6 : 4;
    if (ipFamily(e.destination.address) !== want) {
      const like =
        e.service.protocol === 'fwmark'
          ? `the fwmark service${e.service.ipv6 ? ' (ipv6)' : ''}`
          : "the service's address";
      throw invalidField('destination.address', `must be IPv${want} like ${like}`);
    }
  }
  // ipvsadm gives a direct-routing or tunnel real server the service's port whatever it is told (seen in the lab:
  // `-a -t VIP:80 -r RS:8080 -g` lists as RS:80); only a fwmark service keeps the real server's port. Say so instead
  // of asking for a table the kernel will not show.
  if (
    (e.kind === 'add-destination' || e.kind === 'edit-destination') &&
    e.destination.forward !== 'masq' &&
    e.service.protocol !== 'fwmark' &&
    e.destination.port !== e.service.port
  ) {
    const how = e.destination.forward === 'route' ? 'a direct-routing' : 'a tunnel';
    throw invalidField(
      'destination.port',
      `must be ${e.service.port}, the service's port: ${how} real server receives the packets on the port the client asked for (only masquerading maps ports)`,
    );
  }
  return e;
}
