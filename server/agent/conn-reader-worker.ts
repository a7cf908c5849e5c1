// Worker thread: reads /proc/net/ip_vs_conn with blocking reads, parses it and ranks its texts for sorting, off the
// agent's event loop.
// The kernel hands out at most one page per read() and walks its hash table from the start on every call, so the
// read is O(n^2): a blocking loop with a large buffer is the cheapest way through it, and a worker keeps it from
// freezing ticks and sockets for the seconds a large table takes.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { rankTexts } from '../../lib/ipvs/text-ranks';
import { parseProcConns } from '../../lib/ipvs/parse-conns';

export function readProcText(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.allocUnsafe(1 << 20);
    let n: number;
    while ((n = readSync(fd, buf, 0, buf.length, null)) > 0) chunks.push(Buffer.from(buf.subarray(0, n)));
    return Buffer.concat(chunks).toString('latin1');
  } finally {
    closeSync(fd);
  }
}

parentPort?.on('message', (msg: { id: number; path: string }) => {
  try {
    // the texts' sort ranks are the costly part of a first sorted query (parsing and ordering every distinct
    // address): done here, they cost the agent's thread nothing
    const cols = rankTexts(parseProcConns(readProcText(msg.path))).toColumns();
    const transfer = [
      cols.textRank as Uint32Array,
      cols.protocol,
      cols.state,
      cols.expires,
      cols.client,
      cols.clientPort,
      cols.virtual,
      cols.virtualPort,
      cols.dest,
      cols.destPort,
    ].map((a) => a.buffer as ArrayBuffer);
    parentPort?.postMessage({ id: msg.id, cols }, transfer);
  } catch (e) {
    parentPort?.postMessage({ id: msg.id, error: (e as Error).message });
  }
});
