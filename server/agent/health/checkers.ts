// The checks themselves, from the director's own network stack: HTTP/HTTPS GET (Host, SNI, verification), TCP
// connect (by the tcp-probe helper when it is there: tcp-probe.ts), a DNS query over UDP, and an external command
// (execFile, never a shell). Each one finishes by its timeout at the latest and never throws: it answers with a
// CheckResult.
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect, isIP } from 'node:net';
import { dnsAnswerHeader, dnsQuery, type CheckKind, type CheckResult } from '../../../lib/health';
import { HttpConnections, type Outcome } from './http-check';
import { tcpProber, type TcpProber } from './tcp-probe';

export interface CheckTarget {
  address: string;
  port: number;
  sourceAddress?: string;
  timeoutMs: number;
  /** For the command check's environment. */
  service: string;
}

/** Registers what stops a check's I/O when its time is up (a timer per check: AbortSignal costs more per call). */
type OnCancel = (stop: () => void) => void;

export function runCheck(
  kind: CheckKind,
  t: CheckTarget,
  now: () => number = Date.now,
  prober: TcpProber = tcpProber(),
): Promise<CheckResult> {
  // the helper keeps its own time limit; a probe it could not answer is checked again here
  if (kind.type === 'tcp' && prober.ready()) return prober.probe(t, now, () => checkInTime(kind, t, now));
  return checkInTime(kind, t, now);
}

function checkInTime(kind: CheckKind, t: CheckTarget, now: () => number): Promise<CheckResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let stop: (() => void) | undefined;
    let finished = false;
    const finish = (outcome: Outcome) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      const latencyMs = Math.round((performance.now() - started) * 10) / 10;
      if (!outcome.ok) return resolve({ ok: false, at: now(), latencyMs, error: outcome.error });
      const result: CheckResult = { ok: true, at: now(), latencyMs };
      if (outcome.weight !== undefined) result.weight = outcome.weight;
      resolve(result);
    };
    const timer = setTimeout(() => {
      finish({ ok: false, error: `timed out after ${t.timeoutMs} ms` }); // first: this is the answer
      stop?.();
    }, t.timeoutMs);
    checkOnce(kind, t, (s) => (stop = s)).then(finish, (e: unknown) => finish({ ok: false, error: describe(e) }));
  });
}

function checkOnce(kind: CheckKind, t: CheckTarget, onCancel: OnCancel): Promise<Outcome> {
  switch (kind.type) {
    case 'http':
    case 'https':
      return httpConnections.check(kind, t, onCancel);
    case 'tcp':
      return tcpCheck(t, onCancel);
    case 'dns':
      return dnsCheck(kind, t, onCancel);
    case 'command':
      return commandCheck(kind, t, onCancel);
    case 'none':
      return Promise.resolve({ ok: true });
  }
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'timed out';
  return (err?.message ?? String(e)).slice(0, 500);
}

/** HTTP(S) checks keep their connection to a real server between checks (http-check.ts). */
const httpConnections = new HttpConnections();

function tcpCheck(t: CheckTarget, onCancel: OnCancel): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: t.address,
      port: t.port,
      ...(t.sourceAddress ? { localAddress: t.sourceAddress } : {}),
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ok: true });
    });
    socket.once('error', reject);
    onCancel(() => socket.destroy());
  });
}

type DnsKind = Extract<CheckKind, { type: 'dns' }>;

function dnsCheck(kind: DnsKind, t: CheckTarget, onCancel: OnCancel): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = createSocket(isIP(t.address) === 6 ? 'udp6' : 'udp4');
    const id = Math.floor(Math.random() * 0x10000);
    let open = true;
    const finish = (o: Outcome | Error) => {
      if (!open) return;
      open = false;
      socket.close();
      if (o instanceof Error) reject(o);
      else resolve(o);
    };
    onCancel(() => finish(new Error('timed out')));
    socket.on('error', (e) => finish(e));
    socket.on('message', (msg, from) => {
      const h = dnsAnswerHeader(msg);
      // only the answer to our query, from the address we asked
      if (!h || !h.response || h.id !== id || from.port !== t.port) return;
      finish(
        (kind.rcode as string[]).includes(h.rcodeName)
          ? { ok: true }
          : { ok: false, error: `DNS ${h.rcodeName} for ${kind.name} ${kind.queryType}` },
      );
    });
    const send = () => socket.send(dnsQuery(id, kind.name, kind.queryType), t.port, t.address);
    if (t.sourceAddress) socket.bind({ address: t.sourceAddress, port: 0 }, send);
    else send();
  });
}

type CommandKind = Extract<CheckKind, { type: 'command' }>;

function commandCheck(kind: CommandKind, t: CheckTarget, onCancel: OnCancel): Promise<Outcome> {
  const [file, ...args] = kind.argv as [string, ...string[]];
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      {
        maxBuffer: 64 * 1024,
        killSignal: 'SIGKILL',
        env: {
          PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
          LVS_RS_ADDRESS: t.address,
          LVS_RS_PORT: String(t.port),
          LVS_SERVICE: t.service,
        } as Partial<NodeJS.ProcessEnv> as NodeJS.ProcessEnv,
      },
      (err, stdout, stderr) => {
        if (err) {
          const code = (err as { code?: unknown }).code;
          const why = typeof code === 'number' ? `exit status ${code}` : describe(err);
          const said = String(stderr).trim().split('\n')[0]?.slice(0, 200);
          return resolve({ ok: false, error: `${file}: ${why}${said ? `: ${said}` : ''}` });
        }
        if (!kind.dynamicWeight) return resolve({ ok: true });
        const first = String(stdout).trim().split('\n')[0] ?? '';
        const weight = /^\d{1,5}$/.test(first) ? Number(first) : NaN;
        if (!(weight <= 65535))
          return resolve({
            ok: false,
            error: `${file}: expected a weight 0..65535 on its first line, got "${first.slice(0, 40)}"`,
          });
        resolve({ ok: true, weight });
      },
    );
    onCancel(() => child.kill('SIGKILL'));
  });
}
