// keepalived.conf checker blocks (HTTP_GET, SSL_GET, TCP_CHECK, MISC_CHECK, DNS_CHECK) as our checks. Keyword
// spellings and defaults from keepalived's check_api.c, check_http.c, check_tcp.c, check_misc.c and check_dns.c
// (v2.x): delay_loop 60 s, connect_timeout 5 s, retry 1 (nb_get_retry is its older name; MISC_CHECK's default is 0,
// DNS_CHECK's 3), a real server fails after retry + 1 failed checks, each retry delay_before_retry after the last
// (1 s; HTTP_GET and SSL_GET 3 s; DNS_CHECK the delay loop), and comes back on the first pass (HTTP_GET and SSL_GET:
// the second, see RISE), HTTP status 200-299 unless status_code says otherwise.
import type { ConfStatement } from '../ipvs/keepalived-conf';
import { scriptArgv } from '../ipvs/keepalived-script';
import { DNS_TYPES, type CheckConfig, type CheckKind } from './config';

export const CHECKERS = new Set(['HTTP_GET', 'SSL_GET', 'TCP_CHECK', 'MISC_CHECK', 'DNS_CHECK']);

/** Timing keywords a virtual server or real server passes down to its checkers (keepalived allows both levels). */
export interface CheckerDefaults {
  delayLoop?: number;
  connectTimeout?: number;
  retry?: number;
  delayBeforeRetry?: number;
  alpha?: boolean;
}

export interface Skip {
  line: number;
  reason: string;
}

/** keepalived's timers are seconds, fractions allowed. */
export function seconds(word: string | undefined): number | undefined {
  if (word === undefined || !/^\d+(\.\d+)?$/.test(word)) return undefined;
  return Number(word);
}

function whole(word: string | undefined): number | undefined {
  return word !== undefined && /^\d+$/.test(word) ? Number(word) : undefined;
}

/** A timing keyword read into `into`; false when the statement is not one. */
export function readTiming(st: ConfStatement, into: CheckerDefaults, skip: (s: Skip) => void): boolean {
  const [key, arg] = st.words;
  const bad = () => skip({ line: st.line, reason: `${key}: ${JSON.stringify(arg ?? '')} is not a valid value` });
  if (key === 'delay_loop' || key === 'connect_timeout' || key === 'delay_before_retry') {
    const v = seconds(arg);
    if (v === undefined) bad();
    else if (key === 'delay_loop') into.delayLoop = v;
    else if (key === 'connect_timeout') into.connectTimeout = v;
    else into.delayBeforeRetry = v;
  } else if (key === 'retry' || key === 'nb_get_retry') {
    const v = whole(arg);
    if (v === undefined) bad();
    else into.retry = v;
  } else if (key === 'alpha') into.alpha = arg !== 'no' && arg !== 'false' && arg !== 'off';
  else return false;
  return true;
}

/** HTTP status_code words (200, 200-299) as our ranges. */
function statusRanges(words: string[], line: number, skip: (s: Skip) => void) {
  const out: ({ from: number; to: number } | number)[] = [];
  for (const w of words) {
    const m = /^(\d{3})(?:-(\d{3}))?$/.exec(w);
    const from = Number(m?.[1]);
    const to = m?.[2] === undefined ? from : Number(m[2]);
    if (!m || from < 100 || to > 599 || from > to)
      skip({ line, reason: `status_code ${JSON.stringify(w)} is not a status 100-599 or a range of them` });
    else out.push(from === to ? from : { from, to });
  }
  return out;
}

