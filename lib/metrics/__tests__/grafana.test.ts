// The Grafana dashboard in contrib/ queries only metrics we export, and every query parses as PromQL (promtool).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BACKEND_METRICS, DIRECTOR_METRICS, NODE_BACKEND_METRICS, SERVICE_METRICS } from '..';
import { PROMTOOL } from './exposition';

const BOARD = join(__dirname, '../../../contrib/grafana/lvs-dashboard.json');
const EXPORTED = new Set(
  [...DIRECTOR_METRICS, ...SERVICE_METRICS, ...BACKEND_METRICS, ...NODE_BACKEND_METRICS].map((m) => m.name),
);
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
]);

interface Board {
  panels: { title: string; targets: { expr: string }[] }[];
  templating: { list: { query?: unknown }[] };
}

/** The metric names a PromQL expression reads: identifiers outside strings, matchers and ranges that are not
 * functions, aggregations or keywords. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names: string[] = [];
  for (const m of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = bare.slice((m.index ?? 0) + m[0].length);
    if (/^\s*\(/.test(after) || KEYWORDS.has(m[0])) continue;
    names.push(m[0]);
  }
  return names;
}

const board = JSON.parse(readFileSync(BOARD, 'utf8')) as Board;
const exprs = board.panels.flatMap((p) => p.targets.map((t) => t.expr));
const variableQueries = board.templating.list.flatMap((v) =>
  typeof v.query === 'object' && v.query !== null ? [(v.query as { query: string }).query] : [],
);

describe('contrib/grafana/lvs-dashboard.json', () => {
  it('names only metrics we export, in every panel query and variable', () => {
    const used = new Set(exprs.flatMap(metricNames));
    for (const q of variableQueries) {
      const m = /^label_values\((\w+),/.exec(q);
      expect(m, q).not.toBeNull();
      used.add(m?.[1] as string);
    }
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((n) => !EXPORTED.has(n))).toEqual([]);
  });

  it('every panel query is valid PromQL (promtool check rules)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grafana-'));
    const rules = exprs.map((e, i) => {
      const promql = e.replaceAll('$__rate_interval', '1m').replaceAll('$instance', '.*');
      return `      - record: board:query_${i}\n        expr: ${JSON.stringify(promql)}`;
    });
    writeFileSync(join(dir, 'rules.yml'), `groups:\n  - name: board\n    rules:\n${rules.join('\n')}\n`);
    const r = spawnSync(PROMTOOL, ['check', 'rules', join(dir, 'rules.yml')], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toMatch(new RegExp(`SUCCESS: ${exprs.length} rules found`));
    expect(r.status).toBe(0);
  });

  it('the name extraction sees through functions, matchers and grouping', () => {
    expect(metricNames('a_total{x="b_total"} / ignoring(y) group_left sum without(z) (rate(c_total[5m])) * 8')).toEqual(
      ['a_total', 'c_total'],
    );
  });
});
