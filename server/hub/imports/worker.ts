// The import worker thread: reads import text and diffs it against the live table away from the dashboard's event
// loop (50,000 rules take seconds), answering each request by id.
import { parentPort } from 'node:worker_threads';
import { ApiError } from '../../../lib/errors';
import { previewImport, readImport } from './rules';
import type { ImportReply, ImportRequest } from './runner';

parentPort?.on('message', (m: ImportRequest) => {
  let reply: ImportReply;
  try {
    // a preview goes back as JSON text: cloning a 50,000-rule diff object graph would stall the event loop again
    reply = { id: m.id, data: m.op === 'read' ? readImport(m.text) : JSON.stringify(previewImport(m.text, m.live)) };
  } catch (e) {
    reply = e instanceof ApiError ? { id: m.id, error: e.toAck() } : { id: m.id, failure: (e as Error).message };
  }
  parentPort?.postMessage(reply);
});