function httpKind(st: ConfStatement, https: boolean, skip: (s: Skip) => void): CheckKind {
  let path: string | undefined;
  let status: ReturnType<typeof statusRanges> = [];
  let host: string | undefined;
  let sni: string | undefined;
  for (const s of st.block ?? []) {
    const [key, arg] = s.words;
    if (key === 'virtualhost' && arg) host = arg;
    else if (key === 'sni_name' && arg && https) sni = arg;
    else if (key === 'enable_sni' && https)
      continue; // our https checks always send a server name
    else if (key === 'url' && path !== undefined)
      skip({ line: s.line, reason: 'a second url: our check requests one path (the first url is imported)' });
    else if (key === 'url') {
      for (const u of s.block ?? []) {
        const [k, a] = u.words;
        if (k === 'path' && a) path = a;
        else if (k === 'status_code') status = statusRanges(u.words.slice(1), u.line, skip);
        else if (k === 'virtualhost' && a) host = a;
        else if (k === 'digest')
          skip({ line: u.line, reason: 'digest: our HTTP check matches statuses and a body regex, not an MD5 digest' });
        else skip({ line: u.line, reason: `url ${k ?? ''}: not expressible in our HTTP check` });
      }
    } else if (!isCommon(key)) skip({ line: s.line, reason: `${st.words[0]} ${key ?? ''}: not expressible` });
  }
  const kind = { type: https ? 'https' : 'http', path: path ?? '/' } as const;
  return {
    ...kind,
    ...(status.length ? { status } : {}),
    ...(host ? { host } : {}),
    ...(sni ? { sni } : {}),
    verifyTls: false,
    reuseConnection: false, // keepalived's HTTP_GET/SSL_GET open a new connection for every check
  } as CheckKind;
}

/** A script keyword's command as keepalived runs it (quotes, escapes, no shell); the words after it are listed. */
export function scriptCommand(st: ConfStatement, skip: (s: Skip) => void): string[] | undefined {
  const key = st.words[0] ?? '';
  const r = scriptArgv(st.source);
  if ('error' in r) skip({ line: st.line, reason: `${key}: ${r.error}` });
  else if (!r.argv.length) skip({ line: st.line, reason: `${key}: no command` });
  else if (r.rest.length)
    skip({
      line: st.line,
      reason:
        key === 'misc_path'
          ? `${key}: ${JSON.stringify(r.rest.join(' '))} after the command is ignored, as keepalived does: quote the whole command`
          : `${key}: the user ${JSON.stringify(r.rest.join(' '))}: our commands run as the agent user`,
    });
  return 'error' in r || !r.argv.length ? undefined : r.argv;
}

function miscKind(st: ConfStatement, skip: (s: Skip) => void): { kind: CheckKind; timeout?: number } | null {
  let argv: string[] | undefined;
  let dynamicWeight = false;
  let timeout: number | undefined;
  for (const s of st.block ?? []) {
    const [key, arg] = s.words;
    if (key === 'misc_path') argv = scriptCommand(s, skip) ?? argv;
    else if (key === 'misc_dynamic') dynamicWeight = true;
    else if (key === 'misc_timeout') timeout = seconds(arg);
    else if (key === 'user') skip({ line: s.line, reason: 'user: our commands run as the agent user' });
    else if (!isCommon(key)) skip({ line: s.line, reason: `MISC_CHECK ${key ?? ''}: not expressible` });
  }
  if (!argv?.length || !argv[0]?.startsWith('/')) {
    skip({ line: st.line, reason: 'MISC_CHECK without a misc_path starting with an absolute program path' });
    return null;
  }
  return { kind: { type: 'command', argv, dynamicWeight }, ...(timeout !== undefined ? { timeout } : {}) };
}

function dnsKind(st: ConfStatement, skip: (s: Skip) => void): CheckKind {
  let name = '.';
  let queryType: keyof typeof DNS_TYPES = 'SOA'; // keepalived's default query: SOA of the root
  for (const s of st.block ?? []) {
    const [key, arg] = s.words;
    if (key === 'name' && arg) name = arg;
    else if (key === 'type' && arg && arg.toUpperCase() in DNS_TYPES)
      queryType = arg.toUpperCase() as keyof typeof DNS_TYPES;
    else if (!isCommon(key)) skip({ line: s.line, reason: `DNS_CHECK ${s.words.join(' ')}: not expressible` });
  }
  return { type: 'dns', name, queryType, rcode: ['NOERROR'] };
}

/** keepalived's retry when neither the checker, its real server nor its virtual server sets one (check_misc.c,
 * check_dns.c; the others keep check_api.c's 1). */
const DEFAULT_RETRY: Record<string, number> = { MISC_CHECK: 0, DNS_CHECK: 3 };
/** keepalived's delay_before_retry (seconds) when none is set: check_api.c's 1, check_http.c's 3 for HTTP_GET and
 * SSL_GET; DNS_CHECK's is the delay loop (check_dns.c): undefined, our interval. */
