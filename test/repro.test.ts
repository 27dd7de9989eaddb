// Reproducible: the same input compiled twice, into two folders at different paths, gives byte-identical HTML and
// PDF when SOURCE_DATE_EPOCH is set (reproducible-builds.org), and the PDF carries that date.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../src/index.js';

const fixture = fileURLToPath(new URL('./fixtures/hostile/small/', import.meta.url));
const epoch = '1790000000'; // 2026-09-21T14:13:20Z

let base: string;
const books: { html: Buffer; pdf: Buffer; pdfPath: string }[] = [];

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'huibian-repro-'));
  // Different folder names: nothing of the machine's paths may reach the bytes.
  for (const name of ['first', 'second-with-a-longer-name']) {
    const root = join(base, name);
    cpSync(fixture, root, { recursive: true });
    const result = await compile({ cwd: root, env: { SOURCE_DATE_EPOCH: epoch } });
    expect(result.exitCode).toBe(0);
    const pdfPath = join(root, 'out', 'book.pdf');
    books.push({ html: readFileSync(join(root, 'out', 'book.html')), pdf: readFileSync(pdfPath), pdfPath });
  }
}, 240_000);

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('two compiles of the same input', () => {
  it('give byte-identical HTML', () => {
    expect(books[1]!.html.equals(books[0]!.html)).toBe(true);
  });

  it('give byte-identical PDFs', () => {
    expect(books[0]!.pdf.length).toBeGreaterThan(1000);
    expect(books[1]!.pdf.equals(books[0]!.pdf)).toBe(true);
  });

  it('date the PDF by SOURCE_DATE_EPOCH, with no trace of the build folder', () => {
    const info = execFileSync('pdfinfo', ['-isodates', books[0]!.pdfPath], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    expect(info).toMatch(/CreationDate:\s+2026-09-21T14:13:20/);
    expect(info).toMatch(/ModDate:\s+2026-09-21T14:13:20/);
    expect(books[0]!.pdf.toString('latin1')).not.toContain(base);
    expect(books[0]!.html.toString('utf8')).not.toContain(base);
  });
});
