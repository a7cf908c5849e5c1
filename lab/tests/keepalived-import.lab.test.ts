// A keepalived.conf with HTTP_GET and TCP_CHECK checkers against the lab's real servers: Debian's keepalived builds
// its table from it on the real kernel (captured with a separate ipvsadm, then keepalived stopped: it removes its own
// services, which is checked, never flushed), and the same file imported through the dashboard and the agent builds
// the same table and sets the same checks.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthMonitor } from '../../server/agent/health/monitor';
import { HealthStore } from '../../server/agent/health/store';
import type { Dashboard } from '../../server/dashboard/create-dashboard';
import { VIP, clearTable, eventually, ipvsadm } from './kernel';
import { startLabStack } from './lab-stack';

const TOKEN = 'lab-keepalived-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'keepalived-'));
const CONF = `global_defs {
    router_id lab
}

virtual_server ${VIP} 80 {
    delay_loop 2
    lvs_sched wrr
    lvs_method NAT
    protocol TCP
    real_server 10.2.0.11 80 {
        weight 1
        HTTP_GET {
            url {
                path /
                status_code 200
            }
            connect_timeout 1
        }
    }
    real_server 10.2.0.12 80 {
        weight 3
        HTTP_GET {
            url {
                path /
            }
            connect_timeout 1
        }
    }
}

virtual_server ${VIP} 443 {
    delay_loop 2
    lvs_sched rr
    lvs_method NAT
    protocol TCP
    persistence_timeout 60
    real_server 10.2.0.11 443 {
        weight 2
        TCP_CHECK {
            connect_timeout 1
        }
    }
    real_server 10.2.0.12 443 {
        TCP_CHECK {
            connect_timeout 1
            retry 2
        }
    }
}
`;

const started = Date.now();
const step = (what: string) => console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);

/** The table without counters, as a set of lines. */
const table = () => new Set(ipvsadm('-Sn').split('\n').filter(Boolean));

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
  health?.stop();
  await close?.();
});

describe("keepalived.conf import on the real kernel, against keepalived's own table", () => {
  it('imported through the dashboard, the file builds the table keepalived builds from it', async () => {
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
    await eventually(() => expect(table().size, log.join('')).toBe(6), 20_000, 200);
    const built = table();
    step('keepalived built its table');
    console.log(`keepalived built:\n${[...built].join('\n')}`);
    keepalived.kill('SIGTERM');
    await stopped(keepalived);
    // keepalived removes the services it added when it stops: nothing of it is left for our import to meet
    await eventually(() => expect(ipvsadm('-Sn')).toBe(''), 10_000, 200);
    step('keepalived stopped and removed its services');

    const stateDir = mkdtempSync(join(tmpdir(), 'health-'));
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const stack = await startLabStack({
      token: TOKEN,
      health: (agent) => {
        health = new HealthMonitor({ agent, store: new HealthStore(stateDir), logger: quiet });
        health.start();
        return health;
      },
    });
    ({ dashboard, close } = stack);
    await eventually(() => expect(dashboard?.hub.link('lab')?.state).toBeTruthy(), 30_000);

    step('dashboard and agent up');
    const res = await stack.api('/api/v1/directors/lab/import/keepalived', { body: { config: CONF } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ checksError: null });
    expect(table()).toEqual(built);
    step('imported: the same table');

    // the same checks keepalived ran: HTTP GET / and TCP connects every 2 s, all four real servers seen up
    expect(health?.getConfig().config.services.map((s) => s.destinations.map((d) => d.check.check.type))).toEqual([
      ['http', 'http'],
      ['tcp', 'tcp'],
    ]);
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
        ]),
      15_000,
    );
    expect(table()).toEqual(built);
    step('our checks see all four real servers up');
    // TCG on a loaded host: the import worker's first start alone took over a minute in a run of 2026-11-30
  }, 300_000);
});
