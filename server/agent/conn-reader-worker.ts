// Worker thread: reads /proc/net/ip_vs_conn with blocking reads, parses it and ranks its texts for sorting, off the
// agent's event loop.
// The kernel hands out at most one page per read() and walks its hash table from the start on every call, so the
// read is O(n^2): a blocking loop with a large buffer is the cheapest way through it, and a worker keeps it from
// freezing ticks and sockets for the seconds a large table takes.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { prepareRead } from '../../lib/ipvs/connection-query';
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
    // the sort keys (each row's real server, its rank in every text column: parsing and ordering every distinct
    // address) and the whole table's counts are most of a first sorted query's work: done here, they cost the
    // agent's thread nothing
    const table = parseProcConns(readProcText(msg.path));
    const { pairs, ranks, counts } = prepareRead(table);
    const cols = table.toColumns();
    const transfer = [
      pairs.ofRow,
      ...Object.values(ranks).map((r) => r.rank),
      ...(counts ? [counts.perState, counts.perDest] : []),
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
