// lvs-agent: the command-line entry of the agent. `parse` and `render` are pure (stdin → stdout) and safe to run
// anywhere; `serve` and `apply` (see their modules) touch the kernel.
import { runParse, PARSE_KINDS } from './commands/parse';
import { runRender } from './commands/render';
import { runApply } from './commands/apply';
import { runServe } from './commands/serve';
import { runInstallUnit } from './commands/install-unit';
import { runRestoreOnBoot } from './commands/restore-on-boot';
import { runDoctor } from './commands/doctor';
import { runRsSetup } from './commands/rs-setup';
import { processIo, type Io } from './commands/io';

const USAGE = `usage: lvs-agent <command> [options]

commands:
  parse <kind>     read an ipvsadm/procfs listing on stdin, print JSON on stdout
                   kinds: ${PARSE_KINDS.join(' ')}
  render save      read {"services": [...]} JSON on stdin, print ipvsadm -S -n text
  render metrics   read {"services": [...], "stats": {...}} JSON on stdin, print the Prometheus exposition
  apply --file F   make the kernel table equal F (ipvsadm -S -n text) with a minimal plan [--dry-run]
  serve            run the agent daemon (Socket.IO, token required)
  restore-on-boot  apply the last table set through this agent (minimal plan, never a flush)
  install-unit     write or print a hardened systemd unit (agent, restore, dashboard) [--print]
  doctor           check this director (VIPs, forwarding, routes, sysctls) and print fixes [--json]
  rs-setup         print a sh script that sets up a real server: --mode dr|tun|nat --vip VIP... [--undo]

Run "lvs-agent <command> --help" for a command's options.`;

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [cmd, ...rest] = argv;
  switch (cmd) {
    case 'parse':
      return runParse(rest, io);
    case 'render':
      return runRender(rest, io);
    case 'apply':
      return runApply(rest, io);
    case 'serve':
      return runServe(rest, io);
    case 'restore-on-boot':
      return runRestoreOnBoot(rest, io);
    case 'install-unit':
      return runInstallUnit(rest, io);
    case 'doctor':
      return runDoctor(rest, io);
    case 'rs-setup':
      return runRsSetup(rest, io);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      io.out(USAGE + '\n');
      return cmd === undefined ? 2 : 0;
    default:
      io.err(`lvs-agent: unknown command ${JSON.stringify(cmd)}\n${USAGE}\n`);
      return 2;
  }
}

const isMain = process.argv[1] !== undefined && /lvs-agent(\.mjs)?$|cli\.ts$/.test(process.argv[1]);
if (isMain) {
  // `lvs-agent parse conns < x | head` closes the pipe early: that is not an error
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`lvs-agent: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
