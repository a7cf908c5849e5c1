// Pictures of every page at 1024, 1440 and 1920 px, light and dark, for people to judge: saved as
// e2e/artifacts/memory-width-<page>-<width>-<theme>.png. Each page is waited for until its data is drawn.
import type { Page } from '@playwright/test';
import {
  chartsDrawn,
  edit,
  expect,
  expectLive,
  framesDrawn,
  serviceUrl,
  sparklinesDrawn,
  test,
  WEB_REAL_SERVER,
  WEB_SERVICE,
} from '../support/fixtures';

const WIDTHS = [1024, 1440, 1920] as const;
const THEMES = ['light', 'dark'] as const;

interface Screen {
  name: string;
  /** Signed in as an admin (every page shows), or signed out (the sign-in page). */
  signedOut?: boolean;
  open: (page: Page, stack: { url: string; director: string }) => Promise<void>;
}

const SCREENS: Screen[] = [
  {
    name: 'overview',
    open: async (page) => {
      await page.goto('/');
      await expectLive(page);
      await sparklinesDrawn(page);
    },
  },
  {
    name: 'service',
    open: async (page, { director }) => {
      await page.goto(serviceUrl(director, 'tcp/10.1.0.10:80'));
      await expectLive(page);
      await chartsDrawn(page);
    },
  },
  {
    name: 'connections',
    open: async (page, { director }) => {
      await page.goto(`/directors/${encodeURIComponent(director)}/connections`);
      await expect(page.getByTestId('conn-row').first()).toBeVisible({ timeout: 30_000 });
    },
  },
  {
    name: 'history',
    open: async (page, { url, director }) => {
      // a change of ours, so the page has a row whatever ran before
      await edit(url, director, { kind: 'set-weight', service: WEB_SERVICE, destination: WEB_REAL_SERVER, weight: 2 });
      await page.goto('/history');
      await expect(page.getByTestId('audit-row').first()).toBeVisible({ timeout: 15_000 });
    },
  },
  {
    name: 'snapshots',
    open: async (page, { director }) => {
      await page.goto(`/snapshots?director=${encodeURIComponent(director)}`);
      await expect(page.getByTestId('import-panel')).toBeVisible();
    },
  },
  {
    name: 'users',
    open: async (page) => {
      await page.goto('/admin/users');
      await expect(page.getByTestId('user-row').first()).toBeVisible();
    },
  },
  {
    name: 'account',
    open: async (page) => {
      await page.goto('/account');
      await expect(page.getByTestId('session-row').first()).toBeVisible();
    },
  },
  {
    name: 'login',
    signedOut: true,
    open: async (page) => {
      await page.goto('/login');
      await expect(page.getByRole('button', { name: /sign in/i })).toBeVisible();
    },
  },
];

test.use({ role: 'admin' });
test.describe.configure({ timeout: 240_000 });

for (const screen of SCREENS) {
  for (const theme of THEMES) {
    test(`${screen.name}, ${theme}: pictures at ${WIDTHS.join(', ')} px`, async ({ page, context, stack, shot }) => {
      if (screen.signedOut) await context.clearCookies();
      await page.emulateMedia({ colorScheme: theme });
      await page.setViewportSize({ width: WIDTHS[0], height: 900 });
      await screen.open(page, stack);
      if (theme === 'dark') await expect(page.locator('html')).toHaveClass(/dark/);
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await framesDrawn(page);
        await shot(`width-${screen.name}-${width}-${theme}`, { fullPage: true });
      }
    });
  }
}
