import { loginCookie } from '../support/accounts';
import {
  expect,
  expectLive,
  resetWebWeightAfterEach,
  serviceUrl,
  tableOf,
  test,
  WEB_REAL_SERVER,
  WEB_SERVICE,
} from '../support/fixtures';

const SVC = WEB_SERVICE;
const DEST = '10.2.0.11:80';

resetWebWeightAfterEach();

test('an edit made through the REST API reaches a page watching the director as service:updated and in its activity log', async ({
  page,
  stack,
  frames,
}) => {
  await page.goto(serviceUrl(stack.director, 'tcp/10.1.0.10:80'));
  await expectLive(page);
  const { epoch, version } = await tableOf(stack.url, stack.director);
  const res = await fetch(`${stack.url}/api/v1/directors/${encodeURIComponent(stack.director)}/edits`, {
    method: 'POST',
    headers: {
      origin: stack.url,
      'content-type': 'application/json',
      cookie: await loginCookie(stack.url, 'operator'),
    },
    body: JSON.stringify({
      epoch,
      version,
      edit: { kind: 'set-weight', service: SVC, destination: WEB_REAL_SERVER, weight: 3 },
    }),
  });
  expect(res.status).toBe(200);

  await expect(page.getByTestId(`weight-${DEST}`)).toHaveAttribute('data-weight', '3');
  await expect(page.getByTestId('activity-entry').first()).toContainText(
    `set real server ${DEST} of tcp/10.1.0.10:80: weight 3`,
  );
  await expect(page.getByTestId('activity-entry').first()).toContainText('operator');
  expect(frames.some((f) => f.includes('"service:updated"') && f.includes('"weight":3'))).toBe(true);
});
