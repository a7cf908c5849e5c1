import { readFileSync } from 'node:fs';
import { ParseError, parseSave } from '../../../lib/ipvs';
import { createAgent } from '../agent';
import { IpvsadmBackend } from '../ipvsadm-backend';
import type { Io } from './io';
import { UsageError, parseOptions } from './options';

const HELP = `usage: lvs-agent apply --file RULES [--dry-run]

Makes the kernel's IPVS table equal RULES (ipvsadm -S -n text: the desired table) with the fewest operations:
never ipvsadm -C, never delete-and-recreate what only changed (a service that keeps its address keeps its
counters and live connections). Prints the plan, one ipvsadm command per line, then applies it one operation
at a time and stops at the first failure, printing the kernel's error.
  --file RULES   the desired table ("-" for stdin)
  --dry-run      print the plan only`;

export async function runApply(args: string[], io: Io): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP + '\n');
    return 0;
  }
  let opts;
  try {
    opts = parseOptions(args, { file: 'string', 'dry-run': 'boolean' });
    if (!opts.file) throw new UsageError('--file RULES is required');
  } catch (e) {
    io.err(`lvs-agent apply: ${(e as Error).message}\n`);
    return 2;
  }
  let desired;
  try {
    desired = parseSave(opts.file === '-' ? io.stdin() : readFileSync(opts.file, 'utf8'));
  } catch (e) {
    if (e instanceof ParseError || (e as NodeJS.ErrnoException).code === 'ENOENT') {
      io.err(`lvs-agent apply: ${opts.file}: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
  const backend = new IpvsadmBackend();
  const ready = await backend.check();
  if (!ready.ok) {
    io.err(`lvs-agent apply: ${ready.reason}\n`);
    return 1;
  }
  const agent = createAgent({ backend });
  const dryRun = opts['dry-run'] === true;
  const plan = await agent.apply(desired, { dryRun: true });
  io.out(
    plan.plan.length
      ? plan.plan.map((a) => `ipvsadm ${a.join(' ')}`).join('\n') + '\n'
      : '# nothing to do: the table already matches\n',
  );
  if (dryRun || plan.plan.length === 0) return 0;
  const done = await agent.apply(desired);
  const failed = done.results.find((r) => !r.ok);
  io.err(
    `# applied ${done.results.filter((r) => r.ok).length} of ${done.plan.length} operations${failed ? `; failed: ${failed.argv.join(' ')}: ${failed.stderr}` : ''}\n`,
  );
  return failed ? 1 : 0;
}
