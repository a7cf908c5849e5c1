// What we export: node_exporter's IPVS metrics (same names, help and labels) and, under lvs_, what it lacks.
import type { Destination, Rate, Service, Stats } from '../ipvs';

/** One director as the exporter reads it at scrape time. */
export interface DirectorMetrics {
  /** The `director` label's value (used when the exporter labels directors: the dashboard's /metrics). */
  director: string;
  /** The last table read; absent while none has been read. */
  services?: readonly Service[];
  /** /proc/net/ip_vs_stats: the kernel's totals since ip_vs loaded ... */
  stats?: Stats;
  /** ... and its rates. */
  rate?: Rate;
  /** Its table is being read: the agent's last tick read it, or the dashboard's link to it is live or stale. */
  up?: boolean;
  /** No fresh table for longer than the agent's tick allows. */
  stale?: boolean;
  /** How long the agent's last tick took to read the table. */
  tickSeconds?: number;
  // Health-check state (issue #16) joins here with its feature: a field, and a BACKEND_METRICS entry that reads it.
  // Drift belongs to a pair, not a director: lvs_pair_drift (pair-drift.ts).
}

export type MetricType = 'counter' | 'gauge';
export interface MetricDef<T> {
  name: string;
  help: string;
  type: MetricType;
  value: (x: T) => number | undefined;
}

const STAT_PARTS = [
  ['conns', 'connections_total', 'Connections scheduled'],
  ['inPkts', 'incoming_packets_total', 'Incoming packets'],
  ['outPkts', 'outgoing_packets_total', 'Outgoing packets'],
  ['inBytes', 'incoming_bytes_total', 'Incoming bytes'],
  ['outBytes', 'outgoing_bytes_total', 'Outgoing bytes'],
] as const satisfies readonly (readonly [keyof Stats, string, string])[];
const RATE_PARTS = [
  ['cps', 'connections_per_second', 'New connections per second'],
  ['inPps', 'incoming_packets_per_second', 'Incoming packets per second'],
  ['outPps', 'outgoing_packets_per_second', 'Outgoing packets per second'],
  ['inBps', 'incoming_bytes_per_second', 'Incoming bytes per second'],
  ['outBps', 'outgoing_bytes_per_second', 'Outgoing bytes per second'],
] as const satisfies readonly (readonly [keyof Rate, string, string])[];

type WithCounters = Pick<Service | Destination, 'stats' | 'rate'>;
function countersOf<T extends WithCounters>(prefix: string, of: string): MetricDef<T>[] {
  return [
    ...STAT_PARTS.map(([k, suffix, what]) => ({
      name: `${prefix}_${suffix}`,
      help: `${what} ${of} (the kernel's counter).`,
      type: 'counter' as const,
      value: (x: T) => x.stats?.[k],
    })),
    ...RATE_PARTS.map(([k, suffix, what]) => ({
      name: `${prefix}_${suffix}`,
      help: `${what} ${of} (the kernel's rate estimate).`,
      type: 'gauge' as const,
      value: (x: T) => x.rate?.[k],
    })),
  ];
}

/** node_exporter's totals, word for word (help included), then our director-wide ones. */
const NODE_TOTALS = [
  ['conns', 'connections_total', 'The total number of connections made.'],
  ['inPkts', 'incoming_packets_total', 'The total number of incoming packets.'],
  ['outPkts', 'outgoing_packets_total', 'The total number of outgoing packets.'],
  ['inBytes', 'incoming_bytes_total', 'The total amount of incoming data.'],
  ['outBytes', 'outgoing_bytes_total', 'The total amount of outgoing data.'],
] as const satisfies readonly (readonly [keyof Stats, string, string])[];

export const DIRECTOR_METRICS: MetricDef<DirectorMetrics>[] = [
  ...NODE_TOTALS.map(([k, suffix, help]) => ({
    name: `node_ipvs_${suffix}`,
    help,
    type: 'counter' as const,
    value: (d: DirectorMetrics) => d.stats?.[k],
  })),
  ...RATE_PARTS.map(([k, suffix, what]) => ({
    name: `lvs_director_${suffix}`,
    help: `${what} through the director (the kernel's rate estimate).`,
    type: 'gauge' as const,
    value: (d: DirectorMetrics) => d.rate?.[k],
  })),
  {
    name: 'lvs_director_up',
    help: "1 when the director's IPVS table is being read, 0 when it cannot be.",
    type: 'gauge',
    value: (d) => (d.up === undefined ? undefined : Number(d.up)),
  },
  {
    name: 'lvs_director_stale',
    help: '1 when the last table read is older than the agent tick allows.',
    type: 'gauge',
    value: (d) => (d.stale === undefined ? undefined : Number(d.stale)),
  },
  {
    name: 'lvs_agent_tick_duration_seconds',
    help: "How long the agent's last tick took to read the IPVS table.",
    type: 'gauge',
    value: (d) => d.tickSeconds,
  },
];

export const SERVICE_METRICS: MetricDef<Service>[] = countersOf<Service>('lvs_service', 'for the virtual service');

export const BACKEND_METRICS: MetricDef<Destination>[] = [
  ...countersOf<Destination>('lvs_backend', 'for the real server of the service'),
  {
    name: 'lvs_backend_weight',
    help: 'The real server weight (SCTP services included).',
    type: 'gauge',
    value: (d) => d.weight,
  },
  {
    name: 'lvs_backend_connections_active',
    help: 'Active connections to the real server (SCTP services included).',
    type: 'gauge',
    value: (d) => d.activeConns,
  },
  {
    name: 'lvs_backend_connections_inactive',
    help: 'Inactive connections to the real server (SCTP services included).',
    type: 'gauge',
    value: (d) => d.inactiveConns,
  },
];

/** node_exporter's per-real-server gauges, summed over real servers with the same labels as it does. */
export const NODE_BACKEND_METRICS = [
  {
    name: 'node_ipvs_backend_connections_active',
    help: 'The current active connections by local and remote address.',
    field: 'activeConns',
  },
  {
    name: 'node_ipvs_backend_connections_inactive',
    help: 'The current inactive connections by local and remote address.',
    field: 'inactiveConns',
  },
  {
    name: 'node_ipvs_backend_weight',
    help: 'The current backend weight by local and remote address.',
    field: 'weight',
  },
] as const satisfies readonly { name: string; help: string; field: keyof Destination }[];
