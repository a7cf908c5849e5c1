// Connection queries are limited per user: a viewer's flood is refused with rate_limited, other users go on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, ConnectionView } from '../../../lib/events';
import { QUERIES_PER_WINDOW } from '../../hub/query-limiter';
import { request, socketFor, startStack, type TestStack } from './stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('conns:query rate limit', () => {
  it('refuses a user past the limit with rate_limited and a retry time; another user is still answered', async () => {
    const viewer = await socketFor(stack.url, { cookie: await stack.login('viewer'), origin: stack.url });
    const tab2 = await socketFor(stack.url, { cookie: await stack.login('viewer'), origin: stack.url });
    const operator = await socketFor(stack.url, { cookie: await stack.login('operator'), origin: stack.url });
    try {
      const ask = (s: typeof viewer, offset: number) =>
        request<ConnectionView>(s, 'conns:query', { director: 'lab', query: { sort: 'client', offset } });
      const flood: Promise<Ack<ConnectionView>>[] = [];
      for (let i = 0; i < QUERIES_PER_WINDOW + 6; i++) flood.push(ask(i % 2 ? tab2 : viewer, i));
      const replies = await Promise.all(flood);
      expect(replies.filter((r) => r.ok)).toHaveLength(QUERIES_PER_WINDOW);
      const refused = replies.filter((r) => !r.ok);
      expect(refused).toHaveLength(6);
      for (const r of refused) {
        expect(r).toMatchObject({
          ok: false,
          error: { code: 'rate_limited', message: expect.stringMatching(/per user\): retry in \d+ s/) },
        });
      }
      expect(await ask(operator, 0)).toMatchObject({ ok: true, data: { total: 0 } });
    } finally {
      for (const s of [viewer, tab2, operator]) s.close();
    }
  });
});
