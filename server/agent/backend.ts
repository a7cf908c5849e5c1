// The seam between the agent and the kernel. IpvsadmBackend is the real one; MemoryBackend answers ipvsadm argv in
// memory (unit tests, the e2e memory director), and SimulatedDirector (simulator/) builds on it with the kernel's
// schedulers and a client load (the simulated director of `npm start` and `lvs-agent serve --simulated`).
import type { KeepalivedOwnership } from '../../lib/ipvs/table-state';
import type {
  ConnectionTable,
  IpvsInfo,
  Listing,
  ParseProblem,
  Service,
  ServiceKey,
  SyncDaemon,
  TableState,
  Timeouts,
} from '../../lib/ipvs';
import type { DoctorFacts } from '../../lib/doctor/facts';

export interface CommandResult {
  argv: string[];
  ok: boolean;
  exitCode: number | null;
  stdout: string;
  /** The kernel's (ipvsadm's) own error text when it failed. */
  stderr: string;
  durationMs: number;
  timedOut: boolean;
}

export type Readiness = { ok: true } | { ok: false; reason: string };

export interface Backend {
  readonly name: string;
  /** An in-memory director, not a kernel: its tables are labelled simulated everywhere. */
  readonly simulated?: boolean;
  /** Can this backend change the kernel here? Says why not in one line. */
  check(): Promise<Readiness>;
  /** The table with configuration (incl. tunnel info, thresholds); with counters: stats and rates. */
  readServices(opts: { counters: boolean }): Promise<Service[]>;
  /** One service with its real servers and counters, null when the kernel has no such service: the confirmation
   * read after an edit of it (absent: the agent reads the whole table). */
  readService?(key: ServiceKey): Promise<Service | null>;
  /** The IPVS version and connection hash table size the last readServices saw (null when it could not tell). */
  ipvsInfo?(): IpvsInfo | null;
  /** The lines the last readServices skipped because they did not read (none when absent). */
  problems?(): readonly ParseProblem[];
  /** Persistence-template counts per real server (ipvsadm -Ln --persistent-conn), merged into readServices' result;
   * absent when readServices already carries them (the netlink reader). */
  readPersistConns?(): Promise<Listing>;
  readTimeouts(): Promise<Timeouts>;
  /** /proc/net/ip_vs_stats (totals and rates of the whole director); a backend without a kernel has none. */
  readTotals?(): Promise<NonNullable<TableState['totals']>>;
  readDaemons(): Promise<SyncDaemon[]>;
  readConnections(): Promise<ConnectionTable>;
  /** `ipvsadm -S -n`: the table in restore format, as the kernel reports it. */
  readSave(): Promise<string>;
  /** Run one ipvsadm command (arguments only; validated by the caller's argv builder). */
  run(args: string[], timeoutMs?: number): Promise<CommandResult>;
  /** What `lvs-agent doctor` checks on this director (absent: this backend cannot tell). */
  doctorFacts?(): Promise<DoctorFacts>;
  /** Whether another program manages this table (keepalived): its next reload overwrites manual edits. */
  otherOwners(): Promise<string[]>;
  /** While keepalived runs: the services its configuration owns (absent: this backend cannot tell). */
  keepalivedOwnership?(): Promise<KeepalivedOwnership>;
}
