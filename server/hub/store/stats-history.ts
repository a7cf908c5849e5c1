// Persistent rate history for the charts: per director, one series per service and per real server.
//
// Resolutions: raw ticks kept 1 h, 1-minute rollups 2 d, 1-hour rollups 30 d (1,000 services x 10 real servers: about
// 1.4 GB of minutes and 0.4 GB of hours; 7 days of minutes would be 5 GB). Rollups hold sums and a tick count, so
// an average is exact and a rollup can be merged into (written incrementally: the current minute is summed in memory
// and written when it completes, and each written minute is added to its hour's row).
//
// Size: a director may have 1,000 services with 10 real servers each. Only the first `maxTickSeries` series of a
// director (services first, then real servers, in table order) get raw ticks; the others are recorded at 1-minute
// resolution only, and their 5m/1h charts show minutes. Tables are keyed time first (t, series): every write appends
// at the end of the B-tree and a prune deletes from its start, instead of dirtying one page per series per tick.
// Reads walk the known timestamps (ticks, minute or hour starts) and look each row up by key.
import { destinationId, serviceId, serviceKey, type Rate, type TableState } from '../../../lib/ipvs';
import { StatsRange, type StatsPoint } from '../../../lib/stats';
import type { Db } from './db';

export { StatsRange, type StatsPoint };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const RETENTION = { raw: HOUR, minute: 2 * DAY, hour: 30 * DAY } as const;
export const DEFAULT_MAX_TICK_SERIES = 2_000;
const MAX_POINTS = 2_000;
/** What each range reads: raw ticks (minutes where a series has none), minutes, or hours. At most MAX_POINTS a series. */
const RANGES: Record<StatsRange, { span: number; read: 'raw' | 'minute' | 'hour'; bucket?: number }> = {
  '5m': { span: 5 * MINUTE, read: 'raw' },
  '1h': { span: HOUR, read: 'raw' },
  '24h': { span: DAY, read: 'minute' },
  '7d': { span: 7 * DAY, read: 'hour' },
  '30d': { span: 30 * DAY, read: 'hour' },
};

const VALUES = ['cps', 'in_pps', 'out_pps', 'in_bps', 'out_bps', 'active', 'inactive'] as const;
const COLS = VALUES.join(', ');

/** [n, cps, inPps, outPps, inBps, outBps, active, inactive]: a tick count and the sums of the values. */
type Sums = Float64Array;
/** A series' id and when its last_seen was last written; a service's also holds its real servers' by address and
 * port, so a tick finds known series without building their names (hashing 11,000 new strings a tick is slow). */
interface Series {
  id: number;
  seen: number;
  dests?: Map<string, Map<number, Series>>;
}
interface Director {
  name: string;
  services: Map<string, Series>;
  /** The minute being summed (its start), and the sums by series id. */
  minute: number;
  sums: Map<number, Sums>;
}
interface Row {
  t: number;
  n?: number;
  cps: number;
  in_pps: number;
  out_pps: number;
  in_bps: number;
  out_bps: number;
  active: number;
  inactive: number;
}

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;
const ceilTo = (t: number, step: number) => Math.ceil(t / step) * step;

export class StatsHistory {
  private readonly now: () => number;
  private readonly maxTickSeries: number;
  private readonly directors = new Map<string, Director>();
  private lastPrune = -Infinity;
  private readonly q;

