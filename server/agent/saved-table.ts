// The last table set through this agent (edits and applies from the dashboard), kept in its state directory so that
// `lvs-agent restore-on-boot` can put it back after a reboot, and the record of that restore, handed to the
// dashboard once (agent:info) for its audit history.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { OpResult } from '../../lib/events';

export const RestoreRecord = z.object({
  at: z.number(),
  plan: z.array(z.array(z.string())),
  results: z.array(
    z.object({
      argv: z.array(z.string()),
      ok: z.boolean(),
      exitCode: z.number().nullable(),
      stderr: z.string(),
      durationMs: z.number(),
    }),
  ),
});
export type RestoreRecord = z.infer<typeof RestoreRecord> & { results: OpResult[] };

function writeAtomic(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  renameSync(`${file}.tmp`, file); // a crash leaves the old file or the new one, never half of one
}

export class SavedTable {
  constructor(private readonly dir: string) {}

  get rulesFile(): string {
    return join(this.dir, 'rules');
  }

  /** ipvsadm -S -n text of the table after a change made through the agent. */
  save(rules: string): void {
    writeAtomic(this.rulesFile, rules);
  }

  /** The saved rules, or null when nothing was ever set through this agent. */
  load(): string | null {
    try {
      return readFileSync(this.rulesFile, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }

  recordRestore(r: RestoreRecord): void {
    writeAtomic(join(this.dir, 'restored.json'), JSON.stringify(r) + '\n');
  }

  /** The last restore's record, removed as it is read: the dashboard audits it once. */
  takeRestore(): RestoreRecord | null {
    const file = join(this.dir, 'restored.json');
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return null;
    }
    rmSync(file, { force: true });
    const parsed = RestoreRecord.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  }
}
