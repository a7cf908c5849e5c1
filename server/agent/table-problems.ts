// The unreadable lines of one table read, as they travel with the table: without repeats, bounded.
import type { ParseProblem, TableProblem } from '../../lib/ipvs';
import type { Logger } from '../log';

/** At most this many unreadable lines travel with the table (the count of the rest is in the last one's reason). */
const MAX_PROBLEMS = 50;

/** The problems of one read, without repeats (the same line may fail in several listings), bounded. */
export function tableProblems(all: readonly ParseProblem[]): TableProblem[] {
  const seen = new Map<string, TableProblem>();
  for (const p of all) {
    const key = `${p.line}\n${p.reason}`;
    if (!seen.has(key)) seen.set(key, { ...p, line: p.line.slice(0, 1000), reason: p.reason.slice(0, 1000) });
  }
  const out = [...seen.values()];
  if (out.length <= MAX_PROBLEMS) return out;
  const kept = out.slice(0, MAX_PROBLEMS);
  const last = kept[MAX_PROBLEMS - 1] as TableProblem;
  kept[MAX_PROBLEMS - 1] = {
    ...last,
    reason: `${last.reason} (and ${out.length - MAX_PROBLEMS} more unreadable lines)`,
  };
  return kept;
}

/** Unreadable lines reported to the agent's log once each, not every tick. */
export class ProblemLog {
  private readonly logged = new Set<string>();
  constructor(private readonly logger: Pick<Logger, 'warn'>) {}

  log(problems: readonly TableProblem[]): void {
    for (const p of problems) {
      const key = `${p.line}\n${p.reason}`;
      if (this.logged.has(key)) continue;
      if (this.logged.size >= 1000) this.logged.clear(); // bounded: a churning listing logs again
      this.logged.add(key);
      this.logger.warn(
        { line: p.line, lineNumber: p.lineNumber, reason: p.reason, service: p.service },
        'director degraded: a listing line cannot be read; the rest of the table stays live',
      );
    }
  }
}
