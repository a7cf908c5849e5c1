// One structured log line per kernel change the agent makes (edit or apply): what ran, exactly, and what came of it.
import type { OpResult } from '../../lib/events';
import type { Logger } from '../log';
import type { OperationSource } from './agent';

export function logOperation(log: Logger): (source: OperationSource, r: OpResult) => void {
  return (source, r) => {
    const fields = {
      source,
      argv: r.argv,
      ok: r.ok,
      exitCode: r.exitCode,
      stderr: r.stderr || undefined,
      ms: r.durationMs,
    };
    if (r.ok) log.info(fields, `${source}: ${r.argv.join(' ')}`);
    else log.warn(fields, `${source} failed: ${r.argv.join(' ')}: ${r.stderr}`);
  };
}
