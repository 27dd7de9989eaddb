// Reading a printed PDF the way a reader (and a print shop) would: poppler's pdftotext, pdffonts and pdfinfo, qpdf's JSON.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** The text of each page, in order (pdftotext separates pages with form feeds). */
export function pageTexts(pdf: string): string[] {
  const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const pages = text.split('\f');
  if (pages.at(-1)?.trim() === '') pages.pop();
  return pages;
}

/** Text with every kind of white space removed, so a title broken over two lines still matches. */
export function squash(text: string): string {
  return text.replace(/\s+/gu, '');
}

/** The page number printed in a page's footer: the last non-empty line, when it is a number alone. */
export function footerNumber(pageText: string): number | undefined {
  const lines = pageText.split('\n').filter((l) => l.trim() !== '');
  const last = lines.at(-1)?.trim();
  return last && /^\d+$/.test(last) ? Number(last) : undefined;
}

export interface FontRow {
  name: string;
  type: string;
  encoding: string;
  embedded: boolean;
}

/** `pdffonts` as rows. The type may contain a space ("CID TrueType", "Type 3"), so columns are cut by the header's dashes. */
export function fonts(pdf: string): FontRow[] {
  const out = execFileSync('pdffonts', [pdf], { encoding: 'utf8' }).split('\n');
  const dashes = out[1] ?? '';
  const cols: [number, number][] = [];
  for (const m of dashes.matchAll(/-+/g)) cols.push([m.index!, m.index! + m[0].length]);
  return out
    .slice(2)
    .filter((l) => l.trim())
    .map((line) => {
      const cell = (i: number) => line.slice(cols[i]![0], i + 1 < cols.length ? cols[i + 1]![0] : undefined).trim();
      return { name: cell(0), type: cell(1), encoding: cell(2), embedded: cell(3) === 'yes' };
    });
}

/** `pdfinfo` as key → value. */
export function info(pdf: string): Record<string, string> {
  const out = execFileSync('pdfinfo', ['-isodates', pdf], { encoding: 'utf8' });
  const entries: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m) entries[m[1]!] = m[2]!;
  }
  return entries;
}

export interface Bookmark {
  title: string;
  /** 1-based page the bookmark goes to. */
  page: number;
  kids: Bookmark[];
}

/** The outline (bookmarks) as qpdf reads it. */
export function bookmarks(pdf: string): Bookmark[] {
  const json = JSON.parse(execFileSync('qpdf', ['--json=2', '--json-key=outlines', pdf], { encoding: 'utf8', maxBuffer: 256 << 20 }));
  const map = (items: { title: string; destpageposfrom1: number; kids: unknown[] }[]): Bookmark[] =>
    items.map((i) => ({ title: i.title, page: i.destpageposfrom1, kids: map(i.kids as never) }));
  return map(json.outlines);
}

export function countBookmarks(items: readonly Bookmark[]): number {
  return items.reduce((n, b) => n + 1 + countBookmarks(b.kids), 0);
}

/** Pids of live processes whose command line contains `needle` (to prove no browser was left behind). */
export function processesMatching(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // A zombie has exited; only its parent's bookkeeping remains.
      if (cmd.includes(needle) && !/\) Z /.test(stat)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Named destinations as poppler reads them (`pdfinfo -dests`): name → 1-based page. */
export function destinations(pdf: string): Map<string, number> {
  const out = execFileSync('pdfinfo', ['-dests', pdf], { encoding: 'utf8', maxBuffer: 256 << 20 });
  const found = new Map<string, number>();
  for (const m of out.matchAll(/^\s*(\d+)\s+\[.*\]\s+"(.*)"$/gm)) found.set(m[2]!, Number(m[1]));
  return found;
}

/** The logical structure's text (`pdfinfo -struct-text`): the tag tree a screen reader walks. */
export function structureText(pdf: string): string {
  // poppler does not know PDF 2.0's Strong and says so on stderr; the tree is still read.
  return execFileSync('pdfinfo', ['-struct-text', pdf], { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
}

/** Every internal link: the page it sits on and the named destination it goes to (read with pdf-lib). */
export async function internalLinks(pdf: string): Promise<{ page: number; name: string }[]> {
  const { PDFArray, PDFDict, PDFDocument, PDFName, PDFString, PDFHexString } = await import('pdf-lib');
  const doc = await PDFDocument.load(readFileSync(pdf), { updateMetadata: false });
  const links: { page: number; name: string }[] = [];
  doc.getPages().forEach((page, i) => {
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
    for (let a = 0; annots && a < annots.size(); a++) {
      const annot = annots.lookup(a, PDFDict);
      const action = annot.lookupMaybe(PDFName.of('A'), PDFDict);
      const dest = annot.lookup(PDFName.of('Dest')) ?? action?.lookup(PDFName.of('D'));
      if (dest instanceof PDFName) links.push({ page: i + 1, name: dest.decodeText() });
      else if (dest instanceof PDFString || dest instanceof PDFHexString) links.push({ page: i + 1, name: dest.decodeText() });
    }
  });
  return links;
}
