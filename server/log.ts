// Structured logs for the agent and the dashboard (pino): one JSON line per event, or a human line on a terminal.
// Events name what happened in `msg`; details go in fields (argv, result, reason) so journald/jq can filter them.
import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

export function createLogger(name: string, fd: 1 | 2 = 2, destination?: DestinationStream): Logger {
  const tty = fd === 1 ? process.stdout.isTTY : process.stderr.isTTY;
  const stream =
    destination ??
    (tty
      ? pretty({ destination: fd, sync: true, ignore: 'pid,hostname' })
      : pino.destination({ dest: fd, sync: true }));
  return pino({ name, level: process.env.LVS_LOG_LEVEL ?? 'info' }, stream);
}
