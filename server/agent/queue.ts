// The agent's kernel work, each job with a time limit. Changes (edits, applies, health-check and drain edits) run one
// at a time, in order, so two changes never interleave; table reads run one at a time among themselves, but a read may
// run while a change does: an edit never waits for a read already under way (at 10,000 services a full read takes
// seconds). The kernel serializes its own operations, so a read that overlapped a change saw either side of it; the
// agent (not this queue) keeps such a read from publishing over the change's confirmation. An exclusive job (a read
// that must see no change at all) waits for both lanes to be idle and holds both while it runs; nothing waiting
// starts before it, so a stream of changes cannot hold it off.
import { ApiError } from '../../lib/errors';

export type Lane = 'change' | 'read' | 'exclusive';

interface Waiting {
  lane: Lane;
  start: () => void;
}

export class KernelQueue {
  private readonly waiting: Waiting[] = [];
  private readonly busy = { change: false, read: false };

  run<T>(job: () => Promise<T>, timeoutMs: number, lane: Lane = 'change'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        lane,
        start: () => {
          // the lane frees when the job ends, whether it failed or not (or ran out of time)
          withTimeout(Promise.resolve().then(job), timeoutMs)
            .then(resolve, reject)
            .finally(() => this.release(lane));
        },
      });
      this.pump();
    });
  }

  private release(lane: Lane): void {
    if (lane !== 'read') this.busy.change = false;
    if (lane !== 'change') this.busy.read = false;
    this.pump();
  }

  private pump(): void {
    const exclusive = this.waiting.find((w) => w.lane === 'exclusive');
    if (exclusive) {
      if (this.busy.change || this.busy.read) return;
      this.take(exclusive);
      this.busy.change = this.busy.read = true;
      exclusive.start();
      return;
    }
    // a waiting change first: an edit asked during a read never waits for the reads queued after it either
    for (const lane of ['change', 'read'] as const) {
      if (this.busy[lane]) continue;
      const next = this.waiting.find((w) => w.lane === lane);
      if (!next) continue;
      this.take(next);
      this.busy[lane] = true;
      next.start();
    }
  }

  private take(w: Waiting): void {
    this.waiting.splice(this.waiting.indexOf(w), 1);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError('timeout', `timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}
