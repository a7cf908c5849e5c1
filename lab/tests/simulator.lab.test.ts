// The simulated director against the real kernel on the same input: the same ipvsadm commands go to both, the same
// clients connect to both, and where each connection went must agree. Covers the wrr split and order, sh's mapping
// per client, mh's (the kernel's hsiphash) per client, lc/wlc under held connections, and persistence templates with
// their expiry.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseProcConns } from '../../lib/ipvs';
import { SimulatedDirector } from '../../server/agent/simulator/director';
import { VIP, clearTable, clientAddress, eventually, fetchMany, ipvsadm, procConnText } from './kernel';

/** The lab's real servers answer with their names. */
const ADDRESS: Record<string, string> = { nat1: '10.2.0.11', nat2: '10.2.0.12', dr1: '10.1.0.21', dr2: '10.1.0.22' };

let sim: SimulatedDirector;
let clock = 0;
const removers: (() => void)[] = [];
let held: ChildProcess | undefined;

/** The same ipvsadm command on the kernel and on the simulator; both must accept it. */
async function both(...args: string[]): Promise<void> {
  ipvsadm(...args);
  const r = await sim.run(args);
  expect(r.stderr, `simulator: ipvsadm ${args.join(' ')}`).toBe('');
}

function simPick(id: string, client: string, clientPort: number, holdMs = 50): string {
  const d = sim.connect(id, { client, clientPort, holdMs });
  if (typeof d === 'string') throw new Error(`simulator: ${d}`);
  return d.address;
}

const from = (address: string) => {
  removers.push(clientAddress(address));
  return address;
};

beforeEach(() => {
  clearTable();
  clock = Date.now();
  sim = new SimulatedDirector({ load: { rate: 0 }, now: () => clock });
});
afterEach(() => {
  held?.kill();
  held = undefined;
  for (const r of removers.splice(0)) r();
  ipvsadm('--set', '900', '120', '300');
});

