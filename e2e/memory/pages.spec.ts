// Every page, light and dark: axe-core finds no serious or critical violation, and a screenshot at 1024, 1440 and
// 1920 px lands in e2e/artifacts/ (memory-page-<page>-<theme>-<width>.png) for people to judge.
import path from 'node:path';
import type { Page } from '@playwright/test';
import { edit, expect, expectLive, framesDrawn, serviceUrl, test } from '../support/fixtures';
import { ROOT } from '../support/processes';

const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
const WIDTHS = [1024, 1440, 1920];

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical findings on the page as it is now, one line each (rule, help, first elements). */
async function axeFindings(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> } })
      .axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations;
  });
  return (violations as Violation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => JSON.stringify(n.target))
          .join(', ')}`,
    );
}

interface PageCase {
  name: string;
  /** Also run axe-core at 1024 px (the layout changes below 1280 px). */
  axeAt1024?: true;
  open: (page: Page, director: string) => Promise<void>;
}

const PAGES: PageCase[] = [
  {
    name: 'overview',
    open: async (page) => {
      await page.goto('/');
      await expectLive(page);
    },
  },
  {
    name: 'service',
    axeAt1024: true,
    open: async (page, director) => {
      await page.goto(serviceUrl(director, 'tcp/10.1.0.10:9000'));
      await expectLive(page);
    },
  },
  {
    name: 'connections',
    open: async (page, director) => {
      await page.goto(`/directors/${director}/connections`);
      await expectLive(page);
      await expect(page.getByTestId('conn-row').first()).toBeVisible();
    },
  },
  {
    name: 'history',
    open: async (page) => {
      await page.goto('/history');
      await expect(page.getByTestId('audit-row').first()).toBeVisible({ timeout: 30_000 });
    },
  },
  {
    name: 'snapshots',
    open: async (page, director) => {
      await page.goto(`/snapshots?director=${director}`);
      await expect(page.getByTestId('import-panel')).toBeVisible();
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
    name: 'users',
    open: async (page) => {
      await page.goto('/admin/users');
      await expect(page.getByTestId('user-row').first()).toBeVisible();
    },
  },
  {
    name: 'fleet',
    open: async (page) => {
      await page.goto('/admin/directors');
      await expect(page.getByTestId('fleet-row').first()).toBeVisible();
    },
  },
  {
    name: 'director-page',
    open: async (page, director) => {
      await page.goto(`/directors/${director}`);
      await expect(page.getByTestId('agent-info')).toContainText('live');
      // what runs the agent's TCP checks: its C helper when built (npm install builds it), else node:net and why
      await expect(page.getByTestId('agent-info')).toContainText(/Runs TCP checks with(.*tcp-probe|node:net \()/);
      await expect(page.getByTestId(`director-${director}`)).toBeVisible();
    },
  },
  {
    name: 'login',
    open: async (page) => {
      await page.context().clearCookies();
      await page.goto('/login');
      await expect(page.getByRole('button', { name: /sign in/i })).toBeVisible();
    },
  },
];

test.use({ role: 'admin' });
// axe-core on a live page (a chart per real server on the service page) takes a while on a busy machine.
test.setTimeout(300_000);

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });
    for (const p of PAGES) {
      test(`${p.name}: no serious accessibility violation; screenshots at ${WIDTHS.join(', ')} px`, async ({
        page,
        stack,
        shot,
      }) => {
        if (p.name === 'history')
          await edit(stack.url, stack.director, {
            kind: 'set-weight',
            service: { protocol: 'tcp', address: '10.1.0.10', port: 80 },
            destination: { address: '10.2.0.11', port: 80 },
            weight: 2,
          });
        await page.setViewportSize({ width: 1440, height: 900 });
        await p.open(page, stack.director);
        await expect(page.locator('html')).toHaveClass(scheme === 'dark' ? /dark/ : /^(?!.*dark)/);
        expect(await axeFindings(page)).toEqual([]);
        for (const width of WIDTHS) {
          await page.setViewportSize({ width, height: 900 });
          await framesDrawn(page);
          await shot(`page-${p.name}-${scheme}-${width}`);
          // No page scrolls sideways as a whole from 1024 px up: wide tables scroll in their own frame.
          expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
          if (width === 1024 && p.axeAt1024) expect(await axeFindings(page)).toEqual([]);
        }
      });
    }
  });
}

/** The focused element shows it: an outline, or a ring (box-shadow), that differs from its unfocused look. */
async function focusVisible(page: Page): Promise<{ what: string; visible: boolean } | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    // A date box's calendar button is drawn by Chrome inside the input, with Chrome's own focus ring.
    if (el instanceof HTMLInputElement && el.type.startsWith('date') && !el.matches(':focus')) return null;
    const st = getComputedStyle(el);
    const outline = st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2;
    const ring = /0px 0px 0px [2-9]/.test(st.boxShadow);
    const what = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
    return { what, visible: outline || ring };
  });
}

test('keyboard: every control of the overview and the history is reached by Tab and shows a clear focus', async ({
  page,
}) => {
  for (const url of ['/', '/history']) {
    await page.goto(url);
    if (url === '/') await expectLive(page);
    const seen: string[] = [];
    const hidden: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const f = await focusVisible(page);
      if (!f) continue;
      seen.push(f.what);
      if (!f.visible) hidden.push(f.what);
    }
    expect(seen.length).toBeGreaterThan(20);
    expect(hidden, `focus not visible on ${url}`).toEqual([]);
  }
  // A service row opens its page from the keyboard (its address is a link).
  await page.goto('/');
  await expectLive(page);
  await page.locator('tr[data-service="tcp/10.1.0.10:80"] a').first().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('service-title')).toHaveText('TCP 10.1.0.10:80');
});
