// Directors: the list, live tables and their changes, connections, exports and the stats history.
import { z } from 'zod';
import { editRole } from '../../access';
import { DoctorReport } from '../../doctor/facts';
import { ConnectionQuery, EditRequest, KeptDrain, TableState } from '../../ipvs';
import { STATS_MAX_SERIES, StatsRange } from '../../stats';
import {
  ConnectionViewSchema,
  DirectorName,
  DirectorSummarySchema,
  EditOutcomeSchema,
  ExportFormat,
  FileDownload,
  StatsPointSchema,
} from '../contracts';
import { NoInput, NoOutput, operation } from '../operation';

const OnDirector = z.object({ director: DirectorName }).strict();
const Series = z.string().min(1).max(200);

export const directorOperations = {
  'directors:list': operation({
    tag: 'directors',
    summary: 'Every director with its status (live / stale / unreachable) and the time of its last update.',
    access: 'viewer',
    input: NoInput,
    output: z.object({ directors: z.array(DirectorSummarySchema) }),
    rest: { method: 'GET', path: '/api/v1/directors' },
    socket: true,
  }),
  'director:table': operation({
    tag: 'directors',
    summary:
      "A director's live table: services, real servers, counters, rates, timeouts, sync daemons; `simulated: true` for a simulated director.",
    access: 'viewer',
    input: OnDirector,
    output: TableState,
    rest: { method: 'GET', path: '/api/v1/directors/{director}/table' },
  }),
  'director:subscribe': operation({
    tag: 'directors',
    summary: 'Join a director: the answer is its table, then director:delta events follow.',
    access: 'viewer',
    input: OnDirector,
    output: TableState,
    socket: true,
  }),
  'director:unsubscribe': operation({
    tag: 'directors',
    summary: "Leave a director's updates.",
    access: 'viewer',
    input: OnDirector,
    output: NoOutput,
    socket: true,
  }),
  'service:update': operation({
    tag: 'directors',
    summary:
      'One change (services, real servers, weights, drain, zero; timeouts and sync daemons need admin), audited and broadcast as service:updated.',
    access: 'operator',
    raise: (input) => editRole(input.request.edit),
    input: z.object({ director: DirectorName, request: EditRequest }).strict(),
    output: EditOutcomeSchema,
    rest: { method: 'POST', path: '/api/v1/directors/{director}/edits', bodyField: 'request' },
    socket: true,
  }),
  'director:info': operation({
    tag: 'directors',
    summary:
      'One director: its status, where its agent is and where it is configured (LVS_AGENTS or added in the UI), and what the agent says about itself.',
    access: 'viewer',
    input: OnDirector,
    output: z.object({
      director: DirectorSummarySchema,
      url: z.string(),
      source: z.enum(['registry', 'env']),
      agent: z
        .object({
          name: z.string(),
          backend: z.string(),
          /** Why the agent reads its table this way (netlink, or ipvsadm because the helper is missing). */
          backendReason: z.string().optional(),
          /** What runs its TCP health checks (the tcp-probe helper, or node:net because it is missing or failed). */
          tcpChecks: z.string().optional(),
          tickMs: z.number(),
          /** How long the agent's last tick took, and whether overrunning ticks stretched the cadence. */
          lastTickMs: z.number().nullable().optional(),
          stretched: z.boolean().optional(),
          protocol: z.number(),
          readError: z.string().nullable(),
        })
        .nullable(),
    }),
    rest: { method: 'GET', path: '/api/v1/directors/{director}/info' },
  }),
  'director:drained': operation({
    tag: 'directors',
    summary:
      "The weight each real server of a service at weight 0 had before it was drained (kept by the agent; else from the audit history): what 'Restore' puts back; and the drains the agent keeps (since when, remove when empty).",
    access: 'viewer',
    input: z.object({ director: DirectorName, service: z.string().min(1).max(200) }).strict(),
    output: z.object({ weights: z.record(z.string(), z.number()), drains: z.record(z.string(), KeptDrain) }),
    rest: { method: 'GET', path: '/api/v1/directors/{director}/drained' },
  }),
  'director:export': operation({
    tag: 'snapshots',
    summary:
      'The live table as a file: ipvsadm -S -n rules (restorable with ipvsadm -R), JSON (the model), or keepalived.conf virtual_server blocks.',
    access: 'viewer',
    input: z.object({ director: DirectorName, format: ExportFormat.default('save') }).strict(),
    output: FileDownload,
    rest: { method: 'GET', path: '/api/v1/directors/{director}/export' },
  }),
  'director:stats': operation({
    tag: 'stats',
    summary:
      'Rates and connection counts over time: ticks for 5m (averaged to at most 2,000 points for 1h), 1-minute averages for 24h, hourly for 7d and 30d. Kept across restarts.',
    access: 'viewer',
    input: z
      .object({
        director: DirectorName,
        /** `tcp/10.1.0.10:80` (a service) or `tcp/10.1.0.10:80|10.2.0.11:80` (one of its real servers); repeatable. */
        series: z
          .union([Series, z.array(Series).min(1).max(STATS_MAX_SERIES)])
          .transform((s) => (Array.isArray(s) ? s : [s])),
        range: StatsRange.default('1h'),
      })
      .strict(),
    output: z.object({ range: StatsRange, series: z.record(z.string(), z.array(StatsPointSchema)) }),
    rest: { method: 'GET', path: '/api/v1/directors/{director}/stats' },
  }),
  'director:doctor': operation({
    tag: 'directors',
    summary:
      "The director doctor (lvs-agent doctor), run by the director's agent now or its report of the last 5 s: each finding with its severity, why it matters, the command that fixes it and the services it is about.",
    access: 'viewer',
    input: OnDirector,
    output: DoctorReport,
    rest: { method: 'GET', path: '/api/v1/directors/{director}/doctor' },
    socket: true,
  }),
  'conns:watch': operation({
    tag: 'directors',
    summary: "Start (on) or stop reading a director's connection table for this connection.",
    access: 'viewer',
    input: z.object({ director: DirectorName, on: z.boolean() }).strict(),
    output: NoOutput,
    socket: true,
  }),
  'conns:query': operation({
    tag: 'directors',
    summary: "One page of a director's connection table, filtered and sorted (rate-limited per user).",
    access: 'viewer',
    input: z.object({ director: DirectorName, query: ConnectionQuery }).strict(),
    output: ConnectionViewSchema,
    socket: true,
  }),
};
