// Compare any two tables: a viewer picks a saved snapshot and a director's live table on /compare and sees the import
// preview's diff view (the same component) with the plan from one to the other.
import { edit, expect, test, WEB_REAL_SERVER, WEB_SERVICE } from '../support/fixtures';

test.use({ role: 'viewer' });

test('compare a snapshot with the live table: the import preview diff and its plan', async ({
  page,
  stack,
  signIn,
}) => {
  await signIn('operator');
  const saved = await page.request.post(`${stack.url}/api/v1/snapshots`, {
    data: { director: stack.director, name: `before compare ${Date.now()}` },
  });
  expect(saved.status(), await saved.text()).toBe(201);
  const { snapshot } = (await saved.json()) as { snapshot: { id: number } };
  const r = await edit(stack.url, stack.director, {
    kind: 'set-weight',
    service: WEB_SERVICE,
    destination: WEB_REAL_SERVER,
    weight: 4,
  });
  expect(r.ok).toBe(true);
  await signIn('viewer');

  await page.goto('/compare');
  const form = page.getByRole('form', { name: 'Compare two tables' });
  await form.getByLabel('From').selectOption(`snapshot:${snapshot.id}`);
  await form.getByLabel('To').selectOption(`director:${stack.director}`);
  await form.getByRole('button', { name: 'Compare' }).click();
  const diff = page.getByTestId('table-diff');
  await expect(page.getByTestId('diff-summary')).toContainText('1 changed');
  await expect(diff).toContainText('10.1.0.10:80');
  await expect(diff.getByTestId('plan')).toContainText('-e -t 10.1.0.10:80 -r 10.2.0.11:80 -m -w 4');
  // the comparison is in the address, to share
  await expect(page).toHaveURL(new RegExp(`from=snapshot%3A${snapshot.id}&to=director%3A`));
});
