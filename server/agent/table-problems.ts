// The unreadable lines of one table read, as they travel with the table: without repeats, bounded.
import type { ParseProblem, TableProblem } from '../../lib/ipvs';

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
