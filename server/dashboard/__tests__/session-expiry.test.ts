// An open Socket.IO connection ends when its session expires, not at its next request: a quiet page must not keep
// receiving the table after its session is over. The dashboard reads a FakeClock: the test moves it past the limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_MS, MAX_AGE_MS } from '../../hub/auth/sessions';
import { FakeClock } from '../../testing/fake-clock';
import { endExpiredSessionSockets } from '../socket-auth';
import { request, socketFor, startStack, type BrowserSocket, type TestStack } from './stack';

const HOUR = 3600_000;
const clock = new FakeClock();
let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ clock });
});
afterAll(() => stack.close());

/** A browser watching the director; `ended`: told its session ended and disconnected. */
async function watcher(): Promise<{ socket: BrowserSocket; sessionId: string; ended: Promise<unknown> }> {
  const socket = await socketFor(stack.url, { cookie: await stack.login('viewer'), origin: stack.url });
  expect(await request(socket, 'director:subscribe', { director: 'lab' })).toMatchObject({ ok: true });
  const sessionId = stack.dashboard.io.of('/').sockets.get(socket.id!)?.data.sessionId;
  const ended = Promise.all([
    new Promise<void>((resolve) => socket.once('session:ended', () => resolve())),
    new Promise<void>((resolve) => socket.once('disconnect', () => resolve())),
  ]);
  return { socket, sessionId: sessionId!, ended };
}

/** One request on the connection: its session counts as used now. */
const use = async (w: { socket: BrowserSocket }) =>
  expect(await request(w.socket, 'directors:list')).toMatchObject({ ok: true });

describe('session expiry on open connections', () => {
  it('ends the sockets of sessions past their absolute or idle limit, and only those', async () => {
    expect([IDLE_MS, MAX_AGE_MS]).toEqual([12 * HOUR, 168 * HOUR]);
    const old = await watcher(); // used every 11 h: it ends by its age (168 h), not idleness
    for (let t = 0; t < 154 * HOUR; t += 11 * HOUR) {
      clock.advance(11 * HOUR);
      await use(old);
    }
    const idle = await watcher(); // 154 h: never used again
    clock.advance(11 * HOUR);
    await use(old); // 165 h
    clock.advance(2 * HOUR);
    const fresh = await watcher(); // 167 h
    clock.advance(2 * HOUR); // 169 h: old is 169 h old, idle unused for 15 h, fresh 2 h
    endExpiredSessionSockets(stack.dashboard.io, stack.dashboard.services);
    await Promise.all([old.ended, idle.ended]);
    expect([old.socket.connected, idle.socket.connected, fresh.socket.connected]).toEqual([false, false, true]);
    expect(stack.dashboard.services.sessions.byId(old.sessionId)).toBeUndefined();
    fresh.socket.close();
  });
});
