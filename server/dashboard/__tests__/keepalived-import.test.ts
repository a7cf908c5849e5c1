// A keepalived.conf imported through the dashboard: previewed as the usual diff with its checks and the lines it
// cannot express, then applied as a table plan (never a flush) with its checks set on the agent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSave } from '../../../lib/ipvs';
import { startStack, type TestStack } from './stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

// checks go to 127.0.0.1:9 (connect_ip), never to the 10.2.0.x real servers
const CONF = `virtual_server 10.1.0.10 80 {
    lvs_sched wrr
    lvs_method NAT
    protocol TCP
    inhibit_on_failure
    real_server 10.2.0.11 80 {
        weight 3
        HTTP_GET {
            url {
                path /health
                digest 0123456789abcdef0123456789abcdef
            }
            connect_ip 127.0.0.1
            connect_port 9
            delay_loop 30
        }
    }
}
vrrp_instance VI_1 {
    state MASTER
}
`;

describe('keepalived.conf import', () => {
  it('previews the diff, the checks it would set and the lines it cannot express, changing nothing', async () => {
    const cookie = await stack.login('operator');
    const before = renderSave(await stack.backend.readServices());
    const res = await stack.api('/api/v1/directors/lab/import/keepalived/preview', {
      method: 'POST',
      cookie,
      body: { config: CONF },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json();
    expect(body.diff.removed.map((s: { id: string }) => s.id)).toEqual(['udp/10.1.0.10:53']);
    expect(body.diff.changed[0]).toMatchObject({
      id: 'tcp/10.1.0.10:80',
      removedDestinations: [{ address: '10.2.0.12' }],
    });
    expect(body.checks.services[0].destinations[0].check).toMatchObject({
      check: { type: 'http', path: '/health' },
      address: '127.0.0.1',
      port: 9,
      intervalMs: 30000,
      onFailure: 'quiesce',
    });
    expect(body.notImported.map((n: { line: number }) => n.line)).toEqual([11, 19]);
    expect(renderSave(await stack.backend.readServices())).toBe(before);
  });

  it('names the line and field of a bad address', async () => {
    const res = await stack.api('/api/v1/directors/lab/import/keepalived/preview', {
      method: 'POST',
      cookie: await stack.login('operator'),
      body: { config: CONF.replace('10.2.0.11', '10.2.0.311') },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { field: 'config', message: expect.stringContaining('line 6: real_server.address: not an IPv4') },
    });
  });

  it('with others: keep, leaves the services the file does not name, in the preview and the kernel', async () => {
    const body = { config: CONF, others: 'keep' };
    const preview = await stack.api('/api/v1/directors/lab/import/keepalived/preview', {
      method: 'POST',
      cookie: await stack.login('operator'),
      body,
    });
    expect(preview.status, await preview.clone().text()).toBe(200);
    const diff = (await preview.json()).diff;
    expect(diff.removed).toEqual([]);
    expect(diff.changed.map((c: { id: string }) => c.id)).toEqual(['tcp/10.1.0.10:80']);
    // added by hand after the preview: the agent judges "others" against its table when it applies
    await stack.backend.run(['-A', '-t', '10.1.0.30:8080', '-s', 'rr']);
    const res = await stack.api('/api/v1/directors/lab/import/keepalived', {
      method: 'POST',
      cookie: await stack.login('admin'),
      body,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const saved = renderSave(await stack.backend.readServices());
    expect(saved).toContain('-A -u 10.1.0.10:53');
    expect(saved).toContain('-A -t 10.1.0.30:8080 -s rr');
    expect(saved).toContain('-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 3\n');
    expect(saved).not.toContain('10.2.0.12:80');
  });

  it('refuses an unknown "others", naming the field', async () => {
    const res = await stack.api('/api/v1/directors/lab/import/keepalived/preview', {
      method: 'POST',
      cookie: await stack.login('operator'),
      body: { config: CONF, others: 'ignore' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { field: 'others' } });
  });

  it('applies the table and sets the checks on the agent', async () => {
    const res = await stack.api('/api/v1/directors/lab/import/keepalived', {
      method: 'POST',
      cookie: await stack.login('admin'),
      body: { config: CONF },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ checksError: null, snapshot: { kind: 'auto' } });
    expect(renderSave(await stack.backend.readServices())).toBe(
      '-A -t 10.1.0.10:80 -s wrr\n-a -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 3\n',
    );
    expect(stack.health.getConfig().config.services).toMatchObject([
      { service: { address: '10.1.0.10', port: 80 }, destinations: [{ check: { port: 9 } }] },
    ]);
  });
});
