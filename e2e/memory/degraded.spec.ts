import { expect, expectLive, serviceUrl, test } from '../support/fixtures';

const PROBLEM = {
  lineNumber: 4,
  line: 'UDP  10.1.0.10:53 rr quantum',
  reason: 'unknown service option "quantum"',
  service: 'udp/10.1.0.10:53',
};

test.afterEach(async ({ control }) => {
  await control('/unreadable', '[]');
});

test('a listing line the agent cannot read shows the director degraded, with the line and the reason, on the overview and the service page', async ({
  page,
  stack,
  control,
  shot,
}) => {
  await page.goto('/');
  await expectLive(page);
  const card = page.getByTestId(`director-${stack.director}`);
  await expect(card.getByTestId('director-degraded')).toHaveCount(0);
  await control('/unreadable', JSON.stringify([PROBLEM]));
  const banner = card.getByTestId('director-degraded');
  await expect(banner).toBeVisible({ timeout: 5000 });
  await expect(banner).toContainText(`${stack.director} is degraded`);
  await expect(banner.getByTestId('degraded-line')).toContainText(PROBLEM.line);
  await expect(banner.getByTestId('degraded-line')).toContainText(
    `line 4: ${PROBLEM.reason} (service udp/10.1.0.10:53)`,
  );
  // the rest of the table is live: not stale, not unreachable
  await expect(card.getByTestId('director-status')).toHaveAttribute('data-status', 'live');
  await expect(card.getByTestId('director-banner')).toHaveCount(0);
  await shot('overview-degraded');

  await page.goto(serviceUrl(stack.director, PROBLEM.service));
  await expect(page.getByTestId('director-degraded')).toContainText(PROBLEM.line);

  await control('/unreadable', '[]');
  await page.goto('/');
  await expectLive(page);
  await expect(page.getByTestId(`director-${stack.director}`).getByTestId('director-degraded')).toHaveCount(0);
});
