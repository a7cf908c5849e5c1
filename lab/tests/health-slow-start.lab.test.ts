// Issue #14's slow start on the real kernel: a NAT real server (weight 8) whose HTTP server stops is quiesced (weight
// 0, read back with a separate ipvsadm); started again, after rise checks its weight climbs 2, 4, 6, 8 in the kernel,
// each step seen by polling the kernel, never above 8, and the audit shows each step's ipvsadm -e. A file of its own:
// it needs the dashboard (the audit) that health.lab does not start, and a weight and check of its own.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthRow } from '../../lib/health';
import type { HealthMonitor } from '../../server/agent/health/monitor';
import { createLogger } from '../../server/log';
import { VIP, clearTable, eventually, ipvsadm, ipvsadmAsync, listedDestination, sh } from './kernel';
import { healthMonitor, startLabStack, type LabStack } from './lab-stack';

const TOPOLOGY = join(__dirname, '..', 'topology');
const TOKEN = 'lab-slow-start-token-1234567';
const RS = '10.2.0.11';
const DEST = `${RS}:80`;
const SERVICE = `tcp/${VIP}:80`;
// a TCP connect check: the kernel's listen queue answers it, no busybox httpd fork per check as an HTTP check needs
const INTERVAL = 2000;
const TIMEOUT = 1900;
const RISE = 2;
const FALL = 2;
const WEIGHT = 8;
const STEPS = 4;
// a step is in the kernel up to ~4 s after it is due (the next reconcile, up to a second, then its ipvsadm -e and the
// confirming re-read, each up to ~2 s under TCG on a busy host) and a poll of the kernel takes up to ~2 s more: each
// step lasts 4 intervals, so it is seen before the next is due
const STEP_MS = 4 * INTERVAL;
const LATE = 3 * INTERVAL;
const RAMP = [2, 4, 6, 8];
let stack: LabStack;
let health: HealthMonitor;

const weightNow = async () => listedDestination(await ipvsadmAsync('-Ln', '-t', `${VIP}:80`), DEST)?.weight;
const rowOf = (): HealthRow | undefined => health.view().rows.find((r) => r.destination === DEST);

beforeAll(async () => {
  clearTable();
  sh('sh', [TOPOLOGY, 'services']);
  ipvsadm('-e', '-t', `${VIP}:80`, '-r', DEST, '-m', '-w', String(WEIGHT));
  const log = createLogger('lvs-agent');
  stack = await startLabStack({
    token: TOKEN,
    health: healthMonitor(log, (h) => (health = h)),
  });
  await eventually(() => expect(stack.dashboard.hub.link('lab')?.state).toBeTruthy(), 30_000);
  await health.setConfig({
    services: [
      {
        service: { protocol: 'tcp', address: VIP, port: 80 },
        check: {
          check: { type: 'tcp' },
          intervalMs: INTERVAL,
          timeoutMs: TIMEOUT,
          rise: RISE,
          fall: FALL,
          slowStart: { steps: STEPS, durationMs: STEPS * STEP_MS },
        },
      },
    ],
  });
});

afterAll(async () => {
  sh('sh', [TOPOLOGY, 'rs', 'start', RS]);
  health?.stop();
  await stack?.close();
  clearTable();
});

