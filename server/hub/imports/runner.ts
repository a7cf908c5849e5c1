// Runs import reads and previews in one worker thread (started on first use), so a large import never freezes
// the other users of the dashboard. Requests queue in the worker and are answered in order.
import { Worker } from 'node:worker_threads';
import { ApiError } from '../../../lib/errors';
import type { AckError } from '../../../lib/errors';
import type { Service } from '../../../lib/ipvs';
import { answerImport, type ImportReplyData, type ImportWork } from './answer';
import type { ImportedTable, KeepalivedRead } from './rules';

export type ImportRequest = ImportWork & { id: number };
/** data: the answer; error: the text was refused (an ApiError, as an ack); failure: the worker itself failed. */
export type ImportReply =
  { id: number; data: ImportReplyData } | { id: number; error: AckError } | { id: number; failure: string };

interface Waiting {
  resolve: (v: ImportReplyData) => void;
  reject: (e: Error) => void;
}

/** An import text up to this size, against a live table of up to INLINE_LIVE_MAX rules, is answered in the caller's
 * thread: a few ms of work, where the worker's first request compiles its modules first (seconds; up to a minute
 * under the lab's emulated CPU, where a keepalived import test's process also died once during that request). */
export const INLINE_TEXT_MAX = 64 * 1024;
export const INLINE_LIVE_MAX = 2000;

export class ImportRunner {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, Waiting>();

  /** `inlineTextMax` 0: every request goes to the worker. */
  constructor(private readonly inlineTextMax = INLINE_TEXT_MAX) {}

  /** The table an import text describes; rejects with an `invalid` ApiError for bad text. */
  read(text: string): Promise<ImportedTable> {
    return this.send({ op: 'read', text }) as Promise<ImportedTable>;
  }

  /** What importing `text` would change on `live` (a TableDiff as JSON text); rejects with an `invalid` ApiError for
   * bad text. */
  previewJson(text: string, live: readonly Service[]): Promise<string> {
    return this.send({ op: 'preview', text, live }) as Promise<string>;
  }

  /** keepalived.conf text as a table, the checks it sets and the lines not imported; rejects with an `invalid`
   * ApiError naming the line and field of a bad value. */
  readKeepalived(text: string): Promise<KeepalivedRead> {
    return this.send({ op: 'keepalived-read', text }) as Promise<KeepalivedRead>;
  }

  /** What importing keepalived.conf `text` would change on `live`: { diff, checks, notImported } as JSON text;
   * `keepOthers`: the live services the file does not name stay. */
  previewKeepalivedJson(text: string, live: readonly Service[], keepOthers: boolean): Promise<string> {
    return this.send({ op: 'keepalived-preview', text, live, keepOthers }) as Promise<string>;
  }

  private start(): Worker {
    const entry = new URL('./worker.ts', import.meta.url).href;
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { entry } });
    worker.unref();
    worker.on('message', (m: ImportReply) => {
      const w = this.waiting.get(m.id);
      this.waiting.delete(m.id);
      if ('data' in m) w?.resolve(m.data);
      else w?.reject('error' in m ? ApiError.of(m.error) : new Error(m.failure));
    });
    const failed = (e: Error) => {
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
      this.worker = null;
    };
    worker.on('error', failed);
    worker.on('exit', (code) => failed(new Error(`import worker exited (code ${code})`)));
    return worker;
  }

  private send(req: ImportWork): Promise<ImportReplyData> {
    if (req.text.length <= this.inlineTextMax && (!('live' in req) || ruleCount(req.live) <= INLINE_LIVE_MAX)) {
      try {
        return Promise.resolve(answerImport(req));
      } catch (e) {
        return Promise.reject(e instanceof ApiError ? e : new Error((e as Error).message));
      }
    }
    this.worker ??= this.start();
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker?.postMessage({ ...req, id });
    });
  }

  close(): Promise<unknown> {
    const w = this.worker;
    this.worker = null;
    return w ? w.terminate() : Promise.resolve();
  }
}

const ruleCount = (live: readonly Service[]) => live.reduce((n, s) => n + 1 + s.destinations.length, 0);
