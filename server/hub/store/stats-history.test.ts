import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Service, TableState } from '../../../lib/ipvs';
import { openDb, type Db } from './db';
import { StatsHistory, type StatsPoint } from './stats-history';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1); // a whole hour, so minute and hour buckets start at T0

/** `services` TCP services on 10.0.0.1:(80+i), each with `dests` real servers; every rate and count is `v`. */
function table(services: number, dests: number, v: number): TableState {
  const rate = { cps: v, inPps: 2 * v, outPps: 3 * v, inBps: 4 * v, outBps: 5 * v };
  const list: Service[] = Array.from({ length: services }, (_, i) => ({
    protocol: 'tcp',
    address: '10.0.0.1',
    port: 80 + i,
    scheduler: 'rr',
    flags: [],
    ops: false,
    rate,
    destinations: Array.from({ length: dests }, (_, j) => ({
      address: `10.0.1.${j + 1}`,
      port: 80,
      forward: 'masq' as const,
      weight: 1,
      activeConns: v,
      inactiveConns: 2 * v,
      rate,
    })),
  }));
  return { epoch: 'e1', version: 1, updatedAt: 0, services: list, daemons: [], owners: [] };
}

const point = (t: number, v: number, conns = v): StatsPoint => ({
  t,
  cps: v,
  inPps: 2 * v,
  outPps: 3 * v,
  inBps: 4 * v,
  outBps: 5 * v,
  activeConns: conns,
  inactiveConns: 2 * conns,
});

class Clock {
  t = T0;
  readonly now = () => this.t;
}

/** Records `table(services, dests, value(t))` every `step` ms from the clock's time until (not including) `until`. */
function run(
  h: StatsHistory,
  clock: Clock,
  until: number,
  step: number,
  value: (t: number) => number,
  services = 1,
  dests = 2,
  director = 'lb1',
) {
  for (; clock.t < until; clock.t += step) h.record(director, table(services, dests, value(clock.t)));
}

