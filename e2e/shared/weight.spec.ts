import {
  chartsDrawn,
  edit,
  expect,
  expectLive,
  resetWebWeightAfterEach,
  serviceUrl,
  tableOf,
  test,
  WEB_SERVICE,
} from '../support/fixtures';
import { kernelSave, weightIn } from '../support/lab-control';

const SVC = WEB_SERVICE;
const DEST = '10.2.0.11:80';

resetWebWeightAfterEach();

test('dragging a weight slider from 1 to 5 applies it: pending, then the table shows 5 and service:updated arrives', async ({
  page,
  stack,
  frames,
  shot,
}) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  const control = page.getByTestId(`weight-${DEST}`);
  const slider = page.getByRole('slider', { name: `Weight of ${DEST}` });
  await expect(slider).toHaveValue('1');
  await expect(control).toHaveAttribute('data-weight', '1');
  if (stack.state) expect(weightIn(await kernelSave(stack), 'tcp', '10.1.0.10:80', DEST)).toBe(1);

  // Record every state the control goes through (an edit on a fast director is pending only for milliseconds).
  await control.evaluate((el) => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    const note = () =>
      seen.push(
        `${el.getAttribute('data-pending')}|${el.querySelector('[data-testid=weight-status]')?.textContent ?? ''}`,
      );
    new MutationObserver(note).observe(el, { attributes: true, subtree: true, childList: true, characterData: true });
  });

  // Drag the thumb with the mouse from 1 to about 5 on the 0..100 track, then settle it exactly with the keyboard.
  const box = await slider.boundingBox();
  if (!box) throw new Error('slider not laid out');
  const max = Number(await slider.getAttribute('max'));
  const thumb = 16;
  const x = (v: number) => box.x + thumb / 2 + (v / max) * (box.width - thumb);
  const y = box.y + box.height / 2;
  await page.mouse.move(x(1), y);
  await page.mouse.down();
  await page.mouse.move(x(5), y, { steps: 6 });
  await page.mouse.up();
  for (let i = 0; i < 20; i++) {
    const v = Number(await slider.inputValue());
    if (v === 5) break;
    await slider.press(v < 5 ? 'ArrowRight' : 'ArrowLeft');
  }
  await expect(slider).toHaveValue('5');
  await expect(page.getByLabel(`Weight of ${DEST}, exact value`)).toHaveValue('5');

  // The next delta shows 5 in the row; the edit was broadcast (service:updated) and the agent confirmed it.
  await expect(control).toHaveAttribute('data-weight', '5');
  await expect(control).toHaveAttribute('data-pending', 'false');
  // It was pending while the edit was in flight, and then confirmed by the table.
  const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
  expect(seen).toContainEqual(expect.stringMatching(/^true\|.*applying…/));
  expect(seen.at(-1)).toMatch(/^false\|/);
  await expect(page.getByTestId('activity-entry').first()).toContainText(
    `set real server ${DEST} of tcp/10.1.0.10:80: weight 5`,
  );
  expect(frames.some((f) => f.includes('"service:updated"') && f.includes('"weight":5'))).toBe(true);
  // What the agent reports now.
  const state = await tableOf(stack.url, stack.director);
  const dest = state.services
    .find((s) => s.port === 80 && s.protocol === 'tcp' && s.address === '10.1.0.10')
    ?.destinations.find((d) => d.address === '10.2.0.11');
  expect(dest?.weight).toBe(5);
  // On the lab, the kernel itself: an ipvsadm of its own in the VM, not the agent.
  if (stack.state) expect(weightIn(await kernelSave(stack), 'tcp', '10.1.0.10:80', DEST)).toBe(5);
  await chartsDrawn(page);
  await shot('service');
});

test('the agent confirms a weight edit in its reply: its re-read of the table shows the new weight', async ({
  stack,
}) => {
  const r = await edit(stack.url, stack.director, {
    kind: 'set-weight',
    service: SVC,
    destination: { address: '10.2.0.11', port: 80 },
    weight: 4,
  });
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  expect(r.data.result.argv).toEqual(['ipvsadm', '-e', '-t', '10.1.0.10:80', '-r', '10.2.0.11:80', '-m', '-w', '4']);
  expect(r.data.confirmed).toBe(true);
  if (stack.state) expect(weightIn(await kernelSave(stack), 'tcp', '10.1.0.10:80', DEST)).toBe(4);
});
