import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('module graph', () => {
  it('has no import circle in server, lib, components or app', { timeout: 120_000 }, async () => {
    const graph = await madge(['server', 'lib', 'components', 'app'], {
      baseDir: root,
      fileExtensions: ['ts', 'tsx'],
      tsConfig: `${root}tsconfig.json`,
    });
    // the walk really covered the tree: a wrong baseDir would find no circle in no files
    expect(Object.keys(graph.obj())).toContain('server/hub/hub.ts');
    expect(graph.circular().map((circle) => circle.join(' > '))).toEqual([]);
  });
});
