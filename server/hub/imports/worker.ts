// The import worker thread: reads import text and diffs it against the live table away from the dashboard's event
// loop (50,000 rules take seconds), answering each request by id.
import { parentPort } from 'node:worker_threads';
import { ApiError } from '../../../lib/errors';
import { previewImport, previewKeepalived, readImport, readKeepalived } from './rules';
import type { ImportReply, ImportReplyData, ImportRequest } from './runner';

parentPort?.on('message', (m: ImportRequest) => {
  let reply: ImportReply;
  try {
    // a preview goes back as JSON text: cloning a 50,000-rule diff object graph would stall the event loop again
    let data: ImportReplyData;
    if (m.op === 'read') data = readImport(m.text);
    else if (m.op === 'keepalived-read') data = readKeepalived(m.text);
    else if (m.op === 'preview') data = JSON.stringify(previewImport(m.text, m.live));
    else data = JSON.stringify(previewKeepalived(m.text, m.live, m.keepOthers));
    reply = { id: m.id, data };
  } catch (e) {
    reply = e instanceof ApiError ? { id: m.id, error: e.toAck() } : { id: m.id, failure: (e as Error).message };
  }
  parentPort?.postMessage(reply);
});
