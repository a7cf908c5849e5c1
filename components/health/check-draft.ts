// The health-check form's draft (text as typed) and its check: the same zod schema the agent uses (CheckConfig) gives
// each field its error, in the form's words, and the form's fields are named like the schema's, so an error the server
// names (check.timeoutMs, check.check.path, check.slowStart.durationMs) lands under its box.
import { CheckConfig, DNS_RCODES, DNS_TYPES, type StatusRange } from '@/lib/health';
import { fieldOf, plainMessage, type Errors } from '@/components/forms/edit';

export const CHECK_TYPES = ['http', 'https', 'tcp', 'dns', 'command', 'none'] as const;
export type CheckType = (typeof CHECK_TYPES)[number];

export const CHECK_FIELDS = [
  'type',
  'path',
  'status',
  'bodyRegex',
  'host',
  'sni',
  'verifyTls',
  'reuseConnection',
  'name',
  'queryType',
  'rcode',
  'argv',
  'dynamicWeight',
  'intervalMs',
  'timeoutMs',
  'rise',
  'fall',
  'retryIntervalMs',
  'startState',
  'warmupMs',
  'address',
  'port',
  'sourceAddress',
  'onFailure',
  'durationMs',
  'steps',
] as const;
export type CheckField = (typeof CHECK_FIELDS)[number];

export interface CheckDraft {
  type: CheckType;
  path: string;
  /** "200-299, 301" */
  status: string;
  bodyRegex: string;
  host: string;
  sni: string;
  verifyTls: boolean;
  /** HTTP(S): keep the connection for the next check. */
  reuseConnection: boolean;
  name: string;
  queryType: string;
  /** "NOERROR, NXDOMAIN" */
  rcode: string;
  /** One argument per line, the program first. */
  argv: string;
  dynamicWeight: boolean;
  intervalMs: string;
  timeoutMs: string;
  rise: string;
  fall: string;
  /** While failing short of fall, the next check after this (empty: the interval). */
  retryIntervalMs: string;
  startState: 'up' | 'down';
  warmupMs: string;
  address: string;
  port: string;
  sourceAddress: string;
  onFailure: 'quiesce' | 'remove';
  /** Slow start over this long (empty: weight back at once). */
  durationMs: string;
  steps: string;
}

const statusText = (s: readonly StatusRange[]) =>
  s.map((r) => (typeof r === 'number' ? String(r) : `${r.from}-${r.to}`)).join(', ');

/** The draft of an existing check, or of a new one (HTTP GET / with the agent's defaults). */
export function checkDraftOf(c?: CheckConfig | null): CheckDraft {
  const k = c?.check;
  return {
    type: k?.type ?? 'http',
    path: k?.type === 'http' || k?.type === 'https' ? k.path : '/',
    status: k?.type === 'http' || k?.type === 'https' ? statusText(k.status) : '200-299',
    bodyRegex: (k?.type === 'http' || k?.type === 'https' ? k.bodyRegex : undefined) ?? '',
    host: (k?.type === 'http' || k?.type === 'https' ? k.host : undefined) ?? '',
    sni: (k?.type === 'https' ? k.sni : undefined) ?? '',
    verifyTls: k?.type === 'https' ? k.verifyTls : false,
    reuseConnection: k?.type === 'http' || k?.type === 'https' ? k.reuseConnection : true,
    name: k?.type === 'dns' ? k.name : '',
    queryType: k?.type === 'dns' ? k.queryType : 'A',
    rcode: k?.type === 'dns' ? k.rcode.join(', ') : 'NOERROR',
    argv: k?.type === 'command' ? k.argv.join('\n') : '',
    dynamicWeight: k?.type === 'command' ? k.dynamicWeight : false,
    intervalMs: String(c?.intervalMs ?? 5000),
    timeoutMs: String(c?.timeoutMs ?? 2000),
    rise: String(c?.rise ?? 2),
    fall: String(c?.fall ?? 3),
    retryIntervalMs: c?.retryIntervalMs === undefined ? '' : String(c.retryIntervalMs),
    startState: c?.startState ?? 'up',
    warmupMs: String(c?.warmupMs ?? 0),
    address: c?.address ?? '',
    port: c?.port === undefined ? '' : String(c.port),
    sourceAddress: c?.sourceAddress ?? '',
    onFailure: c?.onFailure ?? 'quiesce',
    durationMs: c?.slowStart ? String(c.slowStart.durationMs) : '',
    steps: c?.slowStart ? String(c.slowStart.steps) : '4',
  };
}