function defaultDelayBeforeRetry(type: string | undefined): number | undefined {
  if (type === 'DNS_CHECK') return undefined;
  return type === 'HTTP_GET' || type === 'SSL_GET' ? 3 : 1;
}
/** Passes that bring a failed real server back. check_http.c's epilog: the first good check after a failure only
 * clears the failed url and schedules the next, which brings it up (a start with alpha comes up on the first: our
 * rise cannot tell the two apart, so an alpha HTTP_GET/SSL_GET real server comes in one delay loop later). The other
 * checkers bring it up on the first pass. */
const RISE: Record<string, number> = { HTTP_GET: 2, SSL_GET: 2 };
/** Our retries wait at least this long (keepalived allows 0: at once). */
const MIN_RETRY_S = 0.1;

const COMMON = new Set(['connect_ip', 'connect_port', 'bindto', 'connect_timeout', 'retry', 'nb_get_retry']);
const isCommon = (key: string | undefined) =>
  key !== undefined && (COMMON.has(key) || key === 'delay_loop' || key === 'alpha' || key === 'delay_before_retry');

/** One checker block as our check (input form, validated by the caller), or null when it cannot be one. */
export function checkerToCheck(
  st: ConfStatement,
  inherited: CheckerDefaults,
  inhibit: boolean,
  skip: (s: Skip) => void,
): Record<string, unknown> | null {
  const type = st.words[0];
  const own: CheckerDefaults = { ...inherited };
  let address: string | undefined;
  let port: number | undefined;
  let source: string | undefined;
  for (const s of st.block ?? []) {
    const [key, arg] = s.words;
    if (readTiming(s, own, skip)) continue;
    if (key === 'connect_ip') address = arg;
    else if (key === 'connect_port') port = whole(arg) ?? -1;
    else if (key === 'bindto') source = arg;
  }
  let kind: CheckKind;
  let timeout = own.connectTimeout ?? 5;
  if (type === 'HTTP_GET' || type === 'SSL_GET') kind = httpKind(st, type === 'SSL_GET', skip);
  else if (type === 'TCP_CHECK') {
    kind = { type: 'tcp' };
    for (const s of st.block ?? [])
      if (!isCommon(s.words[0])) skip({ line: s.line, reason: `TCP_CHECK ${s.words[0] ?? ''}: not expressible` });
  } else if (type === 'DNS_CHECK') kind = dnsKind(st, skip);
  else {
    const misc = miscKind(st, skip);
    if (!misc) return null;
    kind = misc.kind;
    // keepalived's misc_timeout defaults to the delay loop
    timeout = misc.timeout ?? own.delayLoop ?? 60;
  }
  const interval = own.delayLoop ?? 60;
  if (timeout > interval) {
    skip({ line: st.line, reason: `timeout ${timeout}s above the interval ${interval}s: the timeout is the interval` });
    timeout = interval;
  }
  const fall = (own.retry ?? DEFAULT_RETRY[type ?? ''] ?? 1) + 1;
  const retryAfter = fall > 1 ? (own.delayBeforeRetry ?? defaultDelayBeforeRetry(type)) : undefined;
  if (retryAfter !== undefined && retryAfter < MIN_RETRY_S)
    skip({ line: st.line, reason: `delay_before_retry ${retryAfter}s: our retries wait at least ${MIN_RETRY_S}s` });
  const check: Partial<CheckConfig> & Record<string, unknown> = {
    check: kind,
    intervalMs: Math.round(interval * 1000),
    timeoutMs: Math.round(timeout * 1000),
    rise: RISE[type ?? ''] ?? 1,
    fall,
    startState: own.alpha ? 'down' : 'up',
    onFailure: inhibit ? 'quiesce' : 'remove',
  };
  // keepalived retries a failing real server after delay_before_retry, not the delay loop, until retry + 1 failures
  if (retryAfter !== undefined) check.retryIntervalMs = Math.round(Math.max(retryAfter, MIN_RETRY_S) * 1000);
  if (address !== undefined) check.address = address;
  if (port !== undefined) check.port = port;
  if (source !== undefined) check.sourceAddress = source;
  return check;
}