describe('slow start on the real kernel', () => {
  it('quiesces a stopped real server, then ramps it back 2, 4, 6, 8 after rise checks, each step in the kernel', async () => {
    await eventually(() => expect(rowOf()).toMatchObject({ status: 'up', configuredWeight: WEIGHT }), 30_000);
    const seq = health.journalSince(0).at(-1)?.seq ?? 0;

    sh('sh', [TOPOLOGY, 'rs', 'stop', RS]);
    const stopped = Date.now();
    await eventually(async () => expect(await weightNow()).toBe(0), 30_000, 100);
    console.log(`stopped -> kernel weight 0 after ${Date.now() - stopped} ms (fall ${FALL} x ${INTERVAL} ms)`);
    expect(Date.now() - stopped).toBeLessThanOrEqual((FALL + 2) * INTERVAL + TIMEOUT);

    sh('sh', [TOPOLOGY, 'rs', 'start', RS]);
    const started = Date.now();
    // every change of the kernel's weight, with when the poll that saw it returned; polled until the full weight has
    // held for 2 intervals
    const seen: { weight: number | undefined; at: number; pollMs: number }[] = [];
    const rampRows: string[] = [];
    const end = started + (RISE + 2) * INTERVAL + TIMEOUT + STEPS * STEP_MS + 4 * INTERVAL;
    for (;;) {
      const asked = Date.now();
      const weight = await weightNow();
      const at = Date.now();
      if (seen.at(-1)?.weight !== weight) seen.push({ weight, at, pollMs: at - asked });
      const row = rowOf();
      const ramp = row?.rampWeight === undefined ? '' : `${row.rampWeight}/${row.rampTarget}`;
      if (ramp && rampRows.at(-1) !== ramp) rampRows.push(ramp);
      const last = seen.at(-1);
      if ((last?.weight === WEIGHT && at - last.at >= 2 * INTERVAL) || at > end) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const up = rowOf();
    expect(up?.status).toBe('up');
    // the ramp starts when the rise-th check passed (the row's since); step k is due k step lengths later
    const since = up?.since ?? 0;
    const edits = () => health.journalSince(seq).filter((e) => e.kind === 'edit' && e.destination === DEST);
    console.log(
      `started -> up (rise ${RISE} x ${INTERVAL} ms) after ${since - started} ms; kernel weights ` +
        seen.map((s) => `${s.weight} at +${s.at - since} ms (a ${s.pollMs} ms poll)`).join(', ') +
        ` (steps due every ${STEP_MS} ms); edits confirmed at ` +
        edits()
          .map((e) => `+${e.at - since} ms`)
          .join(', ') +
        `; agent rows ramping ${rampRows.join(', ')}`,
    );
    // every weight the kernel showed, in order: each step once, none above the configured weight
    expect(seen.map((s) => s.weight)).toEqual([0, ...RAMP]);
    expect(since - started).toBeLessThanOrEqual((RISE + 1) * INTERVAL + TIMEOUT);
    RAMP.forEach((weight, k) => {
      const at = seen.find((s) => s.weight === weight)?.at ?? Infinity;
      const due = since + k * STEP_MS;
      // never early: the agent plans a step at its due time at the soonest, and the kernel shows it after that; seen
      // within LATE (see STEP_MS), before the next step is due
      expect(at, `weight ${weight}`).toBeGreaterThanOrEqual(due);
      expect(at - due, `weight ${weight}`).toBeLessThanOrEqual(LATE);
    });
    // the agent's row said it was ramping, towards the configured weight; not once the ramp was done
    expect(rampRows).toEqual(RAMP.slice(0, -1).map((w) => `${w}/${WEIGHT}`));
    expect(rowOf()).toMatchObject({ configuredWeight: WEIGHT, kernelWeight: WEIGHT });
    expect(rowOf()?.rampWeight).toBeUndefined();

    // each step's edit in the health journal once confirmed, and copied into the audit
    const argv = (w: number) => ['ipvsadm', '-e', '-t', `${VIP}:80`, '-r', DEST, '-m', '-w', String(w)];
    await eventually(() => {
      expect(edits().map((e) => [e.reason, e.result?.ok, e.result?.argv])).toEqual([
        [expect.stringMatching(/^down: /), true, argv(0)],
        ...RAMP.slice(0, -1).map((w) => [`up, slow start: weight ${w} of ${WEIGHT}`, true, argv(w)]),
        [`up: weight ${WEIGHT}`, true, argv(WEIGHT)],
      ]);
      const audit = stack.dashboard.services.audit
        .query({ user: 'health-check', from: stopped })
        .filter((r) => r.operation === 'health-edit' && r.target === `${SERVICE}|${DEST}`)
        .reverse();
      expect(audit.map((r) => [r.status, r.argv])).toEqual([0, ...RAMP].map((w) => ['ok', [argv(w)]]));
    }, 15_000);
  }, 180_000);
});
