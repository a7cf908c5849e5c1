// Drain with a finish line through the dashboard: the agent keeps the weight from before the drain (the dashboard
// hands it out with the drain), an undrain puts it back and its audit row says which weight came back; the agent's
// removal of an emptied server it was asked to remove is in the audit too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from './stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

const web = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
const rs = { address: '10.2.0.12', port: 80 };

describe('drain through the dashboard', () => {
  it('hands out the weight the agent kept and the drain; undrain restores that weight, audited', async () => {
    const cookie = await stack.login('operator');
    const edit = (e: object) =>
      stack.api('/api/v1/directors/lab/edits', {
        method: 'POST',
        cookie,
        body: { edit: e, epoch: stack.agent.state?.epoch ?? '', version: stack.agent.state?.version ?? 0 },
      });
    expect((await edit({ kind: 'set-weight', service: web, destination: rs, weight: 62 })).status).toBe(200);
    expect((await edit({ kind: 'drain', service: web, destination: rs })).status).toBe(200);
    for (let i = 0; i < 100 && stack.dashboard.hub.link('lab')?.state?.version !== stack.agent.state?.version; i++)
      await new Promise((r) => setTimeout(r, 20));
    const drained = await (
      await stack.api(`/api/v1/directors/lab/drained?service=${encodeURIComponent('tcp/10.1.0.10:80')}`, { cookie })
    ).json();
    expect(drained).toEqual({
      weights: { '10.2.0.12:80': 62 },
      drains: { '10.2.0.12:80': { weight: 62, since: expect.any(Number), removeWhenEmpty: false } },
    });
    const undrain = await edit({ kind: 'undrain', service: web, destination: rs });
    expect(undrain.status).toBe(200);
    expect(stack.agent.state?.services[0]?.destinations.find((d) => d.address === '10.2.0.12')?.weight).toBe(62);
    const [row] = stack.dashboard.services.audit.query({ user: 'operator', limit: 1 });
    expect(row).toMatchObject({ operation: 'undrain', before: { weight: 0 }, after: { weight: 62 }, status: 'ok' });
  });

  it('a drain asked to remove when empty: the removal the agent makes is in the audit, by "drain", with its argv', async () => {
    const cookie = await stack.login('operator');
    const table = () => ({ epoch: stack.agent.state?.epoch ?? '', version: stack.agent.state?.version ?? 0 });
    const gone = { address: '10.2.0.11', port: 80 };
    const r = await stack.api('/api/v1/directors/lab/edits', {
      method: 'POST',
      cookie,
      body: { edit: { kind: 'drain', service: web, destination: gone, removeWhenEmpty: true }, ...table() },
    });
    expect(r.status, await r.text()).toBe(200);
    const removal = () => stack.dashboard.services.audit.query({ user: 'drain', limit: 5 });
    for (let i = 0; i < 200 && removal().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(stack.agent.state?.services[0]?.destinations.some((d) => d.address === '10.2.0.11')).toBe(false);
    expect(removal()).toEqual([
      expect.objectContaining({
        user: 'drain',
        source: 'drain',
        operation: 'drain-remove',
        target: 'tcp/10.1.0.10:80|10.2.0.11:80',
        before: { health: 'draining' },
        after: { health: 'removed', reason: expect.stringMatching(/^empty: no active or inactive connections/) },
        argv: [['ipvsadm', '-d', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80']],
        status: 'ok',
      }),
    ]);
    // not also an outside change: the agent's own edit is told once, by its journal
    expect(stack.dashboard.services.audit.query({ user: 'external', limit: 5 })).toEqual([]);
  });
});
