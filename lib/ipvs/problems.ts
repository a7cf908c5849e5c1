// A degraded table: lines of the kernel's listings the agent could not read. The services those lines belong to are
// missing from the table, so nothing may be planned against them: a planner would take them for absent (and an
// import would "add" a service the kernel has, or leave one it was asked to remove).
import { serviceId, serviceKey } from './model';
import type { AgentEdit } from './requests';
import type { TableProblem } from './table-state';

/** `line 12 of the kernel's listing cannot be read (fwmark: ...): "FWM  x rr"`. */
export function describeProblem(p: TableProblem): string {
  const where = p.lineNumber > 0 ? `line ${p.lineNumber} of the kernel's listing` : `the kernel's listing of ${p.line}`;
  return `${where} cannot be read (${p.reason}): ${JSON.stringify(p.line)}`;
}

/** The service (serviceId) an edit changes, or undefined for edits of the whole director (timeouts, daemons, zero). */
export function editedServiceId(edit: AgentEdit): string | undefined {
  switch (edit.kind) {
    case 'add-service':
    case 'edit-service':
      return serviceId(serviceKey(edit.service));
    case 'set-timeouts':
    case 'start-daemon':
    case 'stop-daemon':
      return undefined;
    case 'zero':
      return edit.service ? serviceId(edit.service) : undefined;
    default:
      return serviceId(edit.service);
  }
}

/** The first problem that forbids changing `service` (any problem of that service, or one whose service is unknown);
 * with `service` undefined (a whole-table apply) any problem at all. */
export function blockingProblem(
  problems: readonly TableProblem[] | undefined,
  service?: string,
): TableProblem | undefined {
  if (!problems) return undefined;
  if (service === undefined) return problems[0];
  return problems.find((p) => p.service === undefined || p.service === service);
}
