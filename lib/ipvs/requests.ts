// What a client asks the agent to do: the kernel edits plus two intents that need the live table to become a
// kernel edit (set-weight and drain keep every other option of the real server, which ipvsadm -e would reset).
import { z } from 'zod';
import { ApiError, invalidInput } from '../errors';
import { DestinationRef, Edit, ServiceKeySchema } from './edits';
import { destinationOptionArgs } from './argv';
import { destinationId, serviceId, serviceKey, type Service } from './model';
import { destConfigOf } from './save-format';
import { TableState } from './table-state';

export const SetWeight = z
  .object({
    kind: z.literal('set-weight'),
    service: ServiceKeySchema,
    destination: DestinationRef,
    weight: z.number().int().min(0).max(65535),
  })
  .strict();
export const Drain = z
  .object({
    kind: z.literal('drain'),
    service: ServiceKeySchema,
    destination: DestinationRef,
    /** Delete the real server once its connections and persistence templates are gone (the agent watches). */
    removeWhenEmpty: z.boolean().optional(),
  })
  .strict();
/** Cancel a drain: the weight the agent kept from before it comes back (1 when it kept none). */
export const Undrain = z
  .object({ kind: z.literal('undrain'), service: ServiceKeySchema, destination: DestinationRef })
  .strict();
export const AgentEdit = z.union([Edit, SetWeight, Drain, Undrain]);

/** A drain the agent keeps: the weight to restore, since when, and whether it deletes the real server once empty. */
export const KeptDrain = z.object({
  weight: z.number().int().min(1).max(65535),
  since: z.number(),
  removeWhenEmpty: z.boolean(),
});
export type KeptDrain = z.infer<typeof KeptDrain>;
/** `serviceId|destinationId` -> its drain. */
export type Drains = Record<string, KeptDrain>;
export type AgentEdit = z.infer<typeof AgentEdit>;

export const EditRequest = z.object({
  edit: AgentEdit,
  /** The agent run whose table the person saw (TableState.epoch): an edit made against the table of another run is
   * refused (conflict), since a restarted agent counts its versions from 1 again and the table may have been replaced. */
  epoch: TableState.shape.epoch,
  /** The table version the person saw; structural edits against a newer table are refused (conflict). */
  version: z.number().int().min(0),
});
export type EditRequest = z.infer<typeof EditRequest>;

/** What names a table: the agent run and its version within that run. */
export type TableId = Pick<TableState, 'epoch' | 'version'>;

function findDestination(
  services: readonly Service[],
  edit: { service: z.infer<typeof ServiceKeySchema>; destination: { address: string; port: number } },
) {
  const id = serviceId(edit.service);
  const svc = services.find((s) => serviceId(serviceKey(s)) === id);
  if (!svc) throw new ApiError('not_found', `no virtual service ${id}`, { field: 'service' });
  const did = destinationId(edit.destination);
  const dest = svc.destinations.find((d) => destinationId(d) === did);
  if (!dest) throw new ApiError('not_found', `no real server ${did} in ${id}`, { field: 'destination' });
  return dest;
}

const WEIGHT_INTENTS = new Set(['set-weight', 'drain', 'undrain']);
type WeightIntent = Extract<AgentEdit, { kind: 'set-weight' | 'drain' | 'undrain' }>;
const isWeightIntent = (e: AgentEdit): e is WeightIntent => WEIGHT_INTENTS.has(e.kind);

/** The kernel edit for a request, given the live table (and, for an undrain, the weight kept from before the drain). */
export function resolveEdit(edit: AgentEdit, services: readonly Service[], keptWeight?: number): Edit {
  if (!isWeightIntent(edit)) return edit;
  const current = findDestination(services, edit);
  const weight = edit.kind === 'drain' ? 0 : edit.kind === 'undrain' ? (keptWeight ?? 1) : edit.weight;
  return { kind: 'edit-destination', service: edit.service, destination: { ...destConfigOf(current), weight } };
}

/** Weight changes on an existing real server may apply whatever table version the person saw. */
export function isWeightOnly(edit: AgentEdit, services: readonly Service[]): boolean {
  if (isWeightIntent(edit)) return true;
  if (edit.kind !== 'edit-destination') return false;
  try {
    const current = destConfigOf(findDestination(services, edit));
    const sig = (d: typeof current) => destinationOptionArgs({ ...d, weight: 0 }).join(' ');
    return sig(current) === sig(edit.destination);
  } catch {
    return false;
  }
}

export function parseEditRequest(input: unknown): EditRequest {
  const r = EditRequest.safeParse(input);
  if (!r.success) throw invalidInput(r.error, { where: '(root)', prefix: true });
  return r.data;
}
