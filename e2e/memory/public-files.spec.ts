// The static files of public/, served as they are to anyone (no session): robots.txt keeps the dashboard out of
// search engines, and the web app manifest and the icons it names load for a browser that is not signed in.
import { expect, test } from '../support/fixtures';

test('robots.txt, the manifest and its icons load without a session; pages ask not to be indexed', async ({
  browser,
  stack,
}) => {
  const anonymous = await browser.newContext({ baseURL: stack.url });
  try {
    const robots = await anonymous.request.get('/robots.txt', { maxRedirects: 0 });
    expect(robots.status()).toBe(200);
    expect(await robots.text()).toMatch(/^User-agent: \*\nDisallow: \/$/m);

    const page = await anonymous.newPage();
    await page.goto('/login');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBe('/manifest.webmanifest');
    await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', /noindex/);

    const manifest = await anonymous.request.get(href ?? '', { maxRedirects: 0 });
    expect(manifest.status()).toBe(200);
    const body = (await manifest.json()) as { name: string; icons: { src: string; sizes: string; type: string }[] };
    expect(body.name).toBe('lvs-dashboard');
    expect(body.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of body.icons) {
      const r = await anonymous.request.get(icon.src, { maxRedirects: 0 });
      expect(r.status(), icon.src).toBe(200);
      expect(r.headers()['content-type'], icon.src).toContain(icon.type);
    }
    // Other paths still need a session.
    expect((await anonymous.request.get('/icons/notes.txt', { maxRedirects: 0 })).status()).toBe(303);
  } finally {
    await anonymous.close();
  }
});
