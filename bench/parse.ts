// Parse bench: 1,000,000 connection rows in the exact `ipvsadm -Lnc` and /proc/net/ip_vs_conn layouts (generated
// here from the shapes of the lab captures); our columnar parsers against a naive line-split parser, and the memory
// each holds per row. Prints ratios measured in this run.   node --expose-gc --import tsx bench/parse.ts [ROWS]
import { parseConnList, parseProcConns } from '../lib/ipvs';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const hex = (n: number, w: number) => n.toString(16).toUpperCase().padStart(w, '0');
const ip = (n: number) => `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
const STATES = ['ESTABLISHED', 'TIME_WAIT', 'FIN_WAIT', 'SYN_RECV', 'CLOSE', 'UDP'];

function generate(rows: number): { lnc: string; proc: string } {
  const lnc = ['IPVS connection entries', 'pro expire state       source             virtual            destination'];
  const proc = ['Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData'];
  const vip = 0x0a01000a;
  for (let i = 0; i < rows; i++) {
    const client = 0x0a640000 + (i % 50_000); // 50,000 distinct clients
    const cport = 1024 + (i % 60_000);
    const dest = 0x0a020000 + 11 + (i % 8);
    const state = STATES[i % STATES.length] as string;
    const proto = state === 'UDP' ? 'UDP' : 'TCP';
    const vport = proto === 'UDP' ? 53 : 80;
    const exp = (i * 7) % 900;
    const src = `${ip(client)}:${cport}`;
    lnc.push(
      `${proto} ${String(Math.floor(exp / 60)).padStart(2, '0')}:${String(exp % 60).padStart(2, '0')}  ${state.padEnd(11)} ${src.padEnd(18)} ${`${ip(vip)}:${vport}`.padEnd(18)} ${ip(dest)}:${vport}`,
    );
    proc.push(
      `${proto} ${hex(client, 8)} ${hex(cport, 4)} ${hex(vip, 8)} ${hex(vport, 4)} ${hex(dest, 8)} ${hex(vport, 4)} ${state.padEnd(11)} ${String(exp).padStart(7)}`,
    );
  }
  return { lnc: lnc.join('\n') + '\n', proc: proc.join('\n') + '\n' };
}

/** What a first version would write: split lines, split fields, one object per row. */
function naiveLnc(text: string) {
  return text
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const [protocol, expire, state, source, virtual, destination] = l.trim().split(/\s+/) as string[];
      const [m, s] = (expire as string).split(':').map(Number) as [number, number];
      const ep = (x: string) => {
        const i = x.lastIndexOf(':');
        return [x.slice(0, i), Number(x.slice(i + 1))] as const;
      };
      const [clientAddress, clientPort] = ep(source as string);
      const [virtualAddress, virtualPort] = ep(virtual as string);
      const [destAddress, destPort] = ep(destination as string);
      return {
        protocol: (protocol as string).toLowerCase(),
        state,
        expires: m * 60 + s,
        clientAddress,
        clientPort,
        virtualAddress,
        virtualPort,
        destAddress,
        destPort,
        template: clientPort === 0,
      };
    });
}

function naiveProc(text: string) {
  const addr = (h: string) => ip(parseInt(h, 16) >>> 0);
  return text
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const [protocol, fa, fp, ta, tp, da, dp, state, expires] = l.trim().split(/\s+/) as string[];
      const clientPort = parseInt(fp as string, 16);
      return {
        protocol: (protocol as string).toLowerCase(),
        state,
        expires: Number(expires),
        clientAddress: addr(fa as string),
        clientPort,
        virtualAddress: addr(ta as string),
        virtualPort: parseInt(tp as string, 16),
        destAddress: addr(da as string),
        destPort: parseInt(dp as string, 16),
        template: clientPort === 0,
      };
    });
}

function measure<T>(fn: () => T): { ms: number; bytes: number; result: T } {
  gc?.();
  gc?.();
  const before = process.memoryUsage();
  const t = performance.now();
  const result = fn();
  const ms = performance.now() - t;
  gc?.();
  gc?.();
  const after = process.memoryUsage();
  const bytes = after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers;
  return { ms, bytes, result };
}

function bestOf<T>(n: number, fn: () => T) {
  let best: ReturnType<typeof measure<T>> | undefined;
  for (let i = 0; i < n; i++) {
    const m = measure(fn);
    if (!best || m.ms < best.ms) best = { ...m, bytes: best ? Math.min(best.bytes, m.bytes) : m.bytes };
  }
  return best as ReturnType<typeof measure<T>>;
}

const { lnc, proc } = generate(ROWS);
const out: Record<string, unknown> = { rows: ROWS, node: process.version };
for (const [name, text, ours, naive] of [
  ['lnc', lnc, () => parseConnList(lnc), () => naiveLnc(lnc)],
  ['proc', proc, () => parseProcConns(proc), () => naiveProc(proc)],
] as const) {
  const o = bestOf(3, ours);
  const n = bestOf(3, naive);
  const rows = (o.result as { length: number }).length;
  if (rows !== ROWS || (n.result as unknown[]).length !== ROWS)
    throw new Error(`${name}: parsed ${rows} rows of ${ROWS}`);
  // same answers: spot-check rows across the table
  for (const i of [0, 1, ROWS >> 1, ROWS - 1]) {
    const a = JSON.stringify((o.result as { row(i: number): unknown }).row(i));
    const b = JSON.stringify((n.result as unknown[])[i]);
    if (a !== b) throw new Error(`${name}: row ${i} differs: ${a} vs ${b}`);
  }
  const r = {
    inputMB: +(Buffer.byteLength(text) / 1e6).toFixed(1),
    oursMs: Math.round(o.ms),
    naiveMs: Math.round(n.ms),
    timeRatio: +(o.ms / n.ms).toFixed(3),
    oursBytesPerRow: Math.round(o.bytes / ROWS),
    naiveBytesPerRow: Math.round(n.bytes / ROWS),
    memoryRatio: +(o.bytes / n.bytes).toFixed(3),
  };
  out[name] = r;
  console.log(
    `parse ${name}: ${ROWS} rows (${r.inputMB} MB): ours ${r.oursMs} ms vs naive ${r.naiveMs} ms = ${r.timeRatio}x (target <= 0.4); ` +
      `held ${r.oursBytesPerRow} B/row vs ${r.naiveBytesPerRow} B/row = ${r.memoryRatio}x (target <= 150 B/row)`,
  );
}
console.log(JSON.stringify({ bench: 'parse', ...out }));
