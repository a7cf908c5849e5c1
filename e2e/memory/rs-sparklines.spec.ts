// A real server's sparkline on a service page just opened: the page keeps real-server rings only while it is open, so
// the line starts from the dashboard's stats history of the minutes before, not from the page's first sample.
import { edit, expect, serviceUrl, storedHistory, test, WEB_SERVICE } from '../support/fixtures';

const DEST = { address: '10.2.0.12', port: 80 } as const;
const DID = `${DEST.address}:${DEST.port}`;
const SERIES = `${WEB_SERVICE.protocol}/${WEB_SERVICE.address}:${WEB_SERVICE.port}|${DID}`;
/** RealServerTable's sparkline: 56 px for 5 minutes. */
const SPARK_WIDTH = 56;
const SPARK_WINDOW_S = 300;

interface Seen {
  /** Points drawn (M and L commands of the path). */
  points: number;
  /** How far back the line reaches (s), from its first point's x. */
  reach: number;
  /** When, in seconds since the page's navigation started. */
  at: number;
}

test("a draining real server's sparkline shows the minutes before the page opened from its first samples", async ({
  page,
  stack,
  shot,
}) => {
  test.setTimeout(150_000);
  // the point: a minute of stored history of this real server before the page opens
  await storedHistory(page, stack.director, SERIES, 60);
  // the row sparkline is the active-connection count of a draining real server
  const drained = await edit(stack.url, stack.director, { kind: 'drain', service: WEB_SERVICE, destination: DEST });
  expect(drained.ok).toBe(true);
  // the stack is shared with the specs after this one (weight-renders.spec.ts types into this service's weights):
  // the weight comes back whatever happens here
  try {
    // Every state of the sparkline's line from the first render on.
    await page.addInitScript(
      ({ selector, width, windowS }) => {
        const w = window as unknown as { sparkSeen: Seen[] };
        w.sparkSeen = [];
        new MutationObserver(() => {
          const d = document.querySelector(selector)?.getAttribute('d');
          if (!d) return;
          const points = (d.match(/[ML]/g) ?? []).length;
          if (w.sparkSeen.at(-1)?.points === points) return;
          const x0 = Number(/^M([\d.-]+)/.exec(d)?.[1] ?? width);
          w.sparkSeen.push({ points, reach: ((width - x0) / width) * windowS, at: performance.now() / 1000 });
        }).observe(document, { subtree: true, childList: true, attributes: true });
      },
      { selector: `tr[data-dest="${DID}"] svg[role=img] path`, width: SPARK_WIDTH, windowS: SPARK_WINDOW_S },
    );
    await page.goto(serviceUrl(stack.director, `${WEB_SERVICE.protocol}/${WEB_SERVICE.address}:${WEB_SERVICE.port}`));
    const seen = () => page.evaluate(() => (window as unknown as { sparkSeen: Seen[] }).sparkSeen);
    await expect.poll(async () => (await seen()).at(-1)?.points ?? 0, { timeout: 20_000 }).toBeGreaterThan(10);

    const states = await seen();
    console.log(
      'sparkline states (points, reach s, at s):',
      states.map((s) => `${s.points}, ${s.reach.toFixed(0)}, ${s.at.toFixed(1)}`).join(' | '),
    );
    const full = states.findIndex((s) => s.points > 10);
    // Before the stored points came the line had at most the page's first live samples: the table the subscription
    // answered with and the tick after it (seen 0.1 s apart). A line that grew one sample a tick would have shown 3, 4,
    // ... 10 points on the way.
    expect(Math.max(0, ...states.slice(0, full).map((s) => s.points))).toBeLessThanOrEqual(2);
    // and it reaches back well before the page opened (the stored minute), not only over the time the page was open
    const first = states[full]!;
    expect(first.reach).toBeGreaterThan(first.at + 30);
    await shot('service-rs-sparkline');
  } finally {
    expect(
      (await edit(stack.url, stack.director, { kind: 'undrain', service: WEB_SERVICE, destination: DEST })).ok,
    ).toBe(true);
  }
});
