// The simulated director's control surface, for tests and benches that must drive what a kernel cannot be made to do
// on demand. Off unless `lvs-agent serve --simulated --control-port N` asks for it, and only ever on 127.0.0.1; it
// needs no token, so it never listens elsewhere. JSON answers; bodies are small and bounded.
//   GET  /health          {ok, agentUrl, serving, paused}
//   GET  /state           the table as the director holds it (services, timeouts, sync daemons), its version and
//                         the last 20 commands
//   POST /agent/stop      close the agent's server (dashboards see the director unreachable); /agent/start: listen
//                         again on the same port
//   POST /agent/restart   a new run of the agent over the same table: a new epoch, versions from v1 again
//   POST /agent/pause     stop reading the table (dashboards see it stale); /agent/resume
//   POST /fail-next       the next ipvsadm command fails with the body as the kernel's error text
//   POST /delay           every ipvsadm command takes the body's number of milliseconds
//   POST /conns-delay     every read of the connection table takes the body's number of milliseconds
//   POST /unreadable      body: JSON [{lineNumber, line, reason, service?}], listing lines the agent "cannot read"
//   POST /load            body: JSON part of the synthetic load ({rate, mix, longLived, clients})
//   POST /freeze          stop the simulated time: the tables hold still (no connection opens, ages or closes);
//                         /thaw: time runs on
//   POST /keepalived      body: a keepalived.conf: keepalived runs with it (the agent reports the services it owns);
//                         an empty body: keepalived does not run
//   POST /reset           the first table again (default timeouts, no sync daemon, no keepalived), every fault off,
//                         no health checks
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { ownershipOfConf } from '../keepalived-ownership';
import { LoadSettings } from './load';
import type { SimulatedAgent } from './simulated-agent';

const MAX_BODY = 64 * 1024;

const Millis = z.coerce.number().int().min(0, 'milliseconds, 0 or more').max(600_000, 'milliseconds, at most 600000');
const Unreadable = z.array(
  z.object({
    lineNumber: z.number().int().min(0),
    line: z.string().max(4096),
    reason: z.string().max(1024),
    service: z.string().max(256).optional(),
  }),
);

class BadRequest extends Error {}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = '';
    req.on('data', (c: Buffer) => {
      s += c.toString();
      if (s.length > MAX_BODY) {
        reject(new BadRequest(`body: at most ${MAX_BODY} bytes`));
        req.destroy();
      }
    });
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });
}

function parse<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let value: unknown = text;
  if (what !== 'milliseconds')
    try {
      value = JSON.parse(text || 'null');
    } catch {
      throw new BadRequest(`${what}: not JSON`);
    }
  const r = schema.safeParse(value);
  if (!r.success) throw new BadRequest(`${what}: ${r.error.issues[0]?.message ?? 'invalid'}`);
  return r.data;
}

/** The agent reads who else manages the table (keepalived) on its slow ticks only: read until its state says what the
 * director does, so a test sees the change at once (a slow tick comes within 10 reads; 32 at most). */
async function readOwners(sim: SimulatedAgent): Promise<void> {
  const d = sim.director;
  const want = JSON.stringify([d.owners, d.owners.includes('keepalived') ? d.keepalived : undefined]);
  const has = () => JSON.stringify([sim.agent.state?.owners ?? [], sim.agent.state?.keepalived]);
  for (let i = 0; i < 32 && has() !== want; i++) await sim.agent.refresh();
}

export async function startControl(
  sim: SimulatedAgent,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const d = sim.director;
  const routes: Record<string, (body: string) => Promise<unknown> | unknown> = {
    'GET /health': () => ({ ok: true, agentUrl: sim.url, serving: sim.serving, paused: sim.paused }),
    'GET /state': () => ({
      services: d.services,
      timeouts: d.timeouts,
      daemons: d.daemons,
      epoch: sim.agent.epoch,
      version: sim.agent.state?.version,
      log: d.log.slice(-20),
    }),
    'POST /agent/stop': async () => (await sim.stopServing(), { ok: true }),
    'POST /agent/start': async () => (await sim.startServing(), { ok: true, agentUrl: sim.url }),
    'POST /agent/restart': async () => (await sim.restart(), { ok: true, epoch: sim.agent.epoch }),
    'POST /agent/pause': () => (sim.pause(), { ok: true }),
    'POST /agent/resume': async () => (await sim.resume(), { ok: true }),
    'POST /fail-next': (b) => ((d.failNext = b || 'Memory allocation problem'), { ok: true }),
    'POST /delay': (b) => ((d.delayMs = parse(Millis, b || '0', 'milliseconds')), { ok: true }),
    'POST /conns-delay': (b) => ((d.connsDelayMs = parse(Millis, b || '0', 'milliseconds')), { ok: true }),
    'POST /unreadable': async (b) => {
      d.unreadable = parse(Unreadable, b || '[]', 'unreadable').map((p) => ({ ...p }));
      await sim.agent.refresh();
      return { ok: true };
    },
    'POST /load': (b) => ({ ok: true, load: d.setLoad(parse(LoadSettings.partial(), b, 'load')) }),
    'POST /freeze': () => (d.freeze(), { ok: true }),
    'POST /thaw': () => (d.thaw(), { ok: true }),
    'POST /keepalived': async (b) => {
      d.owners = b.trim() ? ['keepalived'] : [];
      d.keepalived = ownershipOfConf(b);
      await readOwners(sim);
      return { ok: true, keepalived: sim.agent.state?.keepalived ?? null };
    },
    'POST /reset': async () => {
      await sim.health.setConfig({ services: [] });
      d.reset();
      await sim.agent.refresh();
      await readOwners(sim);
      return { ok: true, version: sim.agent.state?.version };
    },
  };
  const server: Server = createServer((req, res) => {
    const reply = (status: number, data: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(data));
    const route = `${req.method} ${req.url?.split('?')[0]}`;
    const handler = routes[route];
    if (!handler) return reply(404, { error: `no route ${route}` });
    readBody(req)
      .then((body) => handler(body))
      .then(
        (data) => reply(200, data),
        (e: unknown) => reply(e instanceof BadRequest ? 400 : 500, { error: (e as Error).message }),
      );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
