// Before/after of an audit row, compared for people: JSON configurations field by field (real servers keyed by their
// address, not their position in a list), and ipvsadm rules text line by line (a line keyed by the service and real
// server it defines, so a changed weight is one changed line, not a removed and an added one).

export type ChangeKind = 'same' | 'changed' | 'added' | 'removed';

export interface FieldRow {
  path: string;
  before: string | null;
  after: string | null;
  kind: ChangeKind;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function text(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** Real servers and other address:port objects in a list are named by address, so a removal shifts nothing. */
function elementKey(v: unknown, i: number): string {
  if (isObj(v) && typeof v.address === 'string' && typeof v.port === 'number')
    return v.address.includes(':') ? `[${v.address}]:${v.port}` : `${v.address}:${v.port}`;
  return String(i);
}

/** Path segments read as "tcp/10.1.0.10:80 › 10.2.0.11:80 › weight": real servers by address, not by list index. */
const SEP = ' › ';
const join = (path: string, part: string) => (path ? `${path}${SEP}${part}` : part);

function flatten(v: unknown, path: string, out: Map<string, string>): void {
  // An absent object or option: its fields show as added or removed on the other side.
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) {
    if (v.every((x) => !isObj(x) && !Array.isArray(x))) {
      out.set(path || '(value)', v.length ? v.map(text).join(', ') : '(none)');
      return;
    }
    // A list of address:port objects (real servers) is keyed by address; the list's own name adds nothing.
    const keyed = v.every((x) => isObj(x) && typeof x.address === 'string');
    const base = keyed && path.endsWith(`${SEP}destinations`) ? path.slice(0, -`${SEP}destinations`.length) : path;
    const at = keyed && path === 'destinations' ? '' : base;
    v.forEach((x, i) => flatten(x, keyed ? join(at, elementKey(x, i)) : `${path}[${i}]`, out));
    return;
  }
  if (isObj(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0 && path) out.set(path, '(none)');
    for (const k of keys) flatten(v[k], join(path, k), out);
    return;
  }
  out.set(path || '(value)', text(v));
}

/** Every field of either side, in the order they appear (before first, then fields only the after has). */
export function fieldDiff(before: unknown, after: unknown): FieldRow[] {
  const b = new Map<string, string>();
  const a = new Map<string, string>();
  flatten(before, '', b);
  flatten(after, '', a);
  const paths = [...b.keys(), ...[...a.keys()].filter((k) => !b.has(k))];
  return paths.map((path) => {
    const x = b.get(path) ?? null;
    const y = a.get(path) ?? null;
    const kind: ChangeKind = x === null ? 'added' : y === null ? 'removed' : x === y ? 'same' : 'changed';
    return { path, before: x, after: y, kind };
  });
}

export interface RuleRow {
  key: string;
  before: string | null;
  after: string | null;
  kind: ChangeKind;
}

const SERVICE_OPTS = new Set([
  '-t',
  '--tcp-service',
  '-u',
  '--udp-service',
  '--sctp-service',
  '-f',
  '--fwmark-service',
]);

/** What a rules line defines: `-t 10.1.0.10:80`, or `-t 10.1.0.10:80 -r 10.2.0.11:80` for a real server line. */
export function ruleKey(line: string): string {
  const t = line.trim().split(/\s+/);
  const s = t.findIndex((x) => SERVICE_OPTS.has(x));
  if (s < 0) return line.trim();
  let key = `${t[s]} ${t[s + 1] ?? ''}${t[s + 2] === '-6' ? ' -6' : ''}`;
  const r = t.findIndex((x) => x === '-r' || x === '--real-server');
  if (r >= 0) key += ` -r ${t[r + 1] ?? ''}`;
  return `${t[0] === '-a' ? 'a' : 'A'} ${key}`;
}

function rules(text: string): { key: string; line: string }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((line) => ({ key: ruleKey(line), line }));
}

/** Rules text compared line by line, in the order of the after side with removed lines where they used to be. */
export function rulesDiff(before: string, after: string): RuleRow[] {
  const b = rules(before);
  const a = rules(after);
  const beforeByKey = new Map(b.map((r) => [r.key, r.line]));
  const afterKeys = new Set(a.map((r) => r.key));
  const used = new Set<string>();
  const out: RuleRow[] = [];
  const pair = (key: string, x: string | null, y: string | null) =>
    out.push({
      key,
      before: x,
      after: y,
      kind: x === null ? 'added' : y === null ? 'removed' : x === y ? 'same' : 'changed',
    });
  let i = 0;
  for (const r of a) {
    // Lines of the before side that no longer exist, up to where this line used to be.
    while (i < b.length && (used.has(b[i]!.key) || !afterKeys.has(b[i]!.key))) {
      const old = b[i]!;
      if (!used.has(old.key)) pair(old.key, old.line, null);
      i++;
    }
    const was = beforeByKey.get(r.key) ?? null;
    if (was !== null) used.add(r.key);
    if (b[i]?.key === r.key) i++;
    pair(r.key, was, r.line);
  }
  for (; i < b.length; i++) {
    const old = b[i]!;
    if (!used.has(old.key) && !afterKeys.has(old.key)) pair(old.key, old.line, null);
  }
  return out;
}

/** Which words of two versions of a line differ (a longest-common-subsequence of words). */
export function wordDiff(before: string, after: string): { before: [string, boolean][]; after: [string, boolean][] } {
  const x = before.split(' ');
  const y = after.split(' ');
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const keepX = new Set<number>();
  const keepY = new Set<number>();
  for (let i = 0, j = 0; i < n && j < m;) {
    if (x[i] === y[j]) {
      keepX.add(i++);
      keepY.add(j++);
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i++;
    else j++;
  }
  return {
    before: x.map((w, i) => [w, !keepX.has(i)]),
    after: y.map((w, j) => [w, !keepY.has(j)]),
  };
}
