import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { agentUnit, dashboardUnit, restoreUnit } from '../units';
import type { Io } from './io';
import { UsageError, parseOptions } from './options';

const UNITS = {
  agent: { file: 'lvs-agent.service', what: 'the agent (serve)' },
  restore: { file: 'lvs-agent-restore.service', what: 'restore-on-boot (opt-in oneshot)' },
  dashboard: { file: 'lvs-dashboard.service', what: 'the dashboard (an unprivileged dynamic user)' },
} as const;
type UnitName = keyof typeof UNITS;

const HELP = `usage: lvs-agent install-unit [agent|restore|dashboard] [options]

Writes a hardened systemd unit (default: agent) into /etc/systemd/system, or prints it.
${Object.entries(UNITS)
  .map(([k, u]) => `  ${k.padEnd(10)} ${u.file.padEnd(26)} ${u.what}`)
  .join('\n')}
  --print              print the unit on stdout instead of writing it
  --dir DIR            where to write it (default /etc/systemd/system)
  --node PATH          the node binary (default: this one, ${process.execPath})
  --agent-file PATH    the bundled agent (default: this file)
  --dashboard-dir DIR  the dashboard's built checkout (default: the current directory)
Then: systemctl daemon-reload && systemctl enable --now <unit>.`;

export function runInstallUnit(args: string[], io: Io): number {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP + '\n');
    return 0;
  }
  const name = (args[0] && !args[0].startsWith('--') ? args[0] : 'agent') as UnitName;
  let opts;
  try {
    if (!(name in UNITS))
      throw new UsageError(`unknown unit ${JSON.stringify(name)} (one of: ${Object.keys(UNITS).join(', ')})`);
    opts = parseOptions(args[0] === name ? args.slice(1) : args, {
      print: 'boolean',
      dir: 'string',
      node: 'string',
      'agent-file': 'string',
      'dashboard-dir': 'string',
    });
  } catch (e) {
    io.err(`lvs-agent install-unit: ${(e as Error).message}\n`);
    return 2;
  }
  const paths = {
    node: resolve(opts.node ?? process.execPath),
    agent: resolve(opts['agent-file'] ?? process.argv[1] ?? 'lvs-agent.mjs'),
  };
  const text =
    name === 'agent'
      ? agentUnit(paths)
      : name === 'restore'
        ? restoreUnit(paths)
        : dashboardUnit({ node: paths.node, root: resolve(opts['dashboard-dir'] ?? '.') });
  if (opts.print) {
    io.out(text);
    return 0;
  }
  const file = join(opts.dir ?? '/etc/systemd/system', UNITS[name].file);
  writeFileSync(file, text, { mode: 0o644 });
  io.err(`lvs-agent: wrote ${file}; now: systemctl daemon-reload && systemctl enable --now ${UNITS[name].file}\n`);
  return 0;
}
