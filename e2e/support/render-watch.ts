// Which React components rendered because of a keystroke, in the production build: a stand-in for React DevTools'
// global hook (React calls hook.onCommitFiberRoot on every commit, minified or not) compares each commit's fiber tree
// with the previous one as DevTools does, and names every component that ran by where its first DOM element sits on
// the page (component names are minified): those of commits made while a key or input event is being dispatched,
// and the times of other commits that redrew a chart.
import type { Page } from '@playwright/test';

export interface PageRenders {
  /** Commits made during key/input events. */
  commits: number;
  /** Components that ran in them, by place: `weight:<real server>`, `row:<real server>`, `service:<service>` (an
   * overview row), `charts`, `page`, `none`. */
  places: Record<string, number>;
  /** Times of the commits outside key events (ticks, the clock) in which a chart (a memoised component drawing a
   * <figure> in the charts) ran. */
  chartCommits: number[];
  /** Times of the commits outside key events in which a component of an overview row ran. */
  serviceCommits: number[];
}

/** Installs the hook before the page's scripts run; call before page.goto. */
export async function watchRenders(page: Page): Promise<() => Promise<PageRenders>> {
  await page.addInitScript(() => {
    const FUNCTION_LIKE = new Set([0, 1, 11, 14, 15]); // function, class, forwardRef, memo, simple memo
    const MEMO = new Set([14, 15]);
    const HOST = 5;
    const PERFORMED_WORK = 1;
    type Fiber = {
      tag: number;
      flags: number;
      child: Fiber | null;
      sibling: Fiber | null;
      alternate: Fiber | null;
      stateNode: unknown;
    };
    const out = {
      commits: 0,
      places: {} as Record<string, number>,
      chartCommits: [] as number[],
      serviceCommits: [] as number[],
    };
    (window as unknown as { pageRenders: typeof out }).pageRenders = out;
    let inKeyEvent = false;
    for (const type of ['keydown', 'keypress', 'beforeinput', 'input', 'keyup']) {
      window.addEventListener(type, () => (inKeyEvent = true), true);
      window.addEventListener(type, () => (inKeyEvent = false));
    }
    const firstElement = (f: Fiber): Element | null => {
      for (let c: Fiber | null = f.child; c; c = c.sibling) {
        if (c.tag === HOST && c.stateNode instanceof Element) return c.stateNode;
        const found = firstElement(c);
        if (found) return found;
      }
      return null;
    };
    const place = (f: Fiber): string => {
      const el = firstElement(f);
      if (!el) return 'none';
      const weight = el.closest('[data-testid^="weight-"][data-weight]');
      if (weight) return `weight:${weight.getAttribute('data-testid')!.slice('weight-'.length)}`;
      const row = el.closest('tr[data-dest]');
      if (row) return `row:${row.getAttribute('data-dest')}`;
      const service = el.closest('tr[data-service]');
      if (service) return `service:${service.getAttribute('data-service')}`;
      if (el.closest('[data-testid="service-charts"], [data-testid="dest-charts"]')) return 'charts';
      return 'page';
    };
    // DevTools' walk: a subtree whose child list is the previous commit's has not rendered
    const walk = (next: Fiber, prev: Fiber | null, seen: (f: Fiber) => void) => {
      if (FUNCTION_LIKE.has(next.tag) && (prev === null || (next.flags & PERFORMED_WORK) !== 0)) seen(next);
      if (prev !== null && next.child === prev.child) return;
      for (let c = next.child; c; c = c.sibling) walk(c, c.alternate, seen);
    };
    (window as unknown as { __REACT_DEVTOOLS_GLOBAL_HOOK__: object }).__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
      supportsFiber: true,
      renderers: new Map(),
      inject: () => 1,
      checkDCE: () => undefined,
      onScheduleFiberRoot: () => undefined,
      onCommitFiberUnmount: () => undefined,
      onPostCommitFiberRoot: () => undefined,
      onCommitFiberRoot: (_id: number, root: { current: Fiber }) => {
        if (inKeyEvent) {
          out.commits++;
          walk(root.current, root.current.alternate, (f) => {
            const p = place(f);
            out.places[p] = (out.places[p] ?? 0) + 1;
          });
          return;
        }
        let charts = false;
        let services = false;
        walk(root.current, root.current.alternate, (f) => {
          if (charts && services) return;
          const p = place(f);
          charts ||= MEMO.has(f.tag) && firstElement(f)?.tagName === 'FIGURE' && p === 'charts';
          services ||= p.startsWith('service:');
        });
        if (charts) out.chartCommits.push(Date.now());
        if (services) out.serviceCommits.push(Date.now());
      },
    };
  });
  return () => page.evaluate(() => (window as unknown as { pageRenders: PageRenders }).pageRenders);
}
