// The shape of src/ that docs/architecture.md describes: no import cycles (type-only ones included), nothing loose at
// the root but the library API, and the workflows a user runs side by side in src/workflows/.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCycles } from '../scripts/import-cycles.js';

const src = fileURLToPath(new URL('../src', import.meta.url));

describe('src/', () => {
  it('has no import cycles', () => {
    expect(importCycles(src)).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    expect(importCycles(fileURLToPath(new URL('./fixtures/architecture/cycle', import.meta.url)))).toEqual([['a.ts', 'b.ts']]);
  });

  it('has no stage importing a workflow (dependencies point cli → workflows → stages → shared)', () => {
    const stages = readdirSync(src, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => join(e.parentPath, e.name))
      .filter((path) => !/\/src\/(workflows|cli)\//.test(path) && !path.endsWith('/src/index.ts'));
    const importing = stages.filter((path) => /from '(\.\.\/)+workflows\//.test(readFileSync(path, 'utf8')));
    expect(importing).toEqual([]);
  });

  it('keeps only index.ts (the library API) at its root', () => {
    const loose = readdirSync(src, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
    expect(loose).toEqual(['index.ts']);
  });

  it('has the workflow of each command in src/workflows/', () => {
    expect(readdirSync(`${src}/workflows`)).toEqual(expect.arrayContaining(['compile.ts', 'lint.ts', 'preview.ts']));
  });
});
