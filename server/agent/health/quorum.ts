// Each service's quorum as the health monitor judges it after every plan: held or lost (with keepalived's
// hysteresis), each change journalled and logged, and the service's hook command run on lost and on regained.
import { execFile } from 'node:child_process';
import { quorumHeld, type HealthJournalEntry, type QuorumState, type ServiceHealthConfig } from '../../../lib/health';
import { serviceId } from '../../../lib/ipvs';
import type { Logger } from '../../log';

type Journal = (entry: Omit<HealthJournalEntry, 'seq' | 'at' | 'actor'>) => void;

export class QuorumWatch {
  private readonly states = new Map<string, QuorumState>();

  constructor(
    private readonly record: Journal,
    private readonly log: Pick<Logger, 'warn'>,
  ) {}

  /** Every service's quorum, by serviceId. */
  all(): { [service: string]: QuorumState } {
    return Object.fromEntries(this.states);
  }

  /** Whether the service's quorum was held when last judged (undefined: never judged). */
  held(service: string): boolean | undefined {
    return this.states.get(service)?.held;
  }

  /** Services no longer configured have no quorum. */
  /** The services whose sorry server answers for a lost quorum: their real servers are held out (none ramps). */
  swappedOut(services: readonly ServiceHealthConfig[]): Set<string> {
    const out = new Set<string>();
    for (const c of services) {
      const id = serviceId(c.service);
      if (c.sorryServer && c.quorum && this.held(id) === false) out.add(id);
    }
    return out;
  }

  keepOnly(configured: ReadonlySet<string>): void {
    for (const id of this.states.keys()) if (!configured.has(id)) this.states.delete(id);
  }

  judge(service: string, cfg: ServiceHealthConfig, healthyWeight: number): void {
    if (!cfg.quorum) {
      this.states.delete(service);
      return;
    }
    const { minWeight, hysteresis } = cfg.quorum;
    const before = this.states.get(service)?.held;
    const held = quorumHeld(cfg.quorum, healthyWeight, before);
    this.states.set(service, { held, healthyWeight, minWeight, hysteresis });
    if (before === undefined || before === held) return;
    const bound = hysteresis === 0 ? '' : held ? ` + hysteresis ${hysteresis}` : ` - hysteresis ${hysteresis}`;
    const reason = `healthy weight ${healthyWeight} ${held ? '>=' : '<'} quorum ${minWeight}${bound}`;
    this.record({ kind: 'quorum', service, from: before ? 'held' : 'lost', to: held ? 'held' : 'lost', reason });
    this.log.warn(
      { actor: 'health-check', service, held, healthyWeight },
      `${service} quorum ${held ? 'regained' : 'lost'}: ${reason}`,
    );
    const hook = held ? cfg.quorum.onRegained : cfg.quorum.onLost;
    if (hook) this.runHook(service, hook, held ? 'regained' : 'lost');
  }

  private runHook(service: string, argv: string[], what: string): void {
    const [file, ...args] = argv as [string, ...string[]];
    const started = performance.now();
    execFile(file, args, { timeout: 60_000, maxBuffer: 64 * 1024 }, (err, _out, stderr) => {
      const code = err ? ((err as { code?: unknown }).code ?? null) : 0;
      const result = {
        argv,
        ok: !err,
        exitCode: typeof code === 'number' ? code : null,
        stderr: String(stderr).slice(0, 2000),
        durationMs: Math.round(performance.now() - started),
      };
      this.record({ kind: 'hook', service, reason: `quorum ${what} hook`, result });
      if (err)
        this.log.warn({ actor: 'health-check', service, argv, err: err.message }, `quorum hook failed: ${err.message}`);
    });
  }
}
