// One kernel operation at a time: edits, applies and table reads queue here, each with a time limit, so a read never
// sees half an edit and two edits never interleave. Two lanes: a waiting change (an edit, an apply, a health-check
// edit) runs before any waiting table read, so an edit made during a long read waits for that read only, never for
// the reads queued after it.
import { ApiError } from '../../lib/errors';

export type Lane = 'change' | 'read';

export class SerialQueue {
  private readonly waiting: Record<Lane, (() => void)[]> = { change: [], read: [] };
  private busy = false;

  run<T>(job: () => Promise<T>, timeoutMs: number, lane: Lane = 'change'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting[lane].push(() => {
        // the next job starts when this one ends, whether it failed or not (or ran out of time)
        withTimeout(Promise.resolve().then(job), timeoutMs)
          .then(resolve, reject)
          .finally(() => this.next());
      });
      if (!this.busy) this.next();
    });
  }

  private next(): void {
    const start = this.waiting.change.shift() ?? this.waiting.read.shift();
    this.busy = start !== undefined;
    start?.();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError('timeout', `timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}
