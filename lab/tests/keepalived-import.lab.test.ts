// A keepalived.conf with HTTP_GET and TCP_CHECK checkers against the lab's real servers: Debian's keepalived builds
// its table from it on the real kernel (captured with a separate ipvsadm, then keepalived stopped: it removes its own
// services, which is checked, never flushed), and the same file imported through the dashboard and the agent builds
// the same table and sets the same checks. Both also meet the same failure: one real server's HTTP server is stopped
// and started again, and the table (read with a separate ipvsadm) must change the same way, and come back the same,
// within the same bound in delay loops, under keepalived and under our checks. A third virtual server has a quorum
// and a sorry server: when the failure loses its quorum, keepalived takes the live real server out too and puts the
// sorry server in (ipwrapper.c update_quorum_state), and so must we.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthMonitor } from '../../server/agent/health/monitor';
import type { Dashboard } from '../../server/dashboard/create-dashboard';
import { VIP, clearTable, eventually, ipvsadm, ipvsadmAsync, savedLines, sh } from './kernel';
import { healthMonitor, startLabStack } from './lab-stack';

const TOKEN = 'lab-keepalived-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'keepalived-'));
const DELAY_LOOP_S = 2;
/** The real server whose HTTP server (port 80) is stopped: its :80 has an HTTP_GET (removed on failure), its :443 a
 * TCP_CHECK of port 80 with inhibit_on_failure (weight 0 on failure), so both checkers and both actions are met. */
const FAILING = '10.2.0.11';
/** The quorum's sorry server: no namespace answers there, only the table is compared. */
const SORRY = '10.2.0.29';
const CONF = `global_defs {
    router_id lab
}

virtual_server ${VIP} 80 {
    delay_loop ${DELAY_LOOP_S}
    lvs_sched wrr
    lvs_method NAT
    protocol TCP
    real_server ${FAILING} 80 {
        weight 1
        HTTP_GET {
            url {
                path /
                status_code 200
            }
            connect_timeout 2
        }
    }
    real_server 10.2.0.12 80 {
        weight 3
        HTTP_GET {
            url {
                path /
            }
            connect_timeout 2
        }
    }
}

virtual_server ${VIP} 443 {
    delay_loop ${DELAY_LOOP_S}
    lvs_sched rr
    lvs_method NAT
    protocol TCP
    persistence_timeout 60
    real_server ${FAILING} 443 {
        weight 2
        inhibit_on_failure
        TCP_CHECK {
            connect_port 80
            connect_timeout 2
        }
    }
    real_server 10.2.0.12 443 {
        TCP_CHECK {
            connect_timeout 2
            retry 2
        }
    }
}

virtual_server ${VIP} 8080 {
    delay_loop ${DELAY_LOOP_S}
    lvs_sched wrr
    lvs_method NAT
    protocol TCP
    quorum 2
    sorry_server ${SORRY} 80
    real_server ${FAILING} 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 2
        }
    }
    real_server 10.2.0.12 80 {
        weight 1
        TCP_CHECK {
            connect_timeout 2
        }
    }
}
`;
/** How long a change of the table may take, in delay loops. keepalived 2.2.7, stop: the next check comes within a
 * delay loop, the failing real server is taken out after retry (1) more failed check delay_before_retry later (HTTP_GET
 * 3 s = 1.5 loops, TCP_CHECK 1 s): at most 2.5 loops. Start: a failed HTTP_GET is rechecked every max(delay loop,
 * delay_before_retry) = 1.5 loops and needs 2 good checks a delay loop apart (check_http.c's epilog): at most 2.5
 * loops; TCP_CHECK 1 loop. Our checks: the same or less, plus the agent's ipvsadm (measured under TCG: ours took up to
 * 1.1 loops more than keepalived, 6.6 s against 4.4 s to stop). 1.5 loops more for the emulated CPU. */
const BOUND_LOOPS = 5;

const started = Date.now();
const step = (what: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);

const run = promisify(execFile);
/** The table as savedLines gives it, read without blocking the event loop our own checks run on (the 100 ms polls
 * below). */
const tableNow = async () => new Set((await ipvsadmAsync('-Sn')).split('\n').filter(Boolean));

/** keepalived's table after FAILING's HTTP server stopped: its :80 removed, its inhibited :443 at weight 0; the
 * quorum of :8080 lost (weight 1 of 2 left), so its other real server leaves too and the sorry server answers. */
