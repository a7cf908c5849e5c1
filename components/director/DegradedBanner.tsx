'use client';

import { Banner } from '@/components/ui/Banner';
import type { TableProblem } from '@/lib/ipvs';

/** Says which lines of the director's IPVS listing its agent could not read, and why: the services of those lines are
 * missing from the table shown, and changing them is refused until they read. Nothing when every line read. */
export function DegradedBanner({
  director,
  problems,
}: {
  director: string;
  problems: readonly TableProblem[] | undefined;
}) {
  if (!problems?.length) return null;
  const lines = problems.length === 1 ? 'a line' : `${problems.length} lines`;
  return (
    <Banner
      tone="warning"
      testId="director-degraded"
      title={`${director} is degraded: its agent cannot read ${lines} of the kernel's IPVS listing.`}
    >
      <p>
        The rest of the table is live. What these lines describe is missing below, and changes to it (and imports) are
        refused until they read.
      </p>
      <ul className="mt-1.5 space-y-1">
        {problems.map((p) => (
          <li key={`${p.lineNumber}:${p.line}`} data-testid="degraded-line">
            <code className="block font-mono text-xs break-all whitespace-pre-wrap">{p.line}</code>
            <span className="text-xs">
              {p.lineNumber > 0 ? `line ${p.lineNumber}: ` : ''}
              {p.reason}
              {p.service ? ` (service ${p.service})` : ''}
            </span>
          </li>
        ))}
      </ul>
    </Banner>
  );
}
