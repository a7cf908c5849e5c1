import { diagnose } from '../../../lib/doctor/checks';
import type { Finding } from '../../../lib/doctor/facts';
import { gatherFacts, type GatherOptions } from '../doctor/gather';
import type { Io } from './io';
import { parseOptions } from './options';

const HELP = `usage: lvs-agent doctor [--json] [--proc DIR]

Checks this director: ip_vs loaded, schedulers, ip_forward for NAT services, each VIP on a local interface, the
route to each real server, the IPVS sysctls that bite, keepalived/ldirectord. Each finding says what is wrong, why
it matters, and the command that fixes it. --json prints {"findings":[{"id","severity","message","why","fix"}]}.
Exit status 1 when a finding is an error.`;

function renderText(findings: Finding[]): string {
  return findings
    .map(
      (f) =>
        `${f.severity.toUpperCase().padEnd(8)}${f.message}\n        ${f.why}\n` +
        (f.fix === null ? '' : `        fix: ${f.fix}\n`),
    )
    .join('');
}

export async function runDoctor(args: string[], io: Io, gather: GatherOptions = {}): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP + '\n');
    return 0;
  }
  let opts;
  try {
    opts = parseOptions(args, { json: 'boolean', proc: 'string' });
  } catch (e) {
    io.err(`lvs-agent doctor: ${(e as Error).message}\n`);
    return 2;
  }
  const findings = diagnose(await gatherFacts({ ...gather, procRoot: opts.proc ?? gather.procRoot }));
  io.out(opts.json ? JSON.stringify({ findings }) + '\n' : renderText(findings));
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}
