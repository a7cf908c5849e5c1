// Round trips of the page's own Socket.IO requests, timed by Chromium (CDP Network.webSocketFrameSent/Received
// timestamps, not by when Playwright relays the frames): a request "42<id>[event, ...]" and its ack "43<id>[...]".
import type { Page } from '@playwright/test';

export interface RoundTrip {
  /** Order of the request among every request seen (to take the ones sent after a point). */
  seq: number;
  payload: string;
  ms: number;
}

export interface SocketTiming {
  /** Sequence number the next request will get. */
  mark: () => number;
  /** Answered requests of `event` sent at or after `since`, oldest first. */
  roundTrips: (event: string, since: number) => RoundTrip[];
}

export async function timeSocketRequests(page: Page): Promise<SocketTiming> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  let seq = 0;
  const pending = new Map<string, { seq: number; payload: string; at: number }>();
  const done: RoundTrip[] = [];
  cdp.on('Network.webSocketFrameSent', (e) => {
    const m = /^42(\d+)\[/.exec(e.response.payloadData);
    if (m?.[1]) pending.set(m[1], { seq: seq++, payload: e.response.payloadData, at: e.timestamp });
  });
  cdp.on('Network.webSocketFrameReceived', (e) => {
    const id = /^43(\d+)\[/.exec(e.response.payloadData)?.[1];
    const sent = id === undefined ? undefined : pending.get(id);
    if (!id || !sent) return;
    pending.delete(id);
    done.push({ seq: sent.seq, payload: sent.payload, ms: (e.timestamp - sent.at) * 1000 });
  });
  return {
    mark: () => seq,
    roundTrips: (event, since) =>
      done.filter((r) => r.seq >= since && r.payload.includes(`["${event}"`)).sort((a, b) => a.seq - b.seq),
  };
}
