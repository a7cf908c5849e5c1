// The Prometheus exposition of one or more directors, built with prom-client: every metric's collect() fills it from
// the view taken when the scrape starts (reset, then one value per series), so the registry holds exactly the
// current series and nothing accumulates across scrapes.
import { Counter, Gauge, Registry } from 'prom-client';
import type { Destination, Service } from '../ipvs';
import {
  BACKEND_METRICS,
  DIRECTOR_METRICS,
  NODE_BACKEND_METRICS,
  SERVICE_METRICS,
  type DirectorMetrics,
  type MetricDef,
  type MetricType,
} from './definitions';
import {
  BACKEND_LABELS,
  NODE_BACKEND_LABELS,
  SERVICE_LABELS,
  backendLabels,
  nodeBackendLabels,
  nodeExporterReads,
  serviceLabels,
  type LabelValues,
} from './labels';

export interface MetricsExporter {
  readonly contentType: string;
  /** Reads the directors now and returns the exposition text. */
  render(): Promise<string>;
}

export interface ExporterOptions {
  /** Add a `director` label to every series (the dashboard's /metrics of all directors). */
  directorLabel: boolean;
}

interface NodeBackend {
  labels: LabelValues;
  activeConns: number;
  inactiveConns: number;
  weight: number;
}

/** One scrape's view: each director with its label sets computed once, shared by every metric. */
interface Row<T> {
  x: T;
  labels: LabelValues;
}
interface ScrapeView {
  directors: Row<DirectorMetrics>[];
  services: Row<Service>[];
  backends: Row<Destination>[];
  nodeBackends: NodeBackend[];
}

function takeView(directors: readonly DirectorMetrics[], directorLabel: boolean): ScrapeView {
  const view: ScrapeView = { directors: [], services: [], backends: [], nodeBackends: [] };
  for (const d of directors) {
    const base: LabelValues = directorLabel ? { director: d.director } : {};
    view.directors.push({ x: d, labels: base });
    // node_exporter sums the real servers that share a label set (the key is the joined label values)
    const summed = new Map<string, NodeBackend>();
    for (const s of d.services ?? []) {
      const sl = { ...base, ...serviceLabels(s) };
      view.services.push({ x: s, labels: sl });
      for (const dest of s.destinations) {
        const bl = backendLabels(sl, dest);
        view.backends.push({ x: dest, labels: bl });
        if (!nodeExporterReads(s)) continue;
        const nl = { ...base, ...nodeBackendLabels(bl) };
        const key = Object.values(nl).join('\0');
        const sum = summed.get(key) ?? { labels: nl, activeConns: 0, inactiveConns: 0, weight: 0 };
        sum.activeConns += dest.activeConns;
        sum.inactiveConns += dest.inactiveConns;
        sum.weight += dest.weight;
        summed.set(key, sum);
      }
    }
    view.nodeBackends.push(...summed.values());
  }
  return view;
}

type Series = Gauge | Counter;

/** Sets one series: a counter by incrementing from the reset 0 (prom-client counters have no set). */
function put(metric: Series, labels: LabelValues, value: number): void {
  if (metric instanceof Counter) metric.inc(labels, value);
  else metric.set(labels, value);
}

export function createMetricsExporter(read: () => readonly DirectorMetrics[], opts: ExporterOptions): MetricsExporter {
  const registry = new Registry();
  const extra = opts.directorLabel ? ['director'] : [];
  let view: ScrapeView = takeView([], opts.directorLabel);

  function define(
    def: { name: string; help: string; type: MetricType },
    labelNames: readonly string[],
    fill: (metric: Series) => void,
  ): void {
    const config = {
      name: def.name,
      help: def.help,
      labelNames: [...extra, ...labelNames],
      registers: [registry],
      collect(this: Series) {
        this.reset();
        // an unlabelled metric is reset to 0: a value we do not know must not read as 0
        if (labelNames.length + extra.length === 0) this.remove();
        fill(this);
      },
    };
    if (def.type === 'counter') new Counter(config);
    else new Gauge(config);
  }

  function fill<T>(metric: Series, def: MetricDef<T>, rows: readonly Row<T>[]): void {
    for (const row of rows) {
      const v = def.value(row.x);
      if (v !== undefined) put(metric, row.labels, v);
    }
  }

  for (const def of DIRECTOR_METRICS) define(def, [], (m) => fill(m, def, view.directors));
  for (const def of NODE_BACKEND_METRICS)
    define({ ...def, type: 'gauge' }, NODE_BACKEND_LABELS, (m) => {
      for (const b of view.nodeBackends) put(m, b.labels, b[def.field]);
    });
  for (const def of SERVICE_METRICS) define(def, SERVICE_LABELS, (m) => fill(m, def, view.services));
  for (const def of BACKEND_METRICS) define(def, BACKEND_LABELS, (m) => fill(m, def, view.backends));

  return {
    contentType: registry.contentType,
    async render() {
      // every collect() runs synchronously at the start of metrics(): overlapping scrapes each see their own view
      view = takeView(read(), opts.directorLabel);
      return registry.metrics();
    },
  };
}
