'use client';

import { useState } from 'react';
import { request } from '@/components/realtime/request';
import { Button } from '@/components/ui/Button';
import { CopyButton } from '@/components/ui/CopyButton';
import { Panel } from '@/components/ui/Panel';
import { formatClock } from '@/components/ui/format';
import type { DoctorReport, Finding, Severity } from '@/lib/doctor/facts';
import type { AckError } from '@/lib/errors';
import { SEVERITY_TEXT, findingsFor, severityCounts } from './findings';

/** A gather looks up a route per address on the director: allow it longer than a plain request. */
const DOCTOR_TIMEOUT_MS = 60_000;

const LOOK: Record<Severity, string> = {
  error: 'bg-red-50 text-red-800 ring-red-600/30 dark:bg-red-500/10 dark:text-red-300',
  warning: 'bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-500/10 dark:text-amber-200',
  info: 'bg-zinc-50 text-zinc-700 ring-zinc-500/20 dark:bg-zinc-500/10 dark:text-zinc-300',
};

function FindingRow({ f }: { f: Finding }) {
  return (
    <li className="space-y-1 px-4 py-3" data-testid="finding" data-finding={f.id} data-severity={f.severity}>
      <div className="flex items-start gap-3">
        <span
          className={`mt-0.5 inline-flex w-18 shrink-0 justify-center rounded-md px-2 py-0.5 text-xs font-semibold ring-1 ring-inset ${LOOK[f.severity]}`}
        >
          {SEVERITY_TEXT[f.severity]}
        </span>
        <div className="min-w-0 space-y-1">
          <p className="text-sm font-medium break-words">{f.message}</p>
          <p className="text-xs text-zinc-600 dark:text-zinc-400">{f.why}</p>
          {f.fix !== null && (
            <div className="flex flex-wrap items-center gap-2">
              <code className="rounded bg-zinc-100 px-2 py-1 font-mono text-xs break-all dark:bg-zinc-800">
                {f.fix}
              </code>
              <CopyButton text={f.fix} what={`the fix for: ${f.message}`} />
            </div>
          )}
        </div>
      </div>
    </li>
  );
}

/**
 * The director doctor's findings, run by the director's agent when asked: each with its severity in words, why it
 * matters and the command that fixes it. With `sid`, only the findings about that service (on its page).
 */
export function DiagnosticsPanel({ director, sid }: { director: string; sid?: string }) {
  const [report, setReport] = useState<DoctorReport | null>(null);
  const [error, setError] = useState<AckError | null>(null);
  const [pending, setPending] = useState(false);
  async function run() {
    setPending(true);
    setError(null);
    const r = await request('director:doctor', [{ director }], DOCTOR_TIMEOUT_MS);
    setPending(false);
    if (r.ok) setReport(r.data);
    else setError(r.error);
  }
  const findings = report ? findingsFor(report, sid) : [];
  return (
    <Panel
      title={sid ? 'Diagnostics for this service' : 'Diagnostics'}
      headingId="diagnostics-heading"
      data-testid="diagnostics"
      aside={
        <div className="ml-auto flex items-center gap-3">
          {report && (
            <span className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="diagnostics-summary">
              {severityCounts(findings)} · checked {formatClock(report.checkedAt)}
              {report.simulated ? ' on the simulated host' : ''}
            </span>
          )}
          <Button size="sm" onClick={() => void run()} disabled={pending}>
            {pending ? 'Checking…' : report ? 'Check again' : 'Run checks'}
          </Button>
        </div>
      }
    >
      {error && (
        <p role="alert" className="px-4 py-3 text-sm text-red-700 dark:text-red-400">
          The checks did not run: {error.message}
        </p>
      )}
      {!report && !error && (
        <p className="px-4 py-3 text-sm text-zinc-500 dark:text-zinc-400">
          The agent on {director} checks ip_vs, the schedulers, forwarding, the VIPs, the routes to the real servers,
          the IPVS sysctls and keepalived/ldirectord{sid ? ', and this page shows what concerns this service' : ''}.
        </p>
      )}
      {report && findings.length === 0 && (
        <p className="px-4 py-3 text-sm text-zinc-500 dark:text-zinc-400">
          {sid ? 'No finding concerns this service.' : 'Nothing found.'}
        </p>
      )}
      {findings.length > 0 && (
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {findings.map((f) => (
            <FindingRow key={f.id} f={f} />
          ))}
        </ul>
      )}
    </Panel>
  );
}
