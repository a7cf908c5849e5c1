// Why an edit request cannot run against the table as it is now (another run of the agent, a table changed since the
// person saw it, a service the director could not read); undefined when it can. The answer carries the current table.
import type { AgentAck, EditOutcome } from '../../lib/events';
import {
  blockingProblem,
  describeProblem,
  editedServiceId,
  isWeightOnly,
  type EditRequest,
  type TableState,
} from '../../lib/ipvs';

export function editRefusal(req: EditRequest, state: TableState): AgentAck<EditOutcome> | undefined {
  // any edit, a weight too: the real server it names may not be the one the person saw, or not there at all
  if (req.epoch !== state.epoch) {
    return {
      ok: false,
      error: {
        code: 'conflict',
        message: `the table was replaced by a restarted agent (you saw the table of agent run ${req.epoch.slice(0, 8)}, this is run ${state.epoch.slice(0, 8)} at version ${state.version}): nothing was changed; review the new table and retry`,
        field: 'epoch',
        state,
      },
    };
  }
  if (req.version !== state.version && !isWeightOnly(req.edit, state.services)) {
    return {
      ok: false,
      error: {
        code: 'conflict',
        message: `the table changed (you saw version ${req.version}, it is now ${state.version}): review and retry`,
        state,
      },
    };
  }
  // zeroing all counters or timeouts cannot hurt a service we could not read; anything naming one might
  const service = editedServiceId(req.edit);
  const blocked = service === undefined ? undefined : blockingProblem(state.problems, service);
  if (!blocked) return undefined;
  return {
    ok: false,
    error: {
      code: 'unavailable',
      message: `${service} cannot be changed while the director is degraded: ${describeProblem(blocked)}`,
      field: 'service',
      state,
    },
  };
}
