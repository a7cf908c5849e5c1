// From the kernel's view of one service, its checks configuration, each checked real server's health and the weights
// the agent keeps, the edits that make the kernel match (quiesce/remove, restore, ramp, sorry server) and the weights
// to keep. Pure: the agent runs these edits through its queue, one at a time, each confirmed like any other.
import type { DestinationConfig, Edit } from '../ipvs/edits';
import { destConfigOf } from '../ipvs/save-format';
import { destinationId, type Service, type ServiceKey } from '../ipvs/model';
import type { CheckConfig, ServiceHealthConfig } from './config';
import { desiredWeight, type DesiredWeight, type DestHealth } from './machine';
import { quorumHeld } from './view';

/** What the agent keeps per managed real server: its configuration with the configured weight, and the weight the
 * agent itself last set (null: the agent removed it; it is put back from `config` on recovery). */
export interface KeptWeight {
  config: DestinationConfig;
  applied: number | null;
}

export interface PlannedEdit {
  edit: Edit;
  destination: string;
  reason: string;
}

export interface ServicePlan {
  edits: PlannedEdit[];
  /** The kept weights of this service's real servers after the plan (by destination id); absent = forgotten. */
  kept: Map<string, KeptWeight>;
  /** Checked real servers: destination id -> its check (service-wide or its own). */
  members: Map<string, CheckConfig>;
  /** Sum of the configured weights of the real servers that are up (and of unchecked ones). */
  healthyWeight: number;
  anyHealthy: boolean;
}

export interface ServicePlanInput {
  key: ServiceKey;
  /** The kernel's service (undefined: it does not exist; nothing is planned). */
  service: Service | undefined;
  config: ServiceHealthConfig;
  health: ReadonlyMap<string, DestHealth>;
  kept: ReadonlyMap<string, KeptWeight>;
  now: number;
  /** Whether the service's quorum was held at the plan before (undefined: not judged yet). */
  quorumBefore?: boolean;
}

/** The check of a real server: its own, else the service's, else none. */
export function checkOf(config: ServiceHealthConfig, destination: string): CheckConfig | undefined {
  return config.destinations.find((d) => destinationId(d.destination) === destination)?.check ?? config.check;
}

