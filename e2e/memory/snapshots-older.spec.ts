// Snapshots past the first page: the list says older ones exist and shows them on demand, and a Compare link naming a
// snapshot older than the picker's newest 100 shows it chosen. The test removes every snapshot it saved.
import { expect, test } from '../support/fixtures';

test.use({ role: 'admin' });

test('older snapshots: "Show older snapshots" lists them; a Compare link to an old one shows it chosen', async ({
  page,
  stack,
}) => {
  test.setTimeout(120_000);
  const tag = `older-${Date.now().toString(36)}`;
  const ids: number[] = [];
  try {
    // the page lists 200 at first: 201 of this test make sure one of them is past it
    for (let i = 0; i < 201; i++) {
      const r = await page.request.post(`${stack.url}/api/v1/snapshots`, {
        data: { director: stack.director, name: `${tag}-${i}` },
      });
      expect(r.status(), await r.text()).toBe(201);
      ids.push(((await r.json()) as { snapshot: { id: number } }).snapshot.id);
    }
    const oldest = `${tag}-0`;
    await page.goto(`/snapshots?director=${stack.director}`);
    const rows = page.getByTestId('snapshot-row');
    await expect(rows).toHaveCount(200);
    await expect(page.getByRole('heading', { name: /Saved snapshots \(200\+\)/ })).toBeVisible();
    await expect(rows.filter({ hasText: oldest })).toHaveCount(0);
    await page.getByRole('button', { name: 'Show older snapshots' }).click();
    await expect(rows.filter({ has: page.getByText(oldest, { exact: true }) })).toHaveCount(1);

    await page.goto(`/compare?from=snapshot:${ids[0]}&to=director:${stack.director}`);
    const from = page.getByRole('form', { name: 'Compare two tables' }).getByLabel('From');
    await expect(from).toHaveValue(`snapshot:${ids[0]}`);
    await expect(from.locator('option:checked')).toContainText(oldest);
  } finally {
    for (const id of ids) await page.request.delete(`${stack.url}/api/v1/snapshots/${id}`);
  }
});
