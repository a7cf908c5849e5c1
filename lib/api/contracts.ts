// What the browser and the dashboard server exchange, as zod schemas: the operations' inputs and outputs
// (lib/api/operations/) are built from these, and the browser's views import their types from here, never from server/.
import { z } from 'zod';
import {
  DIRECTOR_PROBLEMS,
  DIRECTOR_STATUSES,
  type ApplyOutcome,
  type ConnectionView,
  type DirectorSummary,
  type EditOutcome,
  type OpResult,
} from '../events';
import {
  ConnectionEntry,
  DestinationConfig,
  Edit,
  ServiceConfig,
  ServiceKeySchema,
  TableProblem,
  type TableDiff,
} from '../ipvs';
import type { HealthRow, QuorumState } from '../health';
import { RoleSchema } from '../roles';
import type { StatsPoint } from '../stats';

/** A director's name as every request names it (its LVS_AGENTS name). */
export const DirectorName = z.string().min(1).max(64);

export const SessionUser = z.object({ name: z.string(), role: RoleSchema });

export const UserView = z.object({
  name: z.string(),
  role: RoleSchema,
  createdAt: z.number(),
  passwordChangedAt: z.number(),
});
export type UserView = z.infer<typeof UserView>;

export const SessionView = z.object({
  id: z.string(),
  createdAt: z.number(),
  lastSeen: z.number(),
  address: z.string(),
  userAgent: z.string(),
  current: z.boolean(),
});
export type SessionView = z.infer<typeof SessionView>;

/** health-check: what a director's agent's health checks did (transitions, their edits, quorum, hooks); drain: a
 * drained real server the agent removed once empty, as asked ("remove when empty"). */
