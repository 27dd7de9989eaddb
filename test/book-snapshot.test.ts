// The sample book (huibian.yaml, preface.md and cases/ at the repository root) rendered for the web and for print,
// compared with the HTML kept in test/snapshots/. A change to a template, the renderer or the Markdown stage shows
// its diff here in review. The snapshot is the renderer's exact output with only machine paths masked (no
// reformatting), so an unchanged snapshot means byte-identical HTML. After an intended change: `npx vitest run
// test/book-snapshot.test.ts -u`, and read the diff.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Case } from '../src/case/resolve.js';
import { buildCompilation } from '../src/compile/group.js';
import { renderBook } from '../src/render/book.js';
import { fontCacheDir } from '../src/render/font-subset.js';
import { lint } from '../src/workflows/lint.js';

const repo = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/**
 * Mask where this checkout and the font cache sit (print HTML names fonts and images by file:// URL), so the snapshot is
 * the same on every machine. The subset fonts' names keep their content hash: a change to the fonts shows here.
 */
function normalise(html: string): string {
  const fileUrl = new URL(`file://${repo}`).href;
  const fontUrl = pathToFileURL(fontCacheDir()).href;
  return html.split(fontUrl).join('file://<font-cache>').split(fileUrl).join('file://<repo>').split(repo).join('<repo>');
}

async function sampleBook() {
  const linted = await lint({ cwd: repo });
  expect(linted.exitCode, 'the sample book lints clean').toBe(0);
  const cases = linted.linted.map((l) => l.case).filter((c): c is Case => !!c);
  return buildCompilation(cases, linted.config!, {});
}

describe('the sample book as HTML', () => {
  for (const target of ['web', 'print'] as const) {
    it(`${target} target matches test/snapshots/sample-book.${target}.html`, async () => {
      const book = await renderBook(await sampleBook(), { target });
      expect(book.warnings).toEqual([]);
      await expect(normalise(book.html)).toMatchFileSnapshot(`./snapshots/sample-book.${target}.html`);
    });
  }
});