const count = (db: Db, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('StatsHistory', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('records a point per service and per real server, a service counting its real servers’ connections', () => {
    const clock = new Clock();
    const h = new StatsHistory(openDb(':memory:'), { now: clock.now });
    run(h, clock, T0 + 3000, 1000, (t) => (t - T0) / 1000 + 1);
    expect(h.query('lb1', 'tcp/10.0.0.1:80', '5m')).toEqual([
      point(T0, 1, 2),
      point(T0 + 1000, 2, 4),
      point(T0 + 2000, 3, 6),
    ]);
    expect(h.queryMany('lb1', ['tcp/10.0.0.1:80|10.0.1.2:80', 'tcp/10.0.0.9:80'], '5m')).toEqual({
      'tcp/10.0.0.1:80|10.0.1.2:80': [point(T0, 1), point(T0 + 1000, 2), point(T0 + 2000, 3)],
      'tcp/10.0.0.9:80': [],
    });
    expect(h.query('lb2', 'tcp/10.0.0.1:80', '5m')).toEqual([]);
  });

  it('keeps directors apart and refuses an unknown range', () => {
    const clock = new Clock();
    const h = new StatsHistory(openDb(':memory:'), { now: clock.now });
    h.record('lb1', table(1, 0, 1));
    h.record('lb2', table(1, 0, 7));
    expect(h.query('lb2', 'tcp/10.0.0.1:80', '1h')).toEqual([point(T0, 7, 0)]);
    expect(() => h.query('lb1', 'tcp/10.0.0.1:80', '2h' as never)).toThrow();
  });

  it('averages each minute and each hour over its ticks', () => {
    const clock = new Clock();
    const h = new StatsHistory(openDb(':memory:'), { now: clock.now });
    // minute k holds ticks of value k*10 .. k*10+5 (every 10 s): its average is k*10 + 2.5
    run(h, clock, T0 + 2 * HOUR, 10_000, (t) => Math.floor((t - T0) / MIN) * 10 + ((t - T0) % MIN) / 10_000);
    const minutes = h.query('lb1', 'tcp/10.0.0.1:80|10.0.1.1:80', '24h');
    expect(minutes).toHaveLength(120);
    expect(minutes[0]).toEqual(point(T0, 2.5));
    expect(minutes[119]).toEqual(point(T0 + 119 * MIN, 1192.5)); // the current minute, still summed in memory
    // hour 0 averages minutes 0..59: (2.5 + 592.5) / 2; hour 1 counts the minute still in memory
    expect(h.query('lb1', 'tcp/10.0.0.1:80|10.0.1.1:80', '30d')).toEqual([point(T0, 297.5), point(T0 + HOUR, 897.5)]);
  });

  it('chooses the resolution by range: ticks, minutes, hours', () => {
    const clock = new Clock();
    const h = new StatsHistory(openDb(':memory:'), { now: clock.now });
    run(h, clock, T0 + 3 * HOUR, 10_000, () => 1);
    clock.t = T0 + 3 * HOUR - 10_000; // the last tick
    const steps = (ps: StatsPoint[]) => [...new Set(ps.slice(1).map((p, i) => p.t - (ps[i] as StatsPoint).t))];
    const q = (r: '5m' | '1h' | '24h' | '7d' | '30d') => h.query('lb1', 'tcp/10.0.0.1:80', r);
    expect(q('5m')).toHaveLength(31);
    expect(steps(q('5m'))).toEqual([10_000]);
    expect(q('1h')).toHaveLength(361);
    expect(q('24h')).toHaveLength(180);
    expect(steps(q('24h'))).toEqual([MIN]);
    expect(q('7d').map((p) => p.t)).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR]);
    expect(q('30d').map((p) => p.t)).toEqual([T0, T0 + HOUR, T0 + 2 * HOUR]);
    expect(q('30d').every((p) => p.cps === 1 && p.activeConns === 2)).toBe(true);
  });

  it('averages 1-second ticks in pairs for an hour, to stay within 2,000 points', () => {
    const clock = new Clock();
    const h = new StatsHistory(openDb(':memory:'), { now: clock.now });
    run(h, clock, T0 + HOUR, 1000, (t) => ((t - T0) / 1000) % 2, 1, 0);
    clock.t -= 1000;
    const hour = h.query('lb1', 'tcp/10.0.0.1:80', '1h');
    expect(hour).toHaveLength(1800);
    expect(hour[0]).toEqual(point(T0, 0.5, 0));
    expect(hour[1799]).toEqual(point(T0 + HOUR - 2000, 0.5, 0));
    expect(h.query('lb1', 'tcp/10.0.0.1:80', '5m')).toHaveLength(301);
  });

  it('records only maxTickSeries series at tick resolution (services first), the rest by the minute', () => {
    const clock = new Clock();
    const db = openDb(':memory:');
    const h = new StatsHistory(db, { now: clock.now, maxTickSeries: 3 });
    run(h, clock, T0 + 2 * MIN + 30_000, 10_000, (t) => Math.floor((t - T0) / MIN) + 1, 2, 2);
    const ids = db
      .prepare('SELECT DISTINCT s.name FROM stats_raw r JOIN stats_series s ON s.id = r.series ORDER BY s.id')
      .pluck()
      .all();
    expect(ids).toEqual(['tcp/10.0.0.1:80', 'tcp/10.0.0.1:81', 'tcp/10.0.0.1:80|10.0.1.1:80']);
    expect(count(db, 'stats_raw')).toBe(15 * 3);
    // a minute-only series shows minutes in the tick ranges, the current one from memory
    expect(h.query('lb1', 'tcp/10.0.0.1:81|10.0.1.2:80', '5m')).toEqual([
      point(T0, 1),
      point(T0 + MIN, 2),
      point(T0 + 2 * MIN, 3),
    ]);
    expect(h.query('lb1', 'tcp/10.0.0.1:80|10.0.1.1:80', '5m')).toHaveLength(15);
  });

  it('fills ticks with minutes for a series that only lately got tick resolution', () => {
    const clock = new Clock();
    const h = new StatsHistory(openDb(':memory:'), { now: clock.now, maxTickSeries: 1 });
    run(h, clock, T0 + MIN, 30_000, () => 1, 2, 0); // :80 has ticks, :81 minutes
    const only81 = table(1, 0, 2);
    only81.services[0] = { ...(only81.services[0] as Service), port: 81 };
    for (; clock.t < T0 + 2 * MIN; clock.t += 30_000) h.record('lb1', only81); // :80 is gone, :81 is first
    expect(h.query('lb1', 'tcp/10.0.0.1:81', '5m')).toEqual([
      point(T0, 1, 0),
      point(T0 + MIN, 2, 0),
      point(T0 + MIN + 30_000, 2, 0),
    ]);
  });

  it('drops raw ticks after an hour, minutes after 2 days, hours and unseen series after 30 days', () => {
    const clock = new Clock();
    const db = openDb(':memory:');
    const h = new StatsHistory(db, { now: clock.now });
    run(h, clock, T0 + 2 * MIN, 10_000, () => 1);
    h.flush();
    const rows = () =>
      ['stats_raw', 'stats_ticks', 'stats_minute', 'stats_hour', 'stats_series'].map((t) => count(db, t));
    expect(rows()).toEqual([36, 12, 6, 3, 3]);
    clock.t = T0 + HOUR + MIN;
    h.prune();
    expect(rows()).toEqual([18, 6, 6, 3, 3]);
    clock.t = T0 + HOUR + 2 * MIN + 1;
    h.prune();
    expect(rows()).toEqual([0, 0, 6, 3, 3]);
    expect(h.query('lb1', 'tcp/10.0.0.1:80', '24h')).toEqual([point(T0, 1, 2), point(T0 + MIN, 1, 2)]);
    clock.t = T0 + 2 * DAY + MIN;
    h.prune();
    expect(rows()).toEqual([0, 0, 3, 3, 3]); // the first minute is 2 days old
    clock.t = T0 + 2 * DAY + 2 * MIN;
    h.prune();
    expect(rows()).toEqual([0, 0, 0, 3, 3]);
    expect(h.query('lb1', 'tcp/10.0.0.1:80', '30d')).toEqual([point(T0, 1, 2)]);
    clock.t = T0 + 30 * DAY + HOUR;
    h.prune();
    expect(rows()).toEqual([0, 0, 0, 0, 0]);
    // a series seen again after its row was dropped gets a new one
    h.record('lb1', table(1, 0, 4));
    expect(h.query('lb1', 'tcp/10.0.0.1:80', '5m')).toEqual([point(clock.t, 4, 0)]);
  });

  it('prunes from record() at most once a minute', () => {
    const clock = new Clock();
    const db = openDb(':memory:');
    const h = new StatsHistory(db, { now: clock.now });
    run(h, clock, T0 + HOUR + 30_000, 30_000, () => 1, 1, 0);
    expect(count(db, 'stats_raw')).toBe(121); // the prune at T0 + 1 h kept ticks from T0 on
    run(h, clock, T0 + HOUR + 60_000, 30_000, () => 1, 1, 0);
    expect(count(db, 'stats_raw')).toBe(122); // no prune 30 s after the last
    run(h, clock, T0 + HOUR + 90_000, 30_000, () => 1, 1, 0);
    expect(count(db, 'stats_raw')).toBe(121); // the prune at T0 + 1 h 1 min dropped the first minute's two ticks
  });

  it('forgets what a failed record() cached, so a rolled-back series id never names two series', () => {
    const clock = new Clock();
    const db = openDb(':memory:');
    const h = new StatsHistory(db, { now: clock.now });
    db.exec('ALTER TABLE stats_ticks RENAME TO broken');
    expect(() => h.record('lb1', table(1, 0, 1))).toThrow();
    db.exec('ALTER TABLE broken RENAME TO stats_ticks');
    const other = table(1, 0, 2);
    other.services[0] = { ...(other.services[0] as Service), port: 81 };
    h.record('lb1', other); // takes the id the rolled-back tcp/…:80 had
    clock.t += 1000;
    h.record('lb1', table(1, 0, 3));
    expect(h.query('lb1', 'tcp/10.0.0.1:80', '5m')).toEqual([point(T0 + 1000, 3, 0)]);
    expect(h.query('lb1', 'tcp/10.0.0.1:81', '5m')).toEqual([point(T0, 2, 0)]);
  });

  it('survives a restart: ticks and complete minutes always, the current minute after flush()', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'stats-history-'));
    const file = path.join(dir, 'db.sqlite');
    const clock = new Clock();
    let db = openDb(file);
    let h = new StatsHistory(db, { now: clock.now, maxTickSeries: 1 });
    run(h, clock, T0 + 2 * MIN + 30_000, 10_000, (t) => Math.floor((t - T0) / MIN) + 1);
    const before = h.queryMany('lb1', ['tcp/10.0.0.1:80', 'tcp/10.0.0.1:80|10.0.1.1:80'], '1h');
    db.close();

    db = openDb(file);
    h = new StatsHistory(db, { now: clock.now, maxTickSeries: 1 });
    expect(h.query('lb1', 'tcp/10.0.0.1:80', '1h')).toEqual(before['tcp/10.0.0.1:80']);
    expect(h.query('lb1', 'tcp/10.0.0.1:80|10.0.1.1:80', '1h')).toEqual([point(T0, 1), point(T0 + MIN, 2)]);
    h.record('lb1', table(1, 2, 3));
    h.flush();
    db.close();

    db = openDb(file);
    h = new StatsHistory(db, { now: clock.now, maxTickSeries: 1 });
    expect(h.query('lb1', 'tcp/10.0.0.1:80|10.0.1.1:80', '1h')).toEqual([
      point(T0, 1),
      point(T0 + MIN, 2),
      point(T0 + 2 * MIN, 3),
    ]);
    expect(h.query('lb1', 'tcp/10.0.0.1:80', '1h')).toHaveLength(16);
    db.close();
  });
});
