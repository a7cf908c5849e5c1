// An open Socket.IO connection ends when its session expires, not at its next request: a quiet page must not keep
// receiving the table after its session is over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDLE_MS, MAX_AGE_MS } from '../../hub/auth/sessions';
import { endExpiredSessionSockets } from '../socket-auth';
import { request, socketFor, startStack, type BrowserSocket, type TestStack } from './stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

async function watcher(): Promise<{ socket: BrowserSocket; sessionId: string; ended: Promise<void> }> {
  const socket = await socketFor(stack.url, { cookie: await stack.login('viewer'), origin: stack.url });
  expect(await request(socket, 'director:subscribe', { director: 'lab' })).toMatchObject({ ok: true });
  const sessionId = stack.dashboard.io.of('/').sockets.get(socket.id!)?.data.sessionId;
  const ended = new Promise<void>((resolve) => socket.once('session:ended', () => resolve()));
  return { socket, sessionId: sessionId!, ended };
}

const age = (sessionId: string, column: 'created_at' | 'last_seen', ms: number) =>
  stack.db.prepare(`UPDATE sessions SET ${column} = ${column} - ? WHERE id = ?`).run(ms, sessionId);

describe('session expiry on open connections', () => {
  it('ends the sockets of sessions past their absolute or idle limit, and only those', async () => {
    const old = await watcher();
    const idle = await watcher();
    const fresh = await watcher();
    age(old.sessionId, 'created_at', MAX_AGE_MS + 1000);
    age(idle.sessionId, 'last_seen', IDLE_MS + 1000);
    endExpiredSessionSockets(stack.dashboard.io, stack.dashboard.services);
    await Promise.all([old.ended, idle.ended]);
    await new Promise((r) => setTimeout(r, 50));
    expect([old.socket.connected, idle.socket.connected, fresh.socket.connected]).toEqual([false, false, true]);
    expect(stack.dashboard.services.sessions.byId(old.sessionId)).toBeUndefined();
    fresh.socket.close();
  });
});