  constructor(
    private readonly db: Db,
    opts: { now?: () => number; maxTickSeries?: number } = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.maxTickSeries = opts.maxTickSeries ?? DEFAULT_MAX_TICK_SERIES;
    const params = VALUES.map(() => '?').join(', ');
    const merge = ['n', ...VALUES].map((c) => `${c} = ${c} + excluded.${c}`).join(', ');
    const rollupSelect = (table: string) =>
      `SELECT x.t, x.n, ${VALUES.map((v) => `x.${v}`).join(', ')} FROM ${table} x`;
    this.q = {
      seriesId: db.prepare<[string, string], { id: number }>(
        'SELECT id FROM stats_series WHERE director = ? AND name = ?',
      ),
      addSeries: db.prepare<[string, string, number], { id: number }>(
        'INSERT INTO stats_series (director, name, last_seen) VALUES (?, ?, ?) RETURNING id',
      ),
      seen: db.prepare<[number, number]>('UPDATE stats_series SET last_seen = ? WHERE id = ?'),
      tick: db.prepare<[string, number]>('INSERT OR REPLACE INTO stats_ticks (director, t) VALUES (?, ?)'),
      raw: db.prepare<number[]>(`INSERT OR REPLACE INTO stats_raw (t, series, ${COLS}) VALUES (?, ?, ${params})`),
      minute: db.prepare<number[]>(
        `INSERT INTO stats_minute (t, series, n, ${COLS}) VALUES (?, ?, ?, ${params}) ON CONFLICT (t, series) DO UPDATE SET ${merge}`,
      ),
      hour: db.prepare<number[]>(
        `INSERT INTO stats_hour (t, series, n, ${COLS}) VALUES (?, ?, ?, ${params}) ON CONFLICT (t, series) DO UPDATE SET ${merge}`,
      ),
      pruneRaw: db.prepare<[number]>('DELETE FROM stats_raw WHERE t < ?'),
      pruneTicks: db.prepare<[number]>('DELETE FROM stats_ticks WHERE t < ?'),
      pruneMinutes: db.prepare<[number]>('DELETE FROM stats_minute WHERE t < ?'),
      pruneHours: db.prepare<[number]>('DELETE FROM stats_hour WHERE t < ?'),
      pruneSeries: db.prepare<[number]>('DELETE FROM stats_series WHERE last_seen < ?'),
      // CROSS JOIN keeps the timestamps as the outer loop: one key lookup per timestamp
      readRaw: db.prepare<{ director: string; series: number; from: number }, Row>(
        `SELECT k.t, ${VALUES.map((v) => `r.${v}`).join(', ')} FROM stats_ticks k CROSS JOIN stats_raw r ON r.t = k.t AND r.series = @series
         WHERE k.director = @director AND k.t >= @from ORDER BY k.t`,
      ),
      readMinutes: db.prepare<{ series: number; from: number; to: number }, Row>(
        `WITH RECURSIVE ts(t) AS (SELECT @from UNION ALL SELECT t + ${MINUTE} FROM ts WHERE t + ${MINUTE} <= @to)
         ${rollupSelect('ts CROSS JOIN stats_minute')} ON x.t = ts.t AND x.series = @series ORDER BY ts.t`,
      ),
      readHours: db.prepare<{ series: number; from: number; to: number }, Row>(
        `WITH RECURSIVE ts(t) AS (SELECT @from UNION ALL SELECT t + ${HOUR} FROM ts WHERE t + ${HOUR} <= @to)
         ${rollupSelect('ts CROSS JOIN stats_hour')} ON x.t = ts.t AND x.series = @series ORDER BY ts.t`,
      ),
    };
  }

