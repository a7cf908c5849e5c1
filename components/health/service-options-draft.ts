// The sorry-server and quorum form's draft (text as typed) and its check: the agent's own schemas (DestinationConfig
// for the sorry server, QuorumConfig) give each field its error, and the form's fields are named like the schemas'
// (sorryServer.port, quorum.hysteresis, quorum.onLost.0), so an error the server names lands under its box too.
import { fieldOf, plainMessage, type Errors } from '@/components/forms/edit';
import { QuorumConfig, type ServiceHealthConfig } from '@/lib/health';
import { DestinationConfig } from '@/lib/ipvs';

export const SERVICE_OPTION_FIELDS = [
  'address',
  'port',
  'forward',
  'minWeight',
  'hysteresis',
  'onLost',
  'onRegained',
] as const;
export type ServiceOptionField = (typeof SERVICE_OPTION_FIELDS)[number];

export const SORRY_FORWARDS = ['masq', 'route', 'tunnel'] as const;

export interface ServiceOptionsDraft {
  /** Empty address and port: no sorry server. */
  address: string;
  port: string;
  forward: (typeof SORRY_FORWARDS)[number];
  /** All four empty: no quorum. */
  minWeight: string;
  hysteresis: string;
  /** One argument per line, the program first. */
  onLost: string;
  onRegained: string;
}

export interface ServiceOptions {
  sorryServer: DestinationConfig | null;
  quorum: QuorumConfig | null;
}

/** The draft of a service's sorry server and quorum as they are (null: the service has no checks configuration). */
export function serviceOptionsDraftOf(c: ServiceHealthConfig | null | undefined): ServiceOptionsDraft {
  const sorry = c?.sorryServer;
  const q = c?.quorum;
  return {
    address: sorry?.address ?? '',
    port: sorry ? String(sorry.port) : '',
    forward: sorry?.forward ?? 'masq',
    minWeight: q ? String(q.minWeight) : '',
    hysteresis: q && q.hysteresis > 0 ? String(q.hysteresis) : '',
    onLost: q?.onLost?.join('\n') ?? '',
    onRegained: q?.onRegained?.join('\n') ?? '',
  };
}

const blank = (t: string) => t.trim() === '';
/** A number box as the schema reads it: whole numbers as numbers, anything else as the text (refused by name). */
const num = (t: string): unknown => (/^\d+$/.test(t.trim()) ? Number(t.trim()) : t.trim());
const argv = (t: string) => t.split('\n').filter((l) => l.trim() !== '');

/** The draft as the agent's sorry server and quorum, or each field's first problem. */
export function checkServiceOptionsDraft(d: ServiceOptionsDraft): {
  options?: ServiceOptions;
  errors: Errors<ServiceOptionField>;
} {
  const errors: Errors<ServiceOptionField> = {};
  const note = (issues: readonly { path: PropertyKey[]; message: string }[]) => {
    for (const issue of issues) {
      const f = fieldOf(issue.path.map(String).join('.'), SERVICE_OPTION_FIELDS) ?? 'address';
      errors[f] ??= plainMessage(issue.message);
    }
  };
  let sorryServer: DestinationConfig | null = null;
  if (!blank(d.address) || !blank(d.port)) {
    // the agent adds it with weight 1 while no real server is healthy or the quorum is lost
    const r = DestinationConfig.safeParse({
      address: d.address.trim(),
      port: num(d.port),
      forward: d.forward,
      weight: 1,
    });
    if (r.success) sorryServer = r.data;
    else note(r.error.issues);
  }
  let quorum: QuorumConfig | null = null;
  if ([d.minWeight, d.hysteresis, d.onLost, d.onRegained].some((t) => !blank(t))) {
    const r = QuorumConfig.safeParse({
      minWeight: blank(d.minWeight) ? undefined : num(d.minWeight),
      ...(blank(d.hysteresis) ? {} : { hysteresis: num(d.hysteresis) }),
      ...(blank(d.onLost) ? {} : { onLost: argv(d.onLost) }),
      ...(blank(d.onRegained) ? {} : { onRegained: argv(d.onRegained) }),
    });
    if (r.success) quorum = r.data;
    else note(r.error.issues);
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { options: { sorryServer, quorum }, errors };
}
