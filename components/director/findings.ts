// The doctor's findings as the Diagnostics panel shows them: those about one service (on its page), worst first,
// and a one-line count by severity.
import type { DoctorReport, Finding, Severity } from '@/lib/doctor/facts';

export const SEVERITY_TEXT: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Note' };
const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Every finding, or (sid given) those that name that service; errors first, then warnings, then notes. */
export function findingsFor(report: DoctorReport, sid?: string): Finding[] {
  const shown = sid === undefined ? report.findings : report.findings.filter((f) => f.services?.includes(sid));
  return [...shown].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}

/** "1 error, 2 warnings, 9 notes"; "nothing found" for none. */
export function severityCounts(findings: readonly Finding[]): string {
  const parts = (['error', 'warning', 'info'] as const).flatMap((s) => {
    const n = findings.filter((f) => f.severity === s).length;
    if (n === 0) return [];
    const word = SEVERITY_TEXT[s].toLowerCase();
    return [`${n} ${word}${n === 1 ? '' : 's'}`];
  });
  return parts.length ? parts.join(', ') : 'nothing found';
}
