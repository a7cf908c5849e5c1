// One kernel operation at a time: edits, applies and table reads queue here, each with a time limit, so a read never
// sees half an edit and two edits never interleave.
import { ApiError } from '../../lib/errors';

export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>, timeoutMs: number): Promise<T> {
    const result = this.tail.then(() => withTimeout(job(), timeoutMs));
    // the next job waits for this one to end, whether it failed or not
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError('timeout', `timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}
