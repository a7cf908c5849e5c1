// Reads the connection table in a worker thread when the bundled worker is there (dist/conn-reader.mjs, built with
// the agent), else in this thread (tests running the TypeScript sources).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ConnectionTable, parseProcConns, type ConnectionColumnsData } from '../../lib/ipvs';
import { readProcText } from './conn-reader-worker';

function workerPath(): string | null {
  for (const rel of ['./conn-reader.mjs', '../../dist/conn-reader.mjs']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  return null;
}

export class ConnectionReader {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (t: ConnectionTable) => void; reject: (e: Error) => void }>();

  constructor(private readonly path: string) {}

  read(): Promise<ConnectionTable> {
    const file = workerPath();
    if (!file) return Promise.resolve().then(() => parseProcConns(readProcText(this.path)));
    if (!this.worker) {
      this.worker = new Worker(file);
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