  /** Called once per agent tick with the director's current table. Records one point per service (series =
   * serviceId(serviceKey(svc))) and per real server (series = `${serviceId}|${destinationId(d)}`); a service's
   * connection counts are the sums of its real servers'. Missing rates count as 0. */
  record(director: string, state: TableState): void {
    const now = this.now();
    const d = this.director(director);
    const minute = floorTo(now, MINUTE);
    let ticked = 0;
    const put = (id: number, v: readonly number[]) => {
      if (ticked++ < this.maxTickSeries) this.q.raw.run(now, id, ...v);
      let s = d.sums.get(id);
      if (!s) d.sums.set(id, (s = new Float64Array(8)));
      s[0] = (s[0] ?? 0) + 1;
      for (let k = 0; k < 7; k++) s[k + 1] = (s[k + 1] ?? 0) + (v[k] ?? 0);
    };
    const write = this.db.transaction(() => {
      if (minute !== d.minute) this.writeMinute(d, now);
      d.minute = minute;
      const known: Series[] = [];
      for (const svc of state.services) {
        const sid = serviceId(serviceKey(svc));
        const series = this.resolve(d, d.services, sid, () => sid, now);
        known.push(series);
        let active = 0;
        let inactive = 0;
        for (const dest of svc.destinations) {
          active += dest.activeConns;
          inactive += dest.inactiveConns;
        }
        put(series.id, [...rates(svc.rate), active, inactive]);
      }
      state.services.forEach((svc, i) => {
        const parent = known[i] as Series;
        const byAddress = (parent.dests ??= new Map());
        for (const dest of svc.destinations) {
          let byPort = byAddress.get(dest.address);
          if (!byPort) byAddress.set(dest.address, (byPort = new Map()));
          const name = () => `${serviceId(serviceKey(svc))}|${destinationId(dest)}`;
          put(this.resolve(d, byPort, dest.port, name, now).id, [
            ...rates(dest.rate),
            dest.activeConns,
            dest.inactiveConns,
          ]);
        }
      });
      this.q.tick.run(director, now);
    });
    try {
      write();
    } catch (e) {
      // rolled back: cached ids of series created in it would be handed out again, and the sums are half added
      d.services.clear();
      d.sums = new Map();
      throw e;
    }
    if (now - this.lastPrune >= MINUTE) this.prune();
  }

  /** Ascending t. A series never recorded, or unknown, is empty. */
  query(director: string, series: string, range: StatsRange): StatsPoint[] {
    return this.queryMany(director, [series], range)[series] ?? [];
  }

  /** Several series at once for one service page: the service and all its real servers. */
  queryMany(director: string, series: string[], range: StatsRange): Record<string, StatsPoint[]> {
    const spec = RANGES[StatsRange.parse(range)];
    const now = this.now();
    const from = now - spec.span;
    const d = this.directors.get(director);
    const out: Record<string, StatsPoint[]> = {};
    this.db.transaction(() => {
      for (const name of series) {
        const id = this.q.seriesId.get(director, name)?.id;
        if (id === undefined) {
          out[name] = [];
          continue;
        }
        const current = d && d.minute >= from ? d.sums.get(id) : undefined;
        out[name] = this.read(director, id, spec, from, now, current && d ? { t: d.minute, sums: current } : undefined);
      }
    })();
    return out;
  }

  /** Writes the minutes still being summed (a partial minute is merged with the rest of it later). Call it before
   * closing the database, or the current minute of 1-minute data is lost. */
  flush(): void {
    const now = this.now();
    this.db.transaction(() => {
      for (const d of this.directors.values()) this.writeMinute(d, now);
    })();
  }

  /** Drops expired rows, and series not seen for the longest retention; writes the minute of a director that stopped
   * ticking. Called by record() at most once a minute. */
  prune(): void {
    const now = this.now();
    this.lastPrune = now;
    const currentMinute = floorTo(now, MINUTE);
    this.db.transaction(() => {
      for (const d of this.directors.values()) if (d.minute < currentMinute) this.writeMinute(d, now);
      this.q.pruneRaw.run(now - RETENTION.raw);
      this.q.pruneTicks.run(now - RETENTION.raw);
      this.q.pruneMinutes.run(floorTo(now - RETENTION.minute, MINUTE));
      this.q.pruneHours.run(floorTo(now - RETENTION.hour, HOUR));
      const gone = this.q.pruneSeries.run(now - RETENTION.hour);
      if (gone.changes) for (const d of this.directors.values()) d.services.clear();
    })();
  }

  private director(name: string): Director {
    let d = this.directors.get(name);
    if (!d) this.directors.set(name, (d = { name, services: new Map(), minute: -Infinity, sums: new Map() }));
    return d;
  }

  /** The series under `key` in `map`, created (or its last_seen refreshed, hourly) as needed. */
  private resolve<K>(d: Director, map: Map<K, Series>, key: K, name: () => string, now: number): Series {
    const known = map.get(key);
    if (known && now - known.seen < HOUR) return known;
    let id = known?.id ?? this.q.seriesId.get(d.name, name())?.id;
    if (id === undefined) id = (this.q.addSeries.get(d.name, name(), now) as { id: number }).id;
    else this.q.seen.run(now, id);
    if (known) known.seen = now;
    else map.set(key, { id, seen: now });
    return map.get(key) as Series;
  }

