// Lab bench (inside the lab VM, as root): edit latency through the agent's socket (request -> kernel applied ->
// re-read -> confirmed reply) over 100 weight changes, and kernel change (ipvsadm by hand) -> delta at a subscribed
// client over 20 changes. Prints p50/p95 and each against the tick.
import { execFileSync } from 'node:child_process';
import { io as connect } from 'socket.io-client';
import type { Ack, AgentClientEvents, AgentServerEvents, EditOutcome } from '../lib/events';
import { applyDelta, type TableState } from '../lib/ipvs';
import { createAgent } from '../server/agent/agent';
import { IpvsadmBackend } from '../server/agent/ipvsadm-backend';
import { createAgentServer } from '../server/agent/serve';
import type { Socket } from 'socket.io-client';

const TICK = 1000;
const VIP = '10.1.0.10';
const ipvsadm = (...a: string[]) => execFileSync('ipvsadm', a);
ipvsadm('-C'); // bench set-up only
ipvsadm('-A', '-t', `${VIP}:80`, '-s', 'wrr');
ipvsadm('-a', '-t', `${VIP}:80`, '-r', '10.2.0.11:80', '-m', '-w', '1');
ipvsadm('-a', '-t', `${VIP}:80`, '-r', '10.2.0.12:80', '-m', '-w', '3');

const agent = createAgent({ backend: new IpvsadmBackend(), tickMs: TICK });
await agent.start();
const server = createAgentServer({ agent, token: 'bench-token-0123456789', backendName: 'ipvsadm', tickMs: TICK });
const port = await server.listen(0);
const s: Socket<AgentServerEvents, AgentClientEvents> = connect(`http://127.0.0.1:${port}`, {
  extraHeaders: { authorization: 'Bearer bench-token-0123456789' },
  transports: ['websocket'],
});
const snap = (await s.timeout(30_000).emitWithAck('table:subscribe')) as Ack<TableState>;
if (!snap.ok) throw new Error(snap.error.message);
let state = snap.data;
const waiters: (() => void)[] = [];
s.on('table:delta', (d) => {
  state = applyDelta(state, d);
  for (const w of waiters.splice(0)) w();
});

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] as number;
const edits: number[] = [];
for (let i = 0; i < 100; i++) {
  const t = performance.now();
  const r = (await s.timeout(30_000).emitWithAck('edit', {
    epoch: state.epoch,
    version: state.version,
    edit: {
      kind: 'set-weight',
      service: { protocol: 'tcp', address: VIP, port: 80 },
      destination: { address: '10.2.0.11', port: 80 },
      weight: (i % 9) + 1,
    },
  })) as Ack<EditOutcome>;
  if (!r.ok || !r.data.confirmed) throw new Error(`edit ${i} failed: ${JSON.stringify(r)}`);
  edits.push(performance.now() - t);
}
const external: number[] = [];
for (let i = 0; i < 20; i++) {
  const w = 10 + i;
  const seen = new Promise<number>((resolve) => {
    const check = () =>
      state.services[0]?.destinations.find((d) => d.address === '10.2.0.12')?.weight === w
        ? resolve(performance.now())
        : waiters.push(check);
    waiters.push(check);
  });
  const t = performance.now();
  ipvsadm('-e', '-t', `${VIP}:80`, '-r', '10.2.0.12:80', '-m', '-w', String(w));
  external.push((await seen) - t);
}
const r = {
  tickMs: TICK,
  editP50Ms: Math.round(pct(edits, 50)),
  editP95Ms: Math.round(pct(edits, 95)),
  kernelToClientP50Ms: Math.round(pct(external, 50)),
  kernelToClientP95Ms: Math.round(pct(external, 95)),
};
console.log(
  `lab-latency: weight edit applied+confirmed p50 ${r.editP50Ms} ms, p95 ${r.editP95Ms} ms; hand edit -> client p50 ${r.kernelToClientP50Ms} ms, p95 ${r.kernelToClientP95Ms} ms (${(r.kernelToClientP95Ms / TICK).toFixed(2)} ticks)`,
);
console.log(JSON.stringify({ bench: 'lab-latency', ...r }));
s.close();
agent.stop();
await server.close();
ipvsadm('-C');
process.exit(0);
