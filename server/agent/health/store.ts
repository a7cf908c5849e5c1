// The agent's health-check files in its state directory: the checks configuration (health.json), the weights it keeps
// per managed real server (health-weights.json: survives restarts; a quiesce never loses one) and a bounded journal
// of its transitions and edits (health-journal.jsonl) for the dashboard's audit.
import { appendFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { HealthConfig, parseHealthConfig, type HealthJournalEntry, type KeptWeight } from '../../../lib/health';
import { ApiError } from '../../../lib/errors';
import { DestinationConfig } from '../../../lib/ipvs';

function writeAtomic(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  renameSync(`${file}.tmp`, file); // a crash leaves the old file or the new one, never half of one
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

const KeptFile = z.object({
  weights: z.record(
    z.string(),
    z.record(z.string(), z.object({ config: DestinationConfig, applied: z.number().int().min(0).nullable() })),
  ),
});

/** Kept weights: service id -> destination id -> kept weight. */
export type KeptWeights = Map<string, Map<string, KeptWeight>>;

/** Journal entries kept in memory and on disk (the file is rewritten down to this many when it doubles). */
export const JOURNAL_KEEP = 1000;

export class HealthStore {
  private journalLines = 0;

  constructor(private readonly dir: string) {}

  get configFile(): string {
    return join(this.dir, 'health.json');
  }
  private get weightsFile(): string {
    return join(this.dir, 'health-weights.json');
  }
  private get journalFile(): string {
    return join(this.dir, 'health-journal.jsonl');
  }

  /** The checks configuration: none when there is no file; a bad file is an error naming the field. */
  loadConfig(): { config: HealthConfig; error: string | null } {
    const empty = { services: [] };
    let text: string | null;
    try {
      text = readText(this.configFile);
    } catch (e) {
      return { config: empty, error: `${this.configFile}: ${(e as Error).message}` };
    }
    if (text === null) return { config: empty, error: null };
    try {
      return { config: parseHealthConfig(JSON.parse(text)), error: null };
    } catch (e) {
      const why = e instanceof ApiError ? e.message : `not JSON: ${(e as Error).message}`;
      return { config: empty, error: `${this.configFile}: ${why}` };
    }
  }

  saveConfig(config: HealthConfig): void {
    writeAtomic(this.configFile, JSON.stringify(config, null, 2) + '\n');
  }

  /** The kept weights; an unreadable file keeps nothing (the kernel's weights are taken as configured again). */
  loadWeights(): { weights: KeptWeights; error: string | null } {
    const weights: KeptWeights = new Map();
    let text: string | null;
    try {
      text = readText(this.weightsFile);
    } catch (e) {
      return { weights, error: (e as Error).message };
    }
    if (text === null) return { weights, error: null };
    let parsed;
    try {
      parsed = KeptFile.safeParse(JSON.parse(text));
    } catch (e) {
      return { weights, error: `${this.weightsFile}: not JSON: ${(e as Error).message}` };
    }
    if (!parsed.success) return { weights, error: `${this.weightsFile}: ${parsed.error.issues[0]?.message}` };
    for (const [svc, dests] of Object.entries(parsed.data.weights))
      weights.set(svc, new Map(Object.entries(dests) as [string, KeptWeight][]));
    return { weights, error: null };
  }

  saveWeights(weights: KeptWeights): void {
    const out: Record<string, Record<string, KeptWeight>> = {};
    for (const [svc, dests] of weights) if (dests.size) out[svc] = Object.fromEntries(dests);
    writeAtomic(this.weightsFile, JSON.stringify({ weights: out }) + '\n');
  }

  /** The last JOURNAL_KEEP entries on disk (a torn last line from a crash is skipped). */
  loadJournal(): HealthJournalEntry[] {
    const text = readText(this.journalFile) ?? '';
    const entries: HealthJournalEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        entries.push(JSON.parse(line) as HealthJournalEntry);
      } catch {
        /* a line cut short by a crash */
      }
    }
    this.journalLines = entries.length;
    return entries.slice(-JOURNAL_KEEP);
  }

  /** Append one entry; `recent` (the last JOURNAL_KEEP) replaces the file when it has grown to twice that. */
  appendJournal(entry: HealthJournalEntry, recent: readonly HealthJournalEntry[]): void {
    if (this.journalLines >= 2 * JOURNAL_KEEP) {
      writeAtomic(this.journalFile, recent.map((e) => JSON.stringify(e) + '\n').join(''));
      this.journalLines = recent.length;
      return;
    }
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    appendFileSync(this.journalFile, JSON.stringify(entry) + '\n', { mode: 0o600 });
    this.journalLines++;
  }
}
