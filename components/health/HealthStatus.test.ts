import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { HealthRow } from '@/lib/health';
import { HealthStatus } from './HealthStatus';

const row: HealthRow = {
  service: 'tcp/10.1.0.10:80',
  destination: '10.2.0.11:80',
  status: 'up',
  lastCheckAt: 1000,
  latencyMs: 2,
  lastError: null,
  stuck: false,
  since: 500,
  intervalMs: 2000,
  configuredWeight: 8,
  kernelWeight: 4,
};
const text = (r: HealthRow) => renderToStaticMarkup(createElement(HealthStatus, { row: r })).replace(/<[^>]*>/g, '');

describe('HealthStatus', () => {
  it('shows a slow start in progress as the weight reached of the weight it ramps to', () => {
    const html = renderToStaticMarkup(createElement(HealthStatus, { row: { ...row, rampWeight: 4, rampTarget: 8 } }));
    expect(html).toContain('data-testid="health-ramp"');
    expect(html).toContain('title="slow start after a recovery: weight 4 of 8, rising in steps"');
    expect(text({ ...row, rampWeight: 4, rampTarget: 8 })).toBe('●up↗ ramping 4/8');
  });

  it('shows no ramp when the agent reports none (up at the full weight, or down)', () => {
    expect(text(row)).toBe('●up');
    expect(text({ ...row, status: 'down', kernelWeight: 0 })).toBe('■down');
  });
});
