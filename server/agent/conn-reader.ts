// Reads the connection table in a worker thread in the bundled agent (scripts/build-agent.mjs inlines the worker's
// code as __CONN_READER_WORKER__), else in this thread (tests running the TypeScript sources).
import { Worker } from 'node:worker_threads';
import { ConnectionTable, parseProcConns, type ConnectionColumnsData } from '../../lib/ipvs';
import { readProcText } from './conn-reader-worker';

declare const __CONN_READER_WORKER__: string | undefined;
const WORKER_SOURCE = typeof __CONN_READER_WORKER__ === 'string' ? __CONN_READER_WORKER__ : null;

export class ConnectionReader {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (t: ConnectionTable) => void; reject: (e: Error) => void }>();

  constructor(private readonly path: string) {}

  read(): Promise<ConnectionTable> {
    if (WORKER_SOURCE === null) return Promise.resolve().then(() => parseProcConns(readProcText(this.path)));
    if (!this.worker) {
      this.worker = new Worker(WORKER_SOURCE, { eval: true });
      this.worker.unref();
      this.worker.on('message', (m: { id: number; cols?: ConnectionColumnsData; error?: string }) => {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.cols) p?.resolve(ConnectionTable.fromColumns(m.cols));
        else p?.reject(new Error(m.error ?? 'connection reader failed'));
      });
      this.worker.on('error', (e) => {
        for (const p of this.pending.values()) p.reject(e);
        this.pending.clear();
        this.worker = null;
      });
    }
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker?.postMessage({ id, path: this.path });
    });
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}
