// Health checks in words, for the service page.
import type { CheckConfig } from '@/lib/health';

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

/** "HTTP GET /health, every 5 s, rise 2 / fall 3, quiesce on failure, slow start 60 s in 4 steps" */
export function describeCheck(c: CheckConfig): string {
  const k = c.check;
  const what =
    k.type === 'http' || k.type === 'https'
      ? `${k.type.toUpperCase()} GET ${k.path}`
      : k.type === 'tcp'
        ? 'TCP connect'
        : k.type === 'dns'
          ? `DNS ${k.queryType} ${k.name}`
          : k.type === 'command'
            ? `command ${k.argv[0] ?? ''}`
            : 'no check (always up)';
  if (k.type === 'none') return what;
  const where = c.address || c.port ? ` at ${c.address ?? 'its address'}${c.port ? `:${c.port}` : ''}` : '';
  const retry = c.retryIntervalMs === undefined ? '' : ` (retried ${seconds(c.retryIntervalMs)} apart)`;
  const ramp = c.slowStart ? `, slow start ${seconds(c.slowStart.durationMs)} in ${c.slowStart.steps} steps` : '';
  return `${what}${where}, every ${seconds(c.intervalMs)}, rise ${c.rise} / fall ${c.fall}${retry}, ${c.onFailure} on failure${ramp}`;
}