function failedTable(built: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const line of built) {
    if (line.includes(` -r ${FAILING}:80 `) || line.startsWith(`-a -t ${VIP}:8080 `)) continue;
    out.add(line.includes(` -r ${FAILING}:443 `) ? line.replace(/ -w \d+/, ' -w 0') : line);
  }
  out.add(`-a -t ${VIP}:8080 -r ${SORRY}:80 -m -w 1`);
  return out;
}

/**
 * Run `topology rs ACTION FAILING`, then poll the table (a separate ipvsadm, every 100 ms) until it is `to`, at most
 * BOUND_LOOPS delay loops. Returns, for each line that changes, the seconds until it did, and the total.
 */
async function rsChange(action: 'stop' | 'start', from: Set<string>, to: Set<string>, who: string) {
  const changing = [...from].filter((l) => !to.has(l)).map((l) => `-${l}`);
  changing.push(...[...to].filter((l) => !from.has(l)).map((l) => `+${l}`));
  // not execFileSync: our checks run on this event loop, and a check blocked past its timeout fails (seen under TCG)
  await run('sh', [join(__dirname, '..', 'topology'), 'rs', action, FAILING]);
  const t0 = Date.now();
  const at = new Map<string, number>();
  let now = from;
  const deadline = t0 + BOUND_LOOPS * DELAY_LOOP_S * 1000;
  while (Date.now() < deadline) {
    now = await tableNow();
    const s = (Date.now() - t0) / 1000;
    for (const c of changing) if (!at.has(c) && now.has(c.slice(1)) === c.startsWith('+')) at.set(c, s);
    if (at.size === changing.length && now.size === to.size) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const total = (Date.now() - t0) / 1000;
  console.log(
    `${who}, rs ${action} ${FAILING}: the table as expected after ${total.toFixed(1)} s (${(total / DELAY_LOOP_S).toFixed(1)} delay loops; bound ${BOUND_LOOPS})\n` +
      changing.map((c) => `  ${at.has(c) ? `${at.get(c)?.toFixed(1)} s` : 'never'}: ${c}`).join('\n'),
  );
  expect(now, `${who}, ${BOUND_LOOPS} delay loops after rs ${action} ${FAILING}`).toEqual(to);
  return total;
}

function stopped(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

let health: HealthMonitor | undefined;
let close: (() => Promise<void>) | undefined;
let dashboard: Dashboard | undefined;
let keepalived: ChildProcess | undefined;

beforeAll(() => {
  clearTable(); // keepalived runs on an empty table (the test's own reset, before anything of keepalived's)
  writeFileSync(join(dir, 'keepalived.conf'), CONF);
});

afterAll(async () => {
  if (keepalived && keepalived.exitCode === null) keepalived.kill('SIGTERM');
  sh('sh', [join(__dirname, '..', 'topology'), 'rs', 'start', FAILING]); // idempotent: after a failed test too
  health?.stop();
  await close?.();
});

describe("keepalived.conf import on the real kernel, against keepalived's own table and checks", () => {
  it('imported through the dashboard, the file builds the table keepalived builds from it, and meets a failure the same way', async () => {
    const log: string[] = [];
    keepalived = spawn(
      'keepalived',
      [
        '-n',
        '-l',
        '-D',
        '-f',
        join(dir, 'keepalived.conf'),
        '-p',
        join(dir, 'k.pid'),
        '-c',
        join(dir, 'c.pid'),
        '-r',
        join(dir, 'v.pid'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    keepalived.stdout?.on('data', (b: Buffer) => log.push(b.toString()));
    keepalived.stderr?.on('data', (b: Buffer) => log.push(b.toString()));
    // keepalived adds each virtual server with its real servers up until the checkers say otherwise
    await eventually(() => expect(savedLines().size, log.join('')).toBe(9), 20_000, 200);
    const built = savedLines();
    step('keepalived built its table');
    console.log(`keepalived built:\n${[...built].join('\n')}`);
    // each checker starts at a random time within its delay loop: all six have passed once before the failure
    // (check_http.c logs "succeed on service", check_tcp.c "success" on a first pass)
    await eventually(
      () => expect(log.join('').match(/succeed on service|TCP connection to .* success/g)?.length).toBe(6),
      3 * DELAY_LOOP_S * 1000,
      200,
    ).catch(() => console.log(`keepalived's first passes not all logged:\n${log.join('')}`));
    expect(savedLines()).toEqual(built);
    step("keepalived's checkers all passed once");

    const failed = failedTable(built);
    const keepalivedDown = await rsChange('stop', built, failed, 'keepalived');
    const keepalivedFailed = savedLines();
    const keepalivedUp = await rsChange('start', failed, built, 'keepalived');
    step('keepalived met the failure');

    keepalived.kill('SIGTERM');
    await stopped(keepalived);
    // keepalived removes the services it added when it stops: nothing of it is left for our import to meet
    await eventually(() => expect(ipvsadm('-Sn')).toBe(''), 10_000, 200);
    step('keepalived stopped and removed its services');

    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const stack = await startLabStack({ token: TOKEN, health: healthMonitor(quiet, (h) => (health = h)) });
    ({ dashboard, close } = stack);
    await eventually(() => expect(dashboard?.hub.link('lab')?.state).toBeTruthy(), 30_000);

    step('dashboard and agent up');
    const importStart = Date.now();
    const res = await stack.api('/api/v1/directors/lab/import/keepalived', { body: { config: CONF } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ checksError: null });
    expect(savedLines()).toEqual(built);
    const importS = (Date.now() - importStart) / 1000;
    step(`imported in ${importS.toFixed(1)} s: the same table`);

    // the same checks keepalived ran: HTTP GET / and TCP connects every 2 s, the failing one's TCP to its port 80
    const checks = health?.getConfig().config.services.map((s) => s.destinations.map((d) => d.check));
    expect(checks?.map((ds) => ds.map((c) => [c.check.type, c.rise, c.fall, c.onFailure, c.port]))).toEqual([
      [
        ['http', 2, 2, 'remove', undefined],
        ['http', 2, 2, 'remove', undefined],
      ],
      [
        ['tcp', 1, 2, 'quiesce', 80],
        ['tcp', 1, 3, 'remove', undefined],
      ],
      [
        ['tcp', 1, 2, 'remove', undefined],
        ['tcp', 1, 2, 'remove', undefined],
      ],
    ]);
    expect(health?.getConfig().config.services[2]).toMatchObject({
      sorryServer: { address: SORRY, port: 80, weight: 1 },
      quorum: { minWeight: 2 },
    });
    await eventually(
      () =>
        expect(
          health
            ?.view()
            .rows.map((r) => `${r.service} ${r.destination} ${r.status}`)
            .sort(),
        ).toEqual([
          `tcp/${VIP}:443 10.2.0.11:443 up`,
          `tcp/${VIP}:443 10.2.0.12:443 up`,
          `tcp/${VIP}:80 10.2.0.11:80 up`,
          `tcp/${VIP}:80 10.2.0.12:80 up`,
          `tcp/${VIP}:8080 10.2.0.11:80 up`,
          `tcp/${VIP}:8080 10.2.0.12:80 up`,
        ]),
      15_000,
    );
    expect(savedLines()).toEqual(built);
    step('our checks see all six real servers up');

    const oursDown = await rsChange('stop', built, keepalivedFailed, 'ours');
    const oursUp = await rsChange('start', keepalivedFailed, built, 'ours');
    step('our checks met the failure');
    const transitions = health?.journalSince(0).filter((e) => e.kind === 'transition') ?? [];
    console.log(transitions.map((e) => `${e.service} ${e.destination}: ${e.from} -> ${e.to}, ${e.reason}`).join('\n'));
    // HTTP_GET comes back on the second good check, as keepalived's does (:8080's TCP_CHECK of the same one on the first)
    const back = (service: string) =>
      transitions.find((e) => e.service === service && e.destination === `${FAILING}:80` && e.to === 'up')?.reason;
    expect(back(`tcp/${VIP}:80`)).toMatch(/rise 2/);
    expect(back(`tcp/${VIP}:8080`)).toMatch(/rise 1/);
    console.log(
      `rs stop / start ${FAILING}, seconds until the table was as expected (delay loop ${DELAY_LOOP_S} s): ` +
        `keepalived ${keepalivedDown.toFixed(1)} / ${keepalivedUp.toFixed(1)}, ours ${oursDown.toFixed(1)} / ${oursUp.toFixed(1)}; ` +
        `the import request took ${importS.toFixed(1)} s of the test's ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }, 300_000);
});
