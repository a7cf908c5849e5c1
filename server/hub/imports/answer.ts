// One import request answered: in the import worker thread, or in the caller's for a small one (runner.ts).
import { previewImport, previewKeepalived, readImport, readKeepalived } from './rules';
import type { Service } from '../../../lib/ipvs';
import type { ImportedTable, KeepalivedRead } from './rules';

export type ImportWork =
  | { op: 'read'; text: string }
  | { op: 'keepalived-read'; text: string }
  | { op: 'preview'; text: string; live: readonly Service[] }
  | { op: 'keepalived-preview'; text: string; live: readonly Service[]; keepOthers: boolean };
export type ImportReplyData = ImportedTable | KeepalivedRead | string;

export function answerImport(m: ImportWork): ImportReplyData {
  // a preview goes back as JSON text: cloning a 50,000-rule diff object graph would stall the event loop again
  if (m.op === 'read') return readImport(m.text);
  if (m.op === 'keepalived-read') return readKeepalived(m.text);
  if (m.op === 'preview') return JSON.stringify(previewImport(m.text, m.live));
  return JSON.stringify(previewKeepalived(m.text, m.live, m.keepOthers));
}
