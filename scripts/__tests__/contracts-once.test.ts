// Issue #12: the contracts the browser and the server share (lib/api/contracts.ts) are declared there, not again in
// server/, so the two sides cannot drift apart.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const CONTRACTS = 'lib/api/contracts.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

const parse = (path: string) =>
  ts.createSourceFile(path, readFileSync(join(root, path), 'utf8'), ts.ScriptTarget.Latest, false);

const exported = (s: ts.Statement) =>
  ts.canHaveModifiers(s) && (ts.getModifiers(s) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/** The names a file declares at its top level (types, interfaces, classes, functions, constants). */
function declared(file: ts.SourceFile, only: (s: ts.Statement) => boolean = () => true): string[] {
  return file.statements.filter(only).flatMap((s) => {
    if (ts.isVariableStatement(s))
      return s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
    if (
      (ts.isTypeAliasDeclaration(s) ||
        ts.isInterfaceDeclaration(s) ||
        ts.isClassDeclaration(s) ||
        ts.isFunctionDeclaration(s) ||
        ts.isEnumDeclaration(s)) &&
      s.name
    )
      return [s.name.text];
    return [];
  });
}

/** The names a file re-exports (`export { X }`, `export type { X } from ...`). */
const reexported = (file: ts.SourceFile): string[] =>
  file.statements.flatMap((s) =>
    ts.isExportDeclaration(s) && s.exportClause && ts.isNamedExports(s.exportClause)
      ? s.exportClause.elements.map((e) => e.name.text)
      : [],
  );

const contracts = new Set(declared(parse(CONTRACTS), exported));
const others = sourceFiles('server').map((p) => ({ path: relative(root, join(root, p)), file: parse(p) }));

describe('API contracts', () => {
  it('are read from lib/api/contracts.ts', () => {
    expect([...contracts]).toEqual(expect.arrayContaining(['ApplyResult', 'AuditEntry', 'SnapshotMeta']));
    expect(others.map((o) => o.path)).toContain('server/hub/changes.ts');
  });

  it('are not declared again in server/', () => {
    const again = others.flatMap(({ path, file }) =>
      declared(file)
        .filter((name) => contracts.has(name))
        .map((name) => `${path}: ${name}`),
    );
    expect(again).toEqual([]);
  });

  it('are imported from lib/api/contracts, not re-exported by server modules', () => {
    const again = others.flatMap(({ path, file }) =>
      reexported(file)
        .filter((name) => contracts.has(name))
        .map((name) => `${path}: ${name}`),
    );
    expect(again).toEqual([]);
  });
});
