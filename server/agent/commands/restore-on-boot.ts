import { ParseError, parseSave } from '../../../lib/ipvs';
import { createAgent } from '../agent';
import { IpvsadmBackend } from '../ipvsadm-backend';
import { SavedTable } from '../saved-table';
import { AGENT_STATE_DIR } from '../units';
import type { Io } from './io';
import { parseOptions } from './options';

const HELP = `usage: lvs-agent restore-on-boot [--state-dir DIR]

Applies the last table set through this agent (saved in ${AGENT_STATE_DIR}/rules after each edit or apply from the
dashboard) with the minimal planner against whatever the kernel holds now: only the differences are changed, never
a flush. Meant for the opt-in oneshot unit (lvs-agent install-unit restore). The dashboard audits the restore when
it next connects to the agent. Exit status 1 when an operation fails.`;

export async function runRestoreOnBoot(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP + '\n');
    return 0;
  }
  let opts;
  try {
    opts = parseOptions(args, { 'state-dir': 'string' });
  } catch (e) {
    io.err(`lvs-agent restore-on-boot: ${(e as Error).message}\n`);
    return 2;
  }
  const saved = new SavedTable(opts['state-dir'] ?? AGENT_STATE_DIR);
  const rules = saved.load();
  if (rules === null) {
    io.err(`lvs-agent restore-on-boot: nothing saved in ${saved.rulesFile} yet: nothing to do\n`);
    return 0;
  }
  let desired;
  try {
    desired = parseSave(rules);
  } catch (e) {
    if (e instanceof ParseError) {
      io.err(`lvs-agent restore-on-boot: ${saved.rulesFile}: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const backend = new IpvsadmBackend();
  const ready = await backend.check();
  if (!ready.ok) {
    io.err(`lvs-agent restore-on-boot: ${ready.reason}\n`);
    return 1;
  }
  const done = await createAgent({ backend }).apply(desired);
  saved.recordRestore({ at: Date.now(), plan: done.plan, results: done.results });
  for (const r of done.results)
    io.out(`${r.ok ? 'ok    ' : 'FAILED'} ${r.argv.join(' ')}${r.ok ? '' : `: ${r.stderr}`}\n`);
  const failed = done.results.find((r) => !r.ok);
  io.err(
    `lvs-agent restore-on-boot: applied ${done.results.filter((r) => r.ok).length} of ${done.plan.length} operations\n`,
  );
  return failed ? 1 : 0;
}
