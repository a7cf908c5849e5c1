// The dashboard's /metrics of many directors, built per director tick: each director's series are rendered once per
// table it sends (prom-client, exactly as the full build writes them) and kept as one chunk per metric; a scrape
// joins the chunks under each metric's HELP/TYPE. At 10,000 real servers a full build costs seconds, while the table
// changes at most once a tick: scrapes within a tick, and the directors that did not tick, cost nothing to build.
import { createMetricsExporter } from './exporter';
import type { DirectorMetrics } from './definitions';

/** One director at scrape time. */
export interface DirectorReading {
  metrics: DirectorMetrics;
  /** Changes identity whenever the director's table does (the hub's current TableState: a new object every tick). */
  table: object | null;
}

export interface CachedMetricsExporter {
  readonly contentType: string;
  render(): Promise<string>;
  /** How many director expositions were built since the start (each is a full prom-client render of one director). */
  readonly builds: number;
}

interface Entry {
  table: object | null;
  up: boolean | undefined;
  stale: boolean | undefined;
  /** The director's exposition alone (what a scrape answers when it is the only director). */
  text: Promise<string>;
  /** Per metric, in the registry's order: its sample lines, each preceded by a newline ('' without series); split
   * from `text` when first joined with other directors. */
  chunks?: Promise<string[]>;
}

/** prom-client writes metrics as `# HELP`, `# TYPE` and one line per series, joined by '\n', the metrics by '\n\n'. */
function splitMetrics(text: string): string[] {
  return text.slice(0, -1).split('\n\n');
}

function samplesOf(block: string): string {
  const afterHelp = block.indexOf('\n');
  const afterType = block.indexOf('\n', afterHelp + 1);
  return afterType < 0 ? '' : block.slice(afterType);
}

function headerOf(block: string): string {
  const afterHelp = block.indexOf('\n');
  const afterType = block.indexOf('\n', afterHelp + 1);
  return afterType < 0 ? block : block.slice(0, afterType);
}

export function createCachedMetricsExporter(read: () => readonly DirectorReading[]): CachedMetricsExporter {
  let building: DirectorMetrics[] = [];
  // render() takes its view synchronously, so one exporter serves every director's build in turn
  const one = createMetricsExporter(() => building, { directorLabel: true });
  const render = (d: DirectorMetrics[]): Promise<string> => {
    building = d;
    const text = one.render();
    building = [];
    return text;
  };
  const headers = render([]).then((text) => splitMetrics(text).map(headerOf));
  const cache = new Map<string, Entry>();
  let builds = 0;
  let last: { entries: Entry[]; text: Promise<string> } | undefined;

  function entryFor(r: DirectorReading): Entry {
    const { director, up, stale } = r.metrics;
    const kept = cache.get(director);
    if (kept && kept.table === r.table && kept.up === up && kept.stale === stale) return kept;
    builds++;
    const text = render([r.metrics]);
    const entry: Entry = { table: r.table, up, stale, text };
    cache.set(director, entry);
    // a failed build is not kept: the next scrape tries again
    text.catch(() => {
      if (cache.get(director) === entry) cache.delete(director);
      last = undefined;
    });
    return entry;
  }

  async function assemble(entries: readonly Entry[]): Promise<string> {
    if (entries.length === 1 && entries[0]) return entries[0].text;
    const chunksOf = (e: Entry) => (e.chunks ??= e.text.then((text) => splitMetrics(text).map(samplesOf)));
    const [heads, ...perDirector] = await Promise.all([headers, ...entries.map(chunksOf)]);
    return `${heads.map((h, i) => h + perDirector.map((chunks) => chunks[i] ?? '').join('')).join('\n\n')}\n`;
  }

  return {
    contentType: one.contentType,
    get builds() {
      return builds;
    },
    render() {
      const readings = read();
      const entries = readings.map(entryFor);
      const names = new Set(readings.map((r) => r.metrics.director));
      for (const name of cache.keys()) if (!names.has(name)) cache.delete(name);
      const same = last?.entries.length === entries.length && entries.every((e, i) => e === last?.entries[i]);
      if (!last || !same) last = { entries, text: assemble(entries) };
      return last.text;
    },
  };
}