describe('simulator vs kernel', () => {
  it('wrr 1:3: the same real server for each of 12 connections, in the same order', async () => {
    await both('-A', '-t', `${VIP}:80`, '-s', 'wrr');
    await both('-a', '-t', `${VIP}:80`, '-r', '10.2.0.11:80', '-m', '-w', '1');
    await both('-a', '-t', `${VIP}:80`, '-r', '10.2.0.12:80', '-m', '-w', '3');
    const client = from('10.1.0.180');
    const kernel = fetchMany(`http://${VIP}:80/`, 12, client).map((name) => ADDRESS[name]);
    const simulated = kernel.map((_, i) => simPick(`tcp/${VIP}:80`, client, 20_000 + i));
    expect(simulated).toEqual(kernel);
    expect(kernel.filter((a) => a === '10.2.0.11')).toHaveLength(3);
  });

  it('sh: each client maps to the same real server on both, and keeps it', async () => {
    await both('-A', '-t', `${VIP}:80`, '-s', 'sh');
    await both('-a', '-t', `${VIP}:80`, '-r', '10.2.0.11:80', '-m', '-w', '1');
    await both('-a', '-t', `${VIP}:80`, '-r', '10.2.0.12:80', '-m', '-w', '3');
    const clients = Array.from({ length: 8 }, (_, i) => from(`10.1.0.${181 + i}`));
    const kernel = clients.map((c) => {
      const names = fetchMany(`http://${VIP}:80/`, 2, c);
      expect(new Set(names).size, `kernel kept ${c} on one real server`).toBe(1);
      return ADDRESS[names[0] ?? ''];
    });
    const simulated = clients.map((c, i) => simPick(`tcp/${VIP}:80`, c, 30_000 + i));
    expect(simulated).toEqual(kernel);
  });

  // mh hashes with the kernel's keyed hsiphash: the simulator must land every client where the kernel does, for a
  // weighted table and again after a weight change rebuilds it.
  it('mh: each client maps to the same real server on both, before and after a weight change', async () => {
    await both('-A', '-t', `${VIP}:80`, '-s', 'mh', '-b', 'mh-fallback');
    await both('-a', '-t', `${VIP}:80`, '-r', '10.2.0.11:80', '-m', '-w', '1');
    await both('-a', '-t', `${VIP}:80`, '-r', '10.2.0.12:80', '-m', '-w', '3');
    const clients = Array.from({ length: 8 }, (_, i) => from(`10.1.0.${193 + i}`));
    const picks = (port: number) =>
      clients.map((c, i) => {
        const names = fetchMany(`http://${VIP}:80/`, 2, c);
        expect(new Set(names).size, `kernel kept ${c} on one real server`).toBe(1);
        return { kernel: ADDRESS[names[0] ?? ''], simulated: simPick(`tcp/${VIP}:80`, c, port + i) };
      });
    const weighted = picks(50_000);
    expect(weighted.map((p) => p.simulated)).toEqual(weighted.map((p) => p.kernel));
    await both('-e', '-t', `${VIP}:80`, '-r', '10.2.0.11:80', '-m', '-w', '2');
    const reweighted = picks(51_000);
    expect(reweighted.map((p) => p.simulated)).toEqual(reweighted.map((p) => p.kernel));
  }, 360_000); // 32 requests, each a curl in the client namespace under TCG

  // A real server deleted and added again comes back from the kernel's trash with the connections still bound to it:
  // each scheduler gets real-server ports no earlier test of this file used, and checks they start idle.
  it.each([
    ['lc', 443],
    ['wlc', 80],
  ] as const)('%s: the same picks while earlier connections are held open', async (scheduler, port) => {
    await both('-A', '-t', `${VIP}:80`, '-s', scheduler);
    await both('-a', '-t', `${VIP}:80`, '-r', `10.2.0.11:${port}`, '-m', '-w', '1');
    await both('-a', '-t', `${VIP}:80`, '-r', `10.2.0.12:${port}`, '-m', '-w', '3');
    if (port === 443)
      expect(
        ipvsadm('-Ln')
          .match(/Masq\s+\d+\s+(\d+)\s+(\d+)/g)
          ?.map((l) => l.split(/\s+/).slice(2).join(' ')),
      ).toEqual(['0 0', '0 0']);
    const client = from(scheduler === 'lc' ? '10.1.0.190' : '10.1.0.191');
    const ports = await holdConnections(client, 6);
    const byPort = new Map(
      parseProcConns(procConnText())
        .toArray()
        .filter((c) => c.clientAddress === client && !c.template)
        .map((c) => [c.clientPort, c.destAddress]),
    );
    const kernel = ports.map((p) => byPort.get(p));
    const simulated = ports.map((p) => simPick(`tcp/${VIP}:80`, client, p, 600_000));
    expect(simulated).toEqual(kernel);
  });

  it('persistence: the template pins the client, counts down from -p, and goes once its connections are gone', async () => {
    await both('--set', '0', '5', '0'); // DR connections end in FIN_WAIT: 5 s, so only the template's timer is left
    // -p 30: under TCG four connections can take seconds; a short timeout could lapse before the tables are read
    await both('-A', '-t', `${VIP}:8080`, '-s', 'rr', '-p', '30');
    await both('-a', '-t', `${VIP}:8080`, '-r', '10.1.0.21:8080', '-g', '-w', '1');
    await both('-a', '-t', `${VIP}:8080`, '-r', '10.1.0.22:8080', '-g', '-w', '1');
    const client = from('10.1.0.192');
    const start = Date.now();
    const kernel = fetchMany(`http://${VIP}:8080/`, 4, client).map((n) => ADDRESS[n]);
    clock += Date.now() - start; // the kernel's template was last re-armed by the last of those connections
    const simulated = kernel.map((_, i) => simPick(`tcp/${VIP}:8080`, client, 40_000 + i));
    expect(new Set(kernel).size).toBe(1);
    expect(simulated).toEqual(kernel);
    const template = (rows: ReturnType<typeof parseProcConns>) =>
      rows.toArray().find((c) => c.template && c.clientAddress === client);
    const kt = template(parseProcConns(procConnText()));
    const st = template(await sim.readConnections());
    expect(st).toMatchObject({
      protocol: kt?.protocol,
      state: kt?.state,
      virtualPort: kt?.virtualPort,
      destAddress: kt?.destAddress,
      destPort: kt?.destPort,
    });
    expect(Math.abs((st?.expires ?? 0) - (kt?.expires ?? 0))).toBeLessThanOrEqual(2);
    // gone within 33 s (its -p 30 and a second): the kernel's is watched, the simulator's clock moved those 33 s
    await eventually(() => expect(template(parseProcConns(procConnText()))).toBeUndefined(), 33_000, 500);
    clock += 33_000;
    expect(template(await sim.readConnections())).toBeUndefined();
  });
});

/** Open `count` TCP connections to VIP:80 from `client`, one after another, and keep them open; their client ports. */
function holdConnections(client: string, count: number): Promise<number[]> {
  const script = `const net=require('net');const ports=[];const open=()=>{if(ports.length===${count}){console.log(JSON.stringify(ports));return}
const s=net.connect({host:'${VIP}',port:80,localAddress:'${client}'},()=>{ports.push(s.localPort);setTimeout(open,300)});s.on('error',e=>{console.error(e.message);process.exit(1)})};open();setInterval(()=>{},1e6)`;
  held = spawn('ip', ['netns', 'exec', 'client', process.execPath, '-e', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    held?.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('\n')) resolve(JSON.parse(out) as number[]);
    });
    held?.stderr?.on('data', (b: Buffer) => reject(new Error(b.toString())));
    held?.on('exit', (code) => reject(new Error(`holding connections exited ${code}`)));
  });
}
