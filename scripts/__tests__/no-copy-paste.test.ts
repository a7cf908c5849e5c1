// Issue #12: the UI keeps one form hook, one dialog and one field of each kind. A copy-paste detector (jscpd) over the
// browser code finds no run of 6 lines / 50 tokens written twice; the same check found 7 such clones in the form and
// dialog code before they were merged (commit 07d7487).
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// jscpd's ES module build imports a CommonJS dependency by a path Node does not resolve: use its CommonJS build.
const { detectClones } = createRequire(import.meta.url)('jscpd') as {
  detectClones(options: Record<string, unknown>): Promise<
    {
      duplicationA: { sourceId: string; start: { line: number } };
      duplicationB: { sourceId: string; start: { line: number } };
    }[]
  >;
};

const root = fileURLToPath(new URL('../..', import.meta.url));
const OPTIONS = { minLines: 6, minTokens: 50, format: ['typescript', 'tsx'], silent: true, reporters: [] };

describe('copy-paste', () => {
  it('finds no repeated code in components/ and app/', { timeout: 120_000 }, async () => {
    const clones = await detectClones({ ...OPTIONS, path: [join(root, 'components'), join(root, 'app')] });
    const where = (d: { sourceId: string; start: { line: number } }) =>
      `${d.sourceId.replace(root, '')}:${d.start.line}`;
    expect(clones.map((c) => `${where(c.duplicationA)} ~ ${where(c.duplicationB)}`)).toEqual([]);
  });

  it('is not blind: a form handler written twice is found', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lvs-cpd-'));
    try {
      const handler = (
        name: string,
      ) => `export async function ${name}(e: { preventDefault(): void }, send: (v: unknown) => Promise<{ ok: boolean; error?: { field?: string; message: string } }>) {
  e.preventDefault();
  const values = { name: 'a', password: 'b', again: 'b' };
  const errors: Record<string, string> = {};
  if (!values.name) errors.name = 'required';
  if (values.password !== values.again) errors.again = 'does not match';
  if (Object.keys(errors).length) return errors;
  const r = await send(values);
  if (!r.ok && r.error?.field) errors[r.error.field] = r.error.message;
  return errors;
}
`;
      writeFileSync(join(dir, 'a.ts'), handler('submitA'));
      writeFileSync(join(dir, 'b.ts'), handler('submitB'));
      expect((await detectClones({ ...OPTIONS, path: [dir] })).length).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
