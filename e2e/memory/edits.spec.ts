import { expect, expectLive, serviceUrl, test } from '../support/fixtures';

test('a weight edit the kernel refuses snaps back and shows the kernel error', async ({
  page,
  stack,
  control,
  shot,
}) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  await control('/fail-next', 'Memory allocation problem');
  await control('/delay', '1500');
  const slider = page.getByRole('slider', { name: 'Weight of 10.2.0.11:80' });
  const row = page.locator('tr[data-dest="10.2.0.11:80"]');
  // In flight: the new value stays on screen, marked as being applied. A loaded machine can spend the whole 1.5 s
  // window between two Playwright steps, so the page watches for that moment itself from before the first keypress.
  await page.evaluate(() => {
    const w = window as unknown as { sawInFlight?: boolean };
    w.sawInFlight = false;
    const observer = new MutationObserver(() => {
      const status = document.querySelector('tr[data-dest="10.2.0.11:80"] [data-testid=weight-status]')?.textContent;
      const box = document.querySelector<HTMLInputElement>('input[aria-label="Weight of 10.2.0.11:80, exact value"]');
      if (status === 'applying…' && box?.value === '2') {
        w.sawInFlight = true;
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
  await slider.focus();
  // One step: several keypresses further apart than the slider's 300 ms settle (a loaded machine) would each be sent.
  await page.keyboard.press('ArrowRight');
  await expect(row.getByTestId('weight-error')).toContainText('Memory allocation problem');
  expect(await page.evaluate(() => (window as unknown as { sawInFlight?: boolean }).sawInFlight)).toBe(true);
  await expect(slider).toHaveValue('1');
  await expect(page.getByLabel('Weight of 10.2.0.11:80, exact value')).toHaveValue('1');
  await expect(row.getByTestId('weight-10.2.0.11:80')).toHaveAttribute('data-weight', '1');
  await shot('weight-error');
});

test('the exact-value box takes weights up to 65535 and refuses other text next to it', async ({ page, stack }) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  const box = page.getByLabel('Weight of 10.2.0.12:80, exact value');
  await box.fill('70000');
  await expect(page.locator('tr[data-dest="10.2.0.12:80"]').getByTestId('weight-error')).toHaveText(
    'Weight: at most 65535',
  );
  await box.fill('250');
  await box.press('Enter');
  await expect(page.getByTestId('weight-10.2.0.12:80')).toHaveAttribute('data-weight', '250');
  // The slider's range grew to fit: 0..max(100, 2 x weight).
  await expect(page.getByRole('slider', { name: 'Weight of 10.2.0.12:80' })).toHaveAttribute('max', '500');
});

test('drain sets weight 0 and shows the connections left falling; restore puts the weight back, after a reload too', async ({
  page,
  stack,
  shot,
}) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  const row = page.locator('tr[data-dest="10.2.0.12:80"]');
  const active = async () => Number((await row.getByTestId('active').innerText()).replace(/,/g, ''));
  await expect.poll(active).toBeGreaterThan(20);
  const before = await active();
  await row.getByRole('button', { name: 'Drain' }).click();
  await expect(row.getByTestId('weight-10.2.0.12:80')).toHaveAttribute('data-weight', '0');
  await expect(row).toContainText('draining');
  // no new connection comes to it; the ones it has end as their clients close them or their timers run out (the
  // simulated director ages them by the kernel's timeouts: minutes for established ones, so the count falls slowly)
  await expect.poll(active, { timeout: 15_000 }).toBeLessThan(before);
  await expect(row.getByRole('img', { name: /active connections of 10.2.0.12:80/ })).toBeVisible();
  await expect(row.getByTestId('drain-left')).toHaveText(/^[\d,]+ active, [\d,]+ inactive left$/);
  await shot('drain');
  // A reload keeps the weight to put back: the dashboard server has it from the drain's audit row.
  await page.reload();
  await expectLive(page);
  await expect(row.getByRole('button', { name: 'Restore (w 3)' })).toBeVisible();
  await row.getByRole('button', { name: /Restore/ }).click();
  await expect(row.getByTestId('weight-10.2.0.12:80')).toHaveAttribute('data-weight', '3');
});
