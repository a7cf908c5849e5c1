// The import worker thread: reads import text and diffs it against the live table away from the dashboard's event
// loop (50,000 rules take seconds), answering each request by id.
import { parentPort } from 'node:worker_threads';
import { ApiError } from '../../../lib/errors';
import { answerImport } from './answer';
import type { ImportReply, ImportRequest } from './runner';

parentPort?.on('message', (m: ImportRequest) => {
  let reply: ImportReply;
  try {
    reply = { id: m.id, data: answerImport(m) };
  } catch (e) {
    reply = e instanceof ApiError ? { id: m.id, error: e.toAck() } : { id: m.id, failure: (e as Error).message };
  }
  parentPort?.postMessage(reply);
});