export function planService(input: ServicePlanInput): ServicePlan {
  const { config, service, now } = input;
  const edits: PlannedEdit[] = [];
  const kept = new Map<string, KeptWeight>();
  const members = new Map<string, CheckConfig>();
  const result = (healthyWeight: number, anyHealthy: boolean): ServicePlan => ({
    edits,
    kept,
    members,
    healthyWeight,
    anyHealthy,
  });
  if (!service) {
    for (const [id, k] of input.kept) kept.set(id, k); // the service may come back: keep what we know
    return result(0, false);
  }
  const sorryId = config.sorryServer ? destinationId(config.sorryServer) : undefined;
  const inKernel = new Map(service.destinations.map((d) => [destinationId(d), d]));
  const ids = new Set<string>([...inKernel.keys(), ...input.kept.keys()]);
  let healthyWeight = 0;
  const wanted: Wanted[] = [];
  for (const id of ids) {
    if (id === sorryId) continue;
    const current = inKernel.get(id);
    const before = input.kept.get(id);
    let k: KeptWeight;
    if (current) {
      const seen = destConfigOf(current);
      // a weight the agent did not set was set by someone else (a person, a reload): it is the configured one now
      const weight = before && before.applied === current.weight ? before.config.weight : current.weight;
      k = { config: { ...seen, weight }, applied: current.weight };
    } else if (before?.applied === null) {
      k = before; // removed by a check or the quorum: put back on recovery
    } else continue; // deleted by someone else: no longer ours
    const check = checkOf(config, id);
    const onFailure = check?.onFailure ?? 'quiesce';
    if (!check || check.check.type === 'none') {
      healthyWeight += k.config.weight;
      wanted.push({
        id,
        current,
        k,
        onFailure,
        want: { present: true, weight: k.config.weight },
        reason: 'no check: its configured weight',
      });
      continue;
    }
    members.set(id, check);
    const h = input.health.get(id);
    if (!h) {
      // no state yet (its check is being set up): leave the kernel as it is, count it by its start state
      const counted = check.startState === 'up';
      if (counted) healthyWeight += k.config.weight;
      wanted.push({ id, current, k, onFailure, serving: counted && current !== undefined && current.weight > 0 });
      continue;
    }
    const want = desiredWeight(h, check, k.config.weight, now);
    if (h.status === 'up') healthyWeight += h.reportedWeight ?? k.config.weight;
    const target = h.reportedWeight ?? k.config.weight;
    const reason =
      h.status === 'down'
        ? `down: ${h.last?.error ?? 'start state down, not proven up yet'}`
        : !want.present || want.weight === 0
          ? 'up, warming up'
          : want.weight < target
            ? `up, slow start: weight ${want.weight} of ${target}`
            : `up: weight ${want.weight}`;
    wanted.push({ id, current, k, onFailure, want, reason });
  }
  // keepalived's sorry server with a quorum (ipwrapper.c update_quorum_state): once the healthy weight is below the
  // quorum, the real servers still up leave the pool as failed ones do and the sorry server alone answers
  const quorumLost =
    config.sorryServer && config.quorum ? !quorumHeld(config.quorum, healthyWeight, input.quorumBefore) : false;
  const lostReason = `quorum ${config.quorum?.minWeight} lost (healthy weight ${healthyWeight}): the sorry server answers`;
  let anyHealthy = false;
  for (const w of wanted) {
    let { k } = w;
    const { id, current } = w;
    if (!w.want) {
      anyHealthy ||= w.serving === true;
      kept.set(id, k);
      continue;
    }
    const holdOut = quorumLost && w.want.present && w.want.weight > 0;
    const want: DesiredWeight = holdOut
      ? w.onFailure === 'remove'
        ? { present: false }
        : { present: true, weight: 0 }
      : w.want;
    const reason = holdOut ? lostReason : (w.reason ?? '');
    if (want.present && want.weight > 0) anyHealthy = true;
    if (!want.present) {
      if (current) {
        edits.push({ edit: deleteDest(input.key, current.address, current.port), destination: id, reason });
        k = { ...k, applied: null };
      }
    } else if (current) {
      if (current.weight !== want.weight) {
        edits.push({ edit: editDest(input.key, { ...k.config, weight: want.weight }), destination: id, reason });
        k = { ...k, applied: want.weight };
      }
    } else {
      edits.push({ edit: addDest(input.key, { ...k.config, weight: want.weight }), destination: id, reason });
      k = { ...k, applied: want.weight };
    }
    kept.set(id, k);
  }
  if (config.sorryServer && sorryId) {
    const sorry = inKernel.get(sorryId);
    if (!anyHealthy && (!sorry || sorry.weight !== 1)) {
      const reason = quorumLost ? lostReason : 'no real server is healthy: the sorry server answers';
      const cfg = { ...config.sorryServer, weight: 1 };
      edits.push({
        edit: sorry ? editDest(input.key, cfg) : addDest(input.key, cfg),
        destination: sorryId,
        reason,
      });
    } else if (anyHealthy && sorry) {
      const reason = 'a real server is healthy again: the sorry server leaves';
      edits.push({ edit: deleteDest(input.key, sorry.address, sorry.port), destination: sorryId, reason });
    }
  }
  return result(healthyWeight, anyHealthy);
}

/** One real server's place in the plan: what the kernel has, the kept weight, and the weight its health asks for
 * (absent: not checked yet, left as it is). */
interface Wanted {
  id: string;
  current: Service['destinations'][number] | undefined;
  k: KeptWeight;
  onFailure: 'quiesce' | 'remove';
  want?: DesiredWeight;
  reason?: string;
  /** Not checked yet: whether it counts as serving (start state up, in the kernel with a weight). */
  serving?: boolean;
}

const addDest = (service: ServiceKey, destination: DestinationConfig): Edit => ({
  kind: 'add-destination',
  service,
  destination,
});
const editDest = (service: ServiceKey, destination: DestinationConfig): Edit => ({
  kind: 'edit-destination',
  service,
  destination,
});
const deleteDest = (service: ServiceKey, address: string, port: number): Edit => ({
  kind: 'delete-destination',
  service,
  destination: { address, port },
});
