// Import text (ipvsadm -S -n rules or this dashboard's JSON export) to a table, with the import cap: at most
// MAX_IMPORT_RULES rules (services plus real servers), counted before any parsing. Errors name the field and never
// echo more than a short excerpt of what was sent.
import { z } from 'zod';
import { MAX_IMPORT_RULES } from '../../../lib/api/contracts';
import { ApiError } from '../../../lib/errors';
import type { HealthConfig } from '../../../lib/health';
import {
  ParseError,
  Service,
  diffTables,
  keepingUnnamed,
  parseSave,
  renderSave,
  type TableDiff,
} from '../../../lib/ipvs';
import { importKeepalived, type NotImported } from '../../../lib/ipvs/keepalived-import';

/** The longest excerpt of sent text an error message may carry. */
const MAX_ECHO = 200;

/** Bad import text: an `invalid` ApiError whose message names the field (`rules`) and the reason. */
const badRules = (reason: string, field = 'rules'): ApiError =>
  new ApiError('invalid', `${field}: ${clip(reason)}`, { field });

export function clip(text: string, max = MAX_ECHO): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

export interface ImportedTable {
  /** The table as canonical ipvsadm -S -n text (what the agent is sent and the audit row records). */
  rules: string;
  services: Service[];
}

const JsonModel = z.union([z.array(Service), z.object({ services: z.array(Service) }).loose()]);

const tooMany = (): ApiError =>
  badRules(
    `at most ${MAX_IMPORT_RULES.toLocaleString('en')} rules (services and real servers) per import; this has more`,
  );

/** Lines that hold a rule (not blank, not a comment), counted only up to one past the cap. */
function countRuleLines(text: string): number {
  let count = 0;
  for (let start = 0; start < text.length && count <= MAX_IMPORT_RULES;) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    const line = text.slice(start, stop).trim();
    if (line !== '' && !line.startsWith('#')) count++;
    start = stop + 1;
  }
  return count;
}

function fromJson(text: string): Service[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw badRules(`not valid JSON (${(e as Error).message})`);
  }
  const list = Array.isArray(json) ? json : (json as { services?: unknown })?.services;
  if (Array.isArray(list)) {
    let count = list.length;
    for (const s of list) {
      const d = (s as { destinations?: unknown })?.destinations;
      if (Array.isArray(d)) count += d.length;
    }
    if (count > MAX_IMPORT_RULES) throw tooMany();
  }
  const r = JsonModel.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw badRules(`${i?.path.join('.') || 'JSON'}: ${i?.message ?? 'not a table'}`);
  }
  return Array.isArray(r.data) ? r.data : r.data.services;
}

/** The table an import text describes; throws an `invalid` ApiError saying why it cannot be imported. */
export function readImport(text: string): ImportedTable {
  const trimmed = text.trimStart();
  let services: Service[];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) services = fromJson(text);
  else {
    if (countRuleLines(text) > MAX_IMPORT_RULES) throw tooMany();
    try {
      services = parseSave(text);
    } catch (e) {
      if (e instanceof ParseError) throw badRules(e.message);
      throw e;
    }
  }
  try {
    return { rules: renderSave(services), services };
  } catch (e) {
    throw badRules((e as Error).message);
  }
}

/** What importing `text` would change on a table holding `live`. */
export function previewImport(text: string, live: readonly Service[]): TableDiff {
  return diffTables(live, readImport(text).services);
}

/** A keepalived.conf import: the table, the checks it sets and the lines it could not express. */
export interface KeepalivedRead {
  table: ImportedTable;
  checks: HealthConfig;
  notImported: NotImported[];
}

/** keepalived.conf text read as an import; throws an `invalid` ApiError naming the line and field of a bad value. */
export function readKeepalived(text: string): KeepalivedRead {
  try {
    const r = importKeepalived(text, MAX_IMPORT_RULES);
    return {
      table: { rules: renderSave(r.services), services: r.services },
      checks: r.health,
      notImported: r.notImported,
    };
  } catch (e) {
    if (e instanceof ParseError) throw badRules(e.message, 'config');
    throw e;
  }
}

/** What importing keepalived.conf `text` would change on `live`, with the checks and the lines not imported;
 * `keepOthers`: the live services the file does not name stay. */
export function previewKeepalived(text: string, live: readonly Service[], keepOthers: boolean) {
  const r = readKeepalived(text);
  const desired = keepOthers ? keepingUnnamed(live, r.table.services) : r.table.services;
  return { diff: diffTables(live, desired), checks: r.checks, notImported: r.notImported };
}
