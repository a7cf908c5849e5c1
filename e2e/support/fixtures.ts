// The e2e test API: `test` knows its project's stack (baseURL, director, control endpoint) and has helpers to drive
// the simulated director's control surface, to save page screenshots into e2e/artifacts/, and to make edits over the
// dashboard's socket.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { io } from 'socket.io-client';
import type { ClientEvents } from '../../lib/api/types';
import type { Ack, EditOutcome, ServerEvents } from '../../lib/events';
import type { AgentEdit, Service, TableState } from '../../lib/ipvs';
import type { Role } from '../../lib/roles';
import { E2E_PASSWORD, ROLE_ACCOUNTS, loginCookie } from './accounts';
import { ROOT } from './processes';
import { stackFor, type Stack } from './stack';

export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');

export interface Fixtures {
  stack: Stack;
  /** The account the page is signed in as (test.use({ role: 'viewer' })). */
  role: Role;
  /** Signs the page's browser context in as another role (replacing the session cookie). */
  signIn: (role: Role) => Promise<void>;
  /** Memory project: every test starts from the seeded table (automatic). */
  resetDirector: void;
  /** Socket.IO frames the page received (text), to check what the server pushed. */
  frames: string[];
  /** POST to the simulated director's control surface (memory project only). */
  control: (route: string, body?: string) => Promise<void>;
  /** Save a 1440x900 screenshot as e2e/artifacts/<project>-<name>.png. */
  shot: (name: string, opts?: { fullPage?: boolean }) => Promise<void>;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as an object pattern
  stack: async ({}, use, info) => use(stackFor(info.project.name)),
  // eslint-disable-next-line no-empty-pattern
  baseURL: async ({}, use, info) => use(stackFor(info.project.name).url),
  role: ['operator', { option: true }],
  signIn: async ({ context, stack }, use) => {
    await use(async (role) => {
      await context.clearCookies();
      const r = await context.request.post(`${stack.url}/api/v1/auth/login`, {
        data: { name: ROLE_ACCOUNTS[role], password: E2E_PASSWORD },
      });
      if (r.status() !== 200) throw new Error(`sign in as ${role}: ${r.status()} ${await r.text()}`);
    });
  },
  page: async ({ page, role, signIn }, use) => {
    await signIn(role);
    await use(page);
  },
  resetDirector: [
    async ({ stack }, use) => {
      if (stack.control) {
        const r = await fetch(`${stack.control}/reset`, { method: 'POST' });
        if (!r.ok) throw new Error(`reset: ${r.status}`);
      }
      await use();
    },
    { auto: true },
  ],
  frames: async ({ page }, use) => {
    const frames: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framereceived', (f) => typeof f.payload === 'string' && frames.push(f.payload)),
    );
    await use(frames);
  },
  control: async ({ stack }, use) => {
    await use(async (route, body) => {
      if (!stack.control) throw new Error('this project has no simulated director');
      const r = await fetch(`${stack.control}${route}`, { method: 'POST', body });
      if (!r.ok) throw new Error(`control ${route}: ${r.status} ${await r.text()}`);
    });
  },
  shot: async ({ page }, use, info) => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await use(async (name, opts) => {
      await page.screenshot({
        path: path.join(ARTIFACTS, `${info.project.name}-${name}.png`),
        fullPage: opts?.fullPage ?? false,
        animations: 'disabled',
      });
    });
  },
});

export { expect };

/** The page is hydrated and connected (the badge is client-only: the server renders the first status too, and a
 * key pressed before hydration is undone by it) and the director card or page header shows the director live. */
export async function expectLive(page: Page, timeout = 20_000): Promise<void> {
  await expect(page.getByTestId('connection-badge')).toHaveAttribute('data-state', 'connected', { timeout });
  await expect(page.getByTestId('director-status').first()).toHaveAttribute('data-status', 'live', { timeout });
}

/** Waits until the line `selector` (the first on the page: an SVG path, one M or L command per point) has drawn at
 * least `n` points: a picture taken before shows charts still empty. */
async function linePoints(page: Page, selector: string, n: number): Promise<void> {
  const points = () =>
    page.evaluate((s) => (document.querySelector(s)?.getAttribute('d')?.match(/[ML]/g) ?? []).length, selector);
  await expect.poll(points, { timeout: 20_000, message: `${selector} draws ${n} points` }).toBeGreaterThanOrEqual(n);
}

