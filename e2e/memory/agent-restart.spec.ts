import type { Service } from '../../lib/ipvs';
import { edit, expect, expectLive, serviceUrl, test, WEB_REAL_SERVER, WEB_SERVICE } from '../support/fixtures';

test.afterEach(async ({ control }) => {
  await control('/agent/start');
});

test('a restarted agent (versions from v1 again) replaces the table on the page whole: the new run, not a mix', async ({
  page,
  stack,
  control,
  frames,
}) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  const version = page.getByTestId('table-version');
  const weight = page.getByTestId('weight-10.2.0.11:80');
  const r = await edit(stack.url, stack.director, {
    kind: 'set-weight',
    service: WEB_SERVICE,
    destination: WEB_REAL_SERVER,
    weight: 7,
  });
  expect(r.ok).toBe(true);
  await expect(weight).toHaveAttribute('data-weight', '7');
  await expect(version).not.toHaveText('v1'); // the old run has counted past v1 (this edit at least)

  // The agent goes away; the kernel's table changes meanwhile (back to the seed); a new run of the agent starts at v1.
  await control('/agent/stop');
  // The old run's last updates may still be on their way to the page: count frames from once it shows the agent gone.
  await expect(page.getByTestId('director-status').first()).toHaveAttribute('data-status', 'unreachable', {
    timeout: 10_000,
  });
  await control('/reset');
  const seen = frames.length;
  await control('/agent/restart');
  const after = (await (await fetch(`${stack.control}/state`)).json()) as { epoch: string; services: Service[] };
  const service = after.services.find((s) => s.protocol === 'tcp' && s.address === '10.1.0.10' && s.port === 80)!;

  await expectLive(page);
  await expect(version).toHaveText('v1');
  await expect(version).toHaveAttribute('title', new RegExp(`agent run ${after.epoch.slice(0, 8)}`));
  for (const d of service.destinations)
    await expect(page.getByTestId(`weight-${d.address}:${d.port}`)).toHaveAttribute('data-weight', String(d.weight));
  await expect(weight).not.toHaveAttribute('data-weight', '7');
  // every update the page got since is of the new run
  // (the first delta of the new run may come a tick after the page has drawn its table: wait for it)
  const deltas = () => frames.slice(seen).filter((f) => f.includes('"director:delta"'));
  await expect.poll(() => deltas().length, { timeout: 10_000 }).toBeGreaterThan(0);
  for (const f of deltas()) expect(f).toContain(`"epoch":"${after.epoch}"`);
});