/** "200-299, 301" as the schema's list; a part that is not a status or a range stays text (the schema names it). */
function statusList(text: string): unknown[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((p) => {
      const m = /^(\d+)-(\d+)$/.exec(p);
      if (m) return { from: Number(m[1]), to: Number(m[2]) };
      return /^\d+$/.test(p) ? Number(p) : p;
    });
}

/** A number box as the schema reads it: whole numbers as numbers, anything else as the text (refused by name). */
const num = (t: string): unknown => (/^\d+$/.test(t.trim()) ? Number(t.trim()) : t.trim());
const opt = (t: string) => (t.trim() === '' ? undefined : t.trim());

function kindOf(d: CheckDraft): Record<string, unknown> {
  switch (d.type) {
    case 'http':
    case 'https':
      return {
        type: d.type,
        path: d.path.trim(),
        status: statusList(d.status),
        ...(opt(d.bodyRegex) ? { bodyRegex: d.bodyRegex } : {}),
        ...(opt(d.host) ? { host: d.host.trim() } : {}),
        ...(d.type === 'https' && opt(d.sni) ? { sni: d.sni.trim() } : {}),
        ...(d.type === 'https' ? { verifyTls: d.verifyTls } : {}),
        reuseConnection: d.reuseConnection,
      };
    case 'dns':
      return {
        type: 'dns',
        name: d.name.trim(),
        queryType: d.queryType,
        rcode: d.rcode.split(/[\s,]+/).filter(Boolean),
      };
    case 'command':
      return {
        type: 'command',
        argv: d.argv.split('\n').filter((l) => l.trim() !== ''),
        dynamicWeight: d.dynamicWeight,
      };
    default:
      return { type: d.type };
  }
}

/** The draft as the agent's check, or each field's first problem. */
export function checkCheckDraft(d: CheckDraft): { config?: CheckConfig; errors: Errors<CheckField> } {
  const input = {
    check: kindOf(d),
    intervalMs: num(d.intervalMs),
    timeoutMs: num(d.timeoutMs),
    rise: num(d.rise),
    fall: num(d.fall),
    ...(opt(d.retryIntervalMs) ? { retryIntervalMs: num(d.retryIntervalMs) } : {}),
    startState: d.startState,
    warmupMs: num(d.warmupMs),
    ...(opt(d.address) ? { address: d.address.trim() } : {}),
    ...(opt(d.port) ? { port: num(d.port) } : {}),
    ...(opt(d.sourceAddress) ? { sourceAddress: d.sourceAddress.trim() } : {}),
    onFailure: d.onFailure,
    ...(opt(d.durationMs) ? { slowStart: { durationMs: num(d.durationMs), steps: num(d.steps) } } : {}),
  };
  const parsed = CheckConfig.safeParse(input);
  if (parsed.success) return { config: parsed.data, errors: {} };
  const errors: Errors<CheckField> = {};
  for (const issue of parsed.error.issues) {
    const f = fieldOf(issue.path.map(String).join('.'), CHECK_FIELDS) ?? 'type';
    errors[f] ??= plainMessage(issue.message);
  }
  return { errors };
}

export const DNS_TYPE_NAMES = Object.keys(DNS_TYPES);
export const DNS_RCODE_NAMES = Object.keys(DNS_RCODES);