/** The Overview's first sparkline has drawn a few samples. */
export const sparklinesDrawn = (page: Page, n = 3) => linePoints(page, 'tr[data-service] svg[role=img] path', n);

/** The service page's first chart has drawn a few samples. */
/** The service charts have drawn `n` points. They are drawn only near the screen (InView): scrolled to first, since
 * a service with many real servers (and its health checks panel) puts them below the fold; then back where it was. */
export async function chartsDrawn(page: Page, n = 3): Promise<void> {
  const y = await page.evaluate(() => window.scrollY);
  await page.locator('#charts-heading').scrollIntoViewIfNeeded();
  await linePoints(page, '[data-testid=service-charts] path.recharts-line-curve', n);
  await page.evaluate((top) => window.scrollTo(0, top), y);
}

/** The page has drawn two frames since now (after a viewport change: at its new width). */
export async function framesDrawn(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** Waits until the dashboard's stats history of `series` (which it records every tick, a page open or not) reaches
 * `seconds` back from now. A test about what a page makes of stored history needs that much of it; in a whole run the
 * stack has recorded it long before, so the wait ends at once. */
export async function storedHistory(page: Page, director: string, series: string, seconds: number): Promise<void> {
  const span = async () => {
    const r = await page.request.get(`/api/v1/directors/${encodeURIComponent(director)}/stats`, {
      params: { series, range: '5m' },
    });
    if (!r.ok()) throw new Error(`stats of ${series}: ${r.status()} ${await r.text()}`);
    const first = ((await r.json()) as { series: Record<string, { t: number }[]> }).series[series]?.[0];
    return first ? (Date.now() - first.t) / 1000 : 0;
  };
  await expect
    .poll(span, { timeout: (seconds + 30) * 1000, intervals: [1000], message: `${seconds} s of stored ${series}` })
    .toBeGreaterThanOrEqual(seconds);
}

export function serviceUrl(director: string, sid: string): string {
  return `/directors/${encodeURIComponent(director)}/services/${encodeURIComponent(sid)}`;
}

/** A one-off Socket.IO client of the dashboard, as a browser would be: for setup and cleanup edits. */
export async function withDashboardSocket<T>(
  url: string,
  fn: (emit: <R>(event: keyof ClientEvents, ...args: unknown[]) => Promise<Ack<R>>) => Promise<T>,
  role: Role = 'admin',
): Promise<T> {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie: await loginCookie(url, role) },
  }) as unknown as import('socket.io-client').Socket<ServerEvents, ClientEvents>;
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  try {
    const emit = <R>(event: keyof ClientEvents, ...args: unknown[]) =>
      new Promise<Ack<R>>((resolve) =>
        (socket.timeout(30_000).emit as unknown as (...a: unknown[]) => void)(
          event,
          ...args,
          (err: Error | null, r: Ack<R>) =>
            resolve(err ? { ok: false, error: { code: 'timeout', message: err.message } } : r),
        ),
      );
    return await fn(emit);
  } finally {
    socket.close();
  }
}

export async function tableOf(url: string, director: string): Promise<TableState> {
  return withDashboardSocket(url, async (emit) => {
    const r = await emit<TableState>('director:subscribe', { director });
    if (!r.ok) throw new Error(r.error.message);
    return r.data;
  });
}

export async function edit(url: string, director: string, e: AgentEdit): Promise<Ack<EditOutcome>> {
  return withDashboardSocket(url, async (emit) => {
    const sub = await emit<TableState>('director:subscribe', { director });
    if (!sub.ok) return sub;
    const { epoch, version } = sub.data;
    return emit<EditOutcome>('service:update', { director, request: { edit: e, epoch, version } });
  });
}

/** The NAT web service of the lab (and of the simulated director's lab seed) and its real server the tests re-weight. */
export const WEB_SERVICE = { protocol: 'tcp', address: '10.1.0.10', port: 80 } as const;
export const WEB_REAL_SERVER = { address: '10.2.0.11', port: 80 } as const;

/** After each test of the file, puts that real server's weight back to 1: the director's table outlives a test. */
export function resetWebWeightAfterEach(): void {
  test.afterEach(async ({ stack }) => {
    await edit(stack.url, stack.director, {
      kind: 'set-weight',
      service: WEB_SERVICE,
      destination: WEB_REAL_SERVER,
      weight: 1,
    });
  });
}

export function findService(state: TableState, protocol: string, port: number): Service | undefined {
  return state.services.find((s) => s.protocol === protocol && s.port === port && s.address === '10.1.0.10');
}