export const AUDIT_SOURCES = ['ui', 'api', 'restore', 'external', 'health-check', 'drain'] as const;
export type AuditSource = (typeof AUDIT_SOURCES)[number];
/** partial: an apply of which only some operations are in the live table (found after a restart). */
export const AUDIT_STATUSES = ['pending', 'ok', 'partial', 'error'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

export const AuditEntry = z.object({
  id: z.number().int(),
  time: z.number(),
  /** The person, or "external" / "health-check". */
  user: z.string(),
  source: z.enum(AUDIT_SOURCES),
  director: z.string(),
  operation: z.string(),
  /** What was changed: a service id, `service|real server`, `table`. */
  target: z.string(),
  before: z.unknown(),
  after: z.unknown(),
  /** Every ipvsadm invocation, program first. */
  argv: z.array(z.array(z.string())),
  status: z.enum(AUDIT_STATUSES),
  /** The kernel's error text (or why nothing ran), when status is error. */
  error: z.string().nullable(),
  finishedAt: z.number().nullable(),
  /** How a row left pending by a stopped dashboard was settled from the live table; null otherwise. */
  note: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z
  .object({
    director: DirectorName.optional(),
    /** Matches the target's service part: `tcp/10.1.0.10:80` finds the service and its real servers. */
    service: z.string().max(200).optional(),
    user: z.string().max(64).optional(),
    status: z.enum(AUDIT_STATUSES).optional(),
    from: z.coerce.number().int().min(0).optional(),
    to: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(200),
    /** Rows older than this id (paging backwards in time). */
    before: z.coerce.number().int().min(1).optional(),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

export const SNAPSHOT_KINDS = ['manual', 'auto'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];
export const SnapshotMeta = z.object({
  id: z.number().int(),
  name: z.string(),
  director: z.string(),
  kind: z.enum(SNAPSHOT_KINDS),
  createdAt: z.number(),
  createdBy: z.string(),
  services: z.number().int(),
  destinations: z.number().int(),
});
export type SnapshotMeta = z.infer<typeof SnapshotMeta>;
export const Snapshot = SnapshotMeta.extend({ rules: z.string() });
export type Snapshot = z.infer<typeof Snapshot>;

export const OpResultSchema: z.ZodType<OpResult> = z.object({
  argv: z.array(z.string()),
  ok: z.boolean(),
  exitCode: z.number().nullable(),
  stderr: z.string(),
  durationMs: z.number(),
});

export const EditOutcomeSchema: z.ZodType<EditOutcome> = z.object({
  edit: Edit,
  result: OpResultSchema,
  confirmed: z.boolean(),
  version: z.number(),
});

const ApplyOutcomeSchema = z.object({
  plan: z.array(z.array(z.string())),
  results: z.array(OpResultSchema),
  dryRun: z.boolean(),
  version: z.number(),
  after: z.string().optional(),
}) satisfies z.ZodType<ApplyOutcome>;

/** An import or restore: the agent's outcome, the automatic snapshot taken first (none when nothing changed) and
 * its audit row. */
export const ApplyResult = ApplyOutcomeSchema.extend({ snapshot: SnapshotMeta.nullable(), auditId: z.number() });
export type ApplyResult = z.infer<typeof ApplyResult>;

export const DirectorSummarySchema: z.ZodType<DirectorSummary> = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(DIRECTOR_STATUSES),
  lastUpdate: z.number().nullable(),
  problem: z.object({ kind: z.enum(DIRECTOR_PROBLEMS), message: z.string(), since: z.number() }).nullable(),
  problems: z.array(TableProblem).optional(),
  simulated: z.literal(true).optional(),
  reader: z.object({ backend: z.string(), reason: z.string().optional() }).optional(),
});

const FieldValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);
const FieldChange = z.object({ field: z.string(), before: FieldValue, after: FieldValue });
const ServiceSummary = z.object({ id: z.string(), service: ServiceConfig, destinations: z.array(DestinationConfig) });
export const TableDiffSchema: z.ZodType<TableDiff> = z.object({
  added: z.array(ServiceSummary),
  removed: z.array(ServiceSummary),
  changed: z.array(
    z.object({
      id: z.string(),
      key: ServiceKeySchema,
      fields: z.array(FieldChange),
      addedDestinations: z.array(DestinationConfig),
      removedDestinations: z.array(DestinationConfig),
      changedDestinations: z.array(z.object({ id: z.string(), fields: z.array(FieldChange) })),
    }),
  ),
  unchanged: z.number(),
  edits: z.array(Edit),
  plan: z.array(z.array(z.string())),
});

const Counts = z.record(z.string(), z.number());
export const ConnectionViewSchema: z.ZodType<ConnectionView> = z.object({
  total: z.number(),
  matched: z.number(),
  offset: z.number(),
  rows: z.array(ConnectionEntry),
  byState: Counts,
  byDest: Counts,
  readAt: z.number(),
  readMs: z.number(),
});

export const StatsPointSchema: z.ZodType<StatsPoint> = z.object({
  t: z.number(),
  cps: z.number(),
  inPps: z.number(),
  outPps: z.number(),
  inBps: z.number(),
  outBps: z.number(),
  activeConns: z.number(),
  inactiveConns: z.number(),
});

/** An export or download: sent over REST as an attachment with this name. */
export const FileDownload = z.object({ filename: z.string(), contentType: z.string(), text: z.string() });
export type FileDownload = z.infer<typeof FileDownload>;

/** Rules (lines of ipvsadm -S -n, or services + real servers of a JSON export) one import may hold. */
export const MAX_IMPORT_RULES = 50_000;
/** Largest import request body: MAX_IMPORT_RULES rules as a JSON export, quoted in the request's JSON. */
export const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

export const EXPORT_FORMATS = ['save', 'json', 'keepalived'] as const;
export const ExportFormat = z.enum(EXPORT_FORMATS);
export type ExportFormat = z.infer<typeof ExportFormat>;

/** One checked real server's health, as the agent reports it (lib/health/view.ts). */
export const HealthRowSchema: z.ZodType<HealthRow> = z.object({
  service: z.string(),
  destination: z.string(),
  status: z.enum(['up', 'down', 'unknown']),
  lastCheckAt: z.number().nullable(),
  latencyMs: z.number().nullable(),
  lastError: z.string().nullable(),
  stuck: z.boolean(),
  since: z.number(),
  intervalMs: z.number(),
  configuredWeight: z.number().nullable(),
  kernelWeight: z.number().nullable(),
  rampWeight: z.number().optional(),
  rampTarget: z.number().optional(),
});

/** A service's quorum as the agent judges it (lib/health/view.ts). */
export const QuorumStateSchema: z.ZodType<QuorumState> = z.object({
  held: z.boolean(),
  healthyWeight: z.number(),
  minWeight: z.number(),
  hysteresis: z.number(),
});