  /** Writes the summed minute into its minute row and its hour row, and starts a new sum. */
  private writeMinute(d: Director, now: number): void {
    if (!d.sums.size) return;
    const hour = floorTo(d.minute, HOUR);
    for (const [series, s] of d.sums) {
      const v = Array.from(s);
      this.q.minute.run(d.minute, series, ...v);
      this.q.hour.run(hour, series, ...v);
    }
    d.sums = new Map();
    d.minute = floorTo(now, MINUTE);
  }

  /** `current`: the minute still summed in memory, counted into its minute (or hour) as if written. */
  private read(
    director: string,
    series: number,
    spec: (typeof RANGES)[StatsRange],
    from: number,
    now: number,
    current?: { t: number; sums: Sums },
  ): StatsPoint[] {
    const c = current && { t: current.t, n: current.sums[0] ?? 0, ...row(Array.from(current.sums.subarray(1))) };
    if (spec.read === 'hour') {
      const hours = this.q.readHours.all({ series, from: ceilTo(from, HOUR), to: now });
      if (c) addLast(hours, { ...c, t: floorTo(c.t, HOUR) });
      return hours.map(average);
    }
    const minutes = this.q.readMinutes.all({ series, from: ceilTo(from, MINUTE), to: now });
    if (c) addLast(minutes, c);
    if (spec.read === 'minute') return spec.bucket ? buckets(minutes, spec.bucket) : minutes.map(average);
    const raw = this.q.readRaw.all({ director, series, from });
    // minutes fill in where there are no ticks: series beyond maxTickSeries, or before it had them
    const covered = new Set(raw.map((r) => floorTo(r.t, MINUTE)));
    // more ticks than MAX_POINTS (an hour of 1-s ticks) are averaged in buckets of whole seconds
    const ticks = raw.length > MAX_POINTS ? buckets(raw, ceilTo(spec.span / MAX_POINTS, 1000)) : raw.map(average);
    return [...ticks, ...minutes.filter((m) => !covered.has(m.t)).map(average)].sort((a, b) => a.t - b.t);
  }
}

const rates = (r: Rate | undefined) => [r?.cps ?? 0, r?.inPps ?? 0, r?.outPps ?? 0, r?.inBps ?? 0, r?.outBps ?? 0];

function row(v: readonly number[]) {
  const [cps = 0, in_pps = 0, out_pps = 0, in_bps = 0, out_bps = 0, active = 0, inactive = 0] = v;
  return { cps, in_pps, out_pps, in_bps, out_bps, active, inactive };
}

function average(r: Row): StatsPoint {
  const n = r.n ?? 1;
  return {
    t: r.t,
    cps: r.cps / n,
    inPps: r.in_pps / n,
    outPps: r.out_pps / n,
    inBps: r.in_bps / n,
    outBps: r.out_bps / n,
    activeConns: r.active / n,
    inactiveConns: r.inactive / n,
  };
}

function add(into: Row, r: Row): void {
  // a raw row is one tick
  into.n = (into.n ?? 1) + (r.n ?? 1);
  for (const k of VALUES) into[k] += r[k];
}

/** `r` merged into the last of the ascending `rows` when it has the same t, else appended. */
function addLast(rows: Row[], r: Row): void {
  const last = rows.at(-1);
  if (last?.t === r.t) add(last, r);
  else rows.push(r);
}

/** Rows (ticks or minutes) summed into buckets of `size` ms (sums and counts add), then averaged. */
function buckets(rows: Row[], size: number): StatsPoint[] {
  const out = new Map<number, Row>();
  for (const r of rows) {
    const t = floorTo(r.t, size);
    const b = out.get(t);
    if (b) add(b, r);
    else out.set(t, { ...r, t, n: r.n ?? 1 });
  }
  return [...out.values()].map(average);
}
