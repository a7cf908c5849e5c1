// Effects belong to the operation, not the transport: an edit made through the REST API reaches everyone watching
// the director as service:updated, exactly like one made from the UI's socket.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ServiceUpdated } from '../../../lib/events';
import { request, socketFor, startStack, type TestStack } from './stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

it('broadcasts an edit made through REST as service:updated to a subscribed browser', async () => {
  const watcher = await socketFor(stack.url, { cookie: await stack.login('viewer') });
  try {
    expect(await request(watcher, 'director:subscribe', { director: 'lab' })).toMatchObject({ ok: true });
    const updated = new Promise<ServiceUpdated>((resolve) => watcher.once('service:updated', resolve));
    const edit = {
      kind: 'set-weight',
      service: { protocol: 'tcp', address: '10.1.0.10', port: 80 },
      destination: { address: '10.2.0.12', port: 80 },
      weight: 4,
    };
    const res = await stack.api('/api/v1/directors/lab/edits', {
      method: 'POST',
      cookie: await stack.login('operator'),
      body: {
        epoch: stack.dashboard.hub.link('lab')!.state!.epoch,
        version: stack.dashboard.hub.link('lab')!.state!.version,
        edit,
      },
    });
    expect(res.status).toBe(200);
    const outcome = (await res.json()) as { version: number };
    expect(await updated).toMatchObject({
      director: 'lab',
      user: 'operator',
      edit: { kind: 'edit-destination', destination: { address: '10.2.0.12', port: 80, weight: 4 } },
      result: { ok: true },
      version: outcome.version,
    });
  } finally {
    watcher.close();
  }
});
