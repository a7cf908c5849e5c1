// After every edit the agent re-reads the kernel and checks the edit's effect is there: the reply says so.
import {
  destinationOptionArgs,
  destConfigOf,
  configOf,
  serviceOptionArgs,
  serviceId,
  serviceKey,
  destinationId,
  type Edit,
  type TableState,
} from '../../lib/ipvs';

export function confirmEdit(edit: Edit, state: TableState): boolean {
  const find = (key: Parameters<typeof serviceId>[0]) =>
    state.services.find((s) => serviceId(serviceKey(s)) === serviceId(key));
  switch (edit.kind) {
    case 'add-service':
    case 'edit-service': {
      const s = find(serviceKey(edit.service));
      return !!s && serviceOptionArgs(configOf(s)).join(' ') === serviceOptionArgs(edit.service).join(' ');
    }
    case 'delete-service':
      return !find(edit.service);
    case 'add-destination':
    case 'edit-destination': {
      const d = find(edit.service)?.destinations.find((x) => destinationId(x) === destinationId(edit.destination));
      return (
        !!d && destinationOptionArgs(destConfigOf(d)).join(' ') === destinationOptionArgs(edit.destination).join(' ')
      );
    }
    case 'delete-destination':
      return !find(edit.service)?.destinations.some((x) => destinationId(x) === destinationId(edit.destination));
    case 'set-timeouts':
      // 0 means "leave unchanged" to ipvsadm --set
      return (['tcp', 'tcpfin', 'udp'] as const).every(
        (k) => edit.timeouts[k] === 0 || state.timeouts?.[k] === edit.timeouts[k],
      );
    case 'start-daemon':
      return state.daemons.some(
        (d) =>
          d.state === edit.daemon.state &&
          d.mcastInterface === edit.daemon.mcastInterface &&
          d.syncId === edit.daemon.syncId,
      );
    case 'stop-daemon':
      return !state.daemons.some((d) => d.state === edit.state);
    case 'zero':
      return true; // counters move again at once under traffic: nothing stable to check
  }
}
