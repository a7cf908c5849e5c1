// The checks themselves, from the director's own network stack: HTTP/HTTPS GET (Host, SNI, verification), TCP
// connect, a DNS query over UDP, and an external command (execFile, never a shell). Each one finishes by its timeout
// at the latest and never throws: it answers with a CheckResult.
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect, isIP } from 'node:net';
import { dnsAnswerHeader, dnsQuery, statusExpected, type CheckKind, type CheckResult } from '../../../lib/health';

export interface CheckTarget {
  address: string;
  port: number;
  sourceAddress?: string;
  timeoutMs: number;
  /** For the command check's environment. */
  service: string;
}

/** At most this much of a response body is read for bodyRegex. */
export const MAX_BODY = 64 * 1024;

type Outcome = { ok: true; weight?: number } | { ok: false; error: string };

/** Registers what stops a check's I/O when its time is up (a timer per check: AbortSignal costs more per call). */
type OnCancel = (stop: () => void) => void;

export async function runCheck(kind: CheckKind, t: CheckTarget, now: () => number = Date.now): Promise<CheckResult> {
  const started = performance.now();
  let stop: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => {
      resolve({ ok: false, error: `timed out after ${t.timeoutMs} ms` }); // first: the race takes this answer
      stop?.();
    }, t.timeoutMs);
  });
  let outcome: Outcome;
  try {
    outcome = await Promise.race([checkOnce(kind, t, (s) => (stop = s)), deadline]);
  } catch (e) {
    outcome = { ok: false, error: describe(e) };
  } finally {
    clearTimeout(timer);
  }
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  return outcome.ok
    ? { ok: true, at: now(), latencyMs, ...(outcome.weight !== undefined ? { weight: outcome.weight } : {}) }
    : { ok: false, at: now(), latencyMs, error: outcome.error };
}

function checkOnce(kind: CheckKind, t: CheckTarget, onCancel: OnCancel): Promise<Outcome> {
  switch (kind.type) {
    case 'http':
    case 'https':
      return httpCheck(kind, t, onCancel);
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

type HttpKind = Extract<CheckKind, { type: 'http' | 'https' }>;

function httpCheck(kind: HttpKind, t: CheckTarget, onCancel: OnCancel): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const host = kind.host ?? (isIP(t.address) === 6 ? `[${t.address}]` : t.address);
    const common = {
      host: t.address,
      port: t.port,
      path: kind.path,
      method: 'GET',
      headers: { host: kind.host ?? `${host}:${t.port}`, 'user-agent': 'lvs-agent-health', connection: 'close' },
      agent: false as const,
      ...(t.sourceAddress ? { localAddress: t.sourceAddress } : {}),
    };
    const onResponse = (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (!statusExpected(status, kind.status)) {
        res.destroy();
        return resolve({ ok: false, error: `HTTP ${status} ${res.statusMessage ?? ''}`.trim() });
      }
      if (kind.bodyRegex === undefined) {
        res.destroy();
        return resolve({ ok: true });
      }
      const pattern = new RegExp(kind.bodyRegex);
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        res.destroy();
        const body = Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8');
        resolve(
          pattern.test(body)
            ? { ok: true }
            : { ok: false, error: `HTTP ${status}: body does not match ${kind.bodyRegex}` },
        );
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= MAX_BODY) done();
      });
      res.on('end', done);
      res.on('error', reject);
    };
    const req =
      kind.type === 'https'
        ? httpsRequest(
            {
              ...common,
              rejectUnauthorized: kind.verifyTls,
              // SNI must be a name: without one given, the Host name when it is not an address
              ...(kind.sni ? { servername: kind.sni } : kind.host && !isIP(kind.host) ? { servername: kind.host } : {}),
            },
            onResponse,
          )
        : httpRequest(common, onResponse);
    req.on('error', reject);
    onCancel(() => req.destroy());
    req.end();
  });
}

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
