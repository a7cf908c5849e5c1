import { describe, expect, it } from 'vitest';
import type { DoctorReport, Finding } from '@/lib/doctor/facts';
import { findingsFor, severityCounts } from './findings';

const finding = (id: string, severity: Finding['severity'], services?: string[]): Finding => ({
  id,
  severity,
  message: id,
  why: 'because',
  fix: null,
  ...(services ? { services } : {}),
});
const report: DoctorReport = {
  checkedAt: 1,
  findings: [
    finding('ipvs-loaded', 'info'),
    finding('rs-route:10.2.0.11', 'info', ['tcp/10.1.0.10:80']),
    finding('no-health-daemon', 'warning'),
    finding('ip-forward-off', 'error', ['tcp/10.1.0.10:80', 'udp/10.1.0.10:53']),
  ],
};

describe('the Diagnostics panel', () => {
  it('shows every finding on the director page, worst first', () => {
    expect(findingsFor(report).map((f) => f.id)).toEqual([
      'ip-forward-off',
      'no-health-daemon',
      'ipvs-loaded',
      'rs-route:10.2.0.11',
    ]);
  });

  it("shows on a service's page only the findings that name it", () => {
    expect(findingsFor(report, 'udp/10.1.0.10:53').map((f) => f.id)).toEqual(['ip-forward-off']);
    expect(findingsFor(report, 'tcp/10.1.0.10:80').map((f) => f.id)).toEqual(['ip-forward-off', 'rs-route:10.2.0.11']);
    expect(findingsFor(report, 'tcp/10.9.9.9:80')).toEqual([]);
  });

  it('counts by severity in words', () => {
    expect(severityCounts(report.findings)).toBe('1 error, 1 warning, 2 notes');
    expect(severityCounts([])).toBe('nothing found');
  });
});
