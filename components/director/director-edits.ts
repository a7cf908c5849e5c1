// The Director panel's forms as data: each draft (text as typed) checked with the schemas the server uses and turned
// into the one edit it asks for, and every edit shown as the ipvsadm command the agent will run.
import { finishCheck, numberReader, type Errors } from '@/components/forms/edit';
import { shellLine } from '@/components/ui/format';
import type { EditOutcome } from '@/lib/events';
import { SyncDaemon, Timeouts, editArgv, type Edit, type ServiceKey } from '@/lib/ipvs';

export const TIMEOUT_FIELDS = ['tcp', 'tcpfin', 'udp'] as const;
export type TimeoutField = (typeof TIMEOUT_FIELDS)[number];
export type TimeoutsDraft = Record<TimeoutField, string>;

export const timeoutsDraft = (t: Timeouts | undefined): TimeoutsDraft => ({
  tcp: t ? String(t.tcp) : '',
  tcpfin: t ? String(t.tcpfin) : '',
  udp: t ? String(t.udp) : '',
});

const TIMEOUT_WORDS: Record<TimeoutField, string> = {
  tcp: 'TCP (established)',
  tcpfin: 'TCP FIN_WAIT',
  udp: 'UDP',
};

/** The set-timeouts edit of a draft, or each box's problem. 0 leaves that timeout as it is (ipvsadm --set). */
export function checkTimeouts(draft: TimeoutsDraft): { edit?: Edit; errors: Errors<TimeoutField> } {
  const errors: Errors<TimeoutField> = {};
  const out: Record<string, unknown> = {};
  const num = numberReader<TimeoutField>(errors, out);
  for (const f of TIMEOUT_FIELDS) {
    num(f, draft[f], `${TIMEOUT_WORDS[f]} timeout`);
    if (draft[f].trim() === '') errors[f] ??= 'required: seconds (0 leaves it as it is)';
  }
  const { config, errors: found } = finishCheck(Timeouts, out, errors, TIMEOUT_FIELDS, 'tcp', (timeouts) => ({
    kind: 'set-timeouts',
    timeouts,
  }));
  return config ? { edit: { kind: 'set-timeouts', timeouts: config }, errors: found } : { errors: found };
}

export const DAEMON_FIELDS = ['mcastInterface', 'syncId'] as const;
export type DaemonField = (typeof DAEMON_FIELDS)[number];
export interface DaemonDraft {
  mcastInterface: string;
  syncId: string;
}

/** The start-daemon edit of a draft (the kernel picks maxlen, group, port and ttl), or each box's problem. */
export function checkDaemon(
  state: 'master' | 'backup',
  draft: DaemonDraft,
): { edit?: Edit; errors: Errors<DaemonField> } {
  const errors: Errors<DaemonField> = {};
  const out: Record<string, unknown> = { state };
  const num = numberReader<DaemonField>(errors, out, () => 0);
  if (draft.mcastInterface.trim()) out.mcastInterface = draft.mcastInterface.trim();
  else errors.mcastInterface = 'required: the interface the sync messages go out of (or come in by), e.g. eth1';
  num('syncId', draft.syncId, 'sync id');
  if (out.syncId === undefined) errors.syncId ??= 'required: 0..255, the same on master and backup';
  const { config, errors: found } = finishCheck(SyncDaemon, out, errors, DAEMON_FIELDS, 'mcastInterface', (daemon) => ({
    kind: 'start-daemon',
    daemon,
  }));
  return config ? { edit: { kind: 'start-daemon', daemon: config }, errors: found } : { errors: found };
}

/** Zero the counters of one service, or of every service (key absent). */
export const zeroEdit = (service?: ServiceKey): Edit => (service ? { kind: 'zero', service } : { kind: 'zero' });

/** The command line the agent runs for an edit, as a person would type it. */
export const commandOf = (edit: Edit): string => shellLine(['ipvsadm', ...editArgv(edit)]);

/** What the person is told once the agent answered: the command, and whether the re-read table shows its effect. */
export function outcomeText(o: Pick<EditOutcome, 'edit' | 'confirmed'>): string {
  // counters move again at once under traffic: the agent has nothing stable to confirm a zeroing by
  if (o.edit.kind === 'zero') return `Done: ${commandOf(o.edit)} — the counters count again from 0.`;
  return o.confirmed
    ? `Done: ${commandOf(o.edit)} — the director's table, read again, shows it.`
    : `ipvsadm accepted ${commandOf(o.edit)}, but the director's table, read again, does not show it yet.`;
}
