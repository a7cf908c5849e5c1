// What a browser bench runs against: the product's simulated director (lvs-agent serve --simulated) and the dashboard's
// production build on it, both on free 127.0.0.1 ports, started the way e2e/support/global-setup.ts starts them;
// and Debian's chromium, driven by Playwright.
import { chromium, type Browser, type Page } from '@playwright/test';
import { E2E_PASSWORD, ROLE_ACCOUNTS } from '../../e2e/support/accounts';
import { buildIfStale, startMemoryStack } from '../../e2e/support/global-setup';
import { stop, type Proc } from '../../e2e/support/processes';
import { CHROMIUM } from '../../e2e/support/chromium';

export interface BenchStack {
  url: string;
  director: string;
  /** The simulated director's control surface. */
  control: string;
  stop: () => Promise<void>;
}

/** `serve --simulated` arguments beyond port, token and name: e.g. ['--services', '1000'] or ['--conns', '120000']. */
export async function startStack(director: string, directorArgs: string[]): Promise<BenchStack> {
  buildIfStale();
  const procs: Proc[] = [];
  const stopAll = async () => {
    for (const p of procs.reverse()) await stop(p);
  };
  // Ctrl-C: the director and the dashboard run in their own process groups and would outlive the bench.
  process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
  try {
    const stack = await startMemoryStack({
      name: `bench-${director}`,
      director,
      args: directorArgs,
      dev: false,
      procs,
    });
    return { ...stack, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch(CHROMIUM);
}

/**
 * A 1440x900 page of the dashboard, signed in as the e2e operator account (startDashboard/dashboardUrl create it): the
 * one place that knows how to get in.
 */
export async function openDashboard(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: url,
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  });
  const r = await context.request.post(`${url}/api/v1/auth/login`, {
    data: { name: ROLE_ACCOUNTS.operator, password: E2E_PASSWORD },
  });
  if (r.status() !== 200) throw new Error(`bench: sign in: ${r.status()} ${await r.text()}`);
  return context.newPage();
}
