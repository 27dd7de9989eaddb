/**
 * Printing the book: load the HTML from a file URL (so the packaged fonts may load), print once to learn where each
 * part and case begins, write the page numbers into the page-ref placeholders, and print again to confirm them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { PDFDocument } from 'pdf-lib';
import type { PDFOptions } from 'puppeteer';
import { confine } from './confine.js';
import { loadPdf, namedDestinations } from './destinations.js';
import type { BrowserSession } from './launch.js';
import { bodyNumbers, planBlankPages, sameNumbers, type Layout } from './numbering.js';

export interface PrintOptions {
  /** The print-target HTML (see docs/html-contract.md). */
  html: string;
  /** Folders the page may read files from: compilation root, template folders, packaged fonts. */
  allowedDirs: readonly string[];
  /** Start every part on a right-hand (odd) page; Chromium ignores `break-before: right`, so blank pages are added here. */
  partsOnRight: boolean;
  /** Time limit for loading and for each print pass, when longer than the session's (see printLimitFor). */
  printLimit?: number;
  /** Called as each print pass starts (1-based). */
  onPass?: (pass: number) => void;
}

export interface PrintedPdf {
  /** The final print, loaded for post-processing. */
  doc: PDFDocument;
  pageCount: number;
  /** Element id → the number printed in the footer of the page it begins on. */
  pageNumbers: Map<string, number>;
  /** Page errors, console errors, blocked requests, unresolved page references. */
  warnings: string[];
  /** How many times the book was printed. */
  passes: number;
  /** The text of every shown h1–h6 in document order: the outline's titles as they should read. */
  headings: string[];
}

const maxPasses = 3;

/** Print `options.html` to PDF with correct page references. */
export async function printBook(session: BrowserSession, options: PrintOptions): Promise<PrintedPdf> {
  const { browser, step } = session;
  const printLimit = options.printLimit ?? session.timeout;
  const dir = await mkdtemp(join(tmpdir(), 'huibian-print-'));
  const warnings: string[] = [];
  try {
    const file = join(dir, 'book.html');
    await writeFile(file, options.html);
    const page = await step('打开页面', browser.newPage());
    // The HTML is sanitised and needs no script; our own page.evaluate calls still run.
    await step('打开页面', page.setJavaScriptEnabled(false));
    const confinement = await step('打开页面', confine(page, [...options.allowedDirs, dir]));
    page.on('pageerror', (error) => warnings.push(`页面脚本出错：${error instanceof Error ? error.message : String(error)}`));
    page.on('console', (message) => {
      // Requests we refused are reported once, with their URLs, below.
      if (message.type() === 'error' && !message.text().includes('ERR_BLOCKED_BY_CLIENT')) warnings.push(`页面报告错误：${message.text()}`);
    });
    await step('载入页面', page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 0 }), printLimit);
    // What the DOM reports (which headings show, for instance) should be what gets printed.
    await step('载入页面', page.emulateMediaType('print'));
    await step('载入字体', page.evaluate(() => document.fonts.ready.then(() => undefined)));
    const targets = await step('准备页码', page.evaluate(addDestinationLinks));

    let filled: Map<string, number> | undefined;
    let last: { doc: PDFDocument; layout: Layout } | undefined;
    let passes = 0;
    for (let pass = 1; pass <= maxPasses; pass++) {
      options.onPass?.(pass);
      passes = pass;
      // The first pass only measures where things land: with nothing painted and no tag tree or outline it costs
      // about a third of a full print (layout is the same, as `visibility` does not affect it).
      const final = pass > 1;
      await step('准备排版', page.evaluate(paintNothing, !final));
      const bytes = await step(`排版（第 ${pass} 遍）`, page.pdf(pdfOptions(final)), printLimit);
      const doc = await loadPdf(bytes);
      const layout: Layout = { pages: doc.getPageCount(), destinations: namedDestinations(doc), ...targets };
      last = { doc, layout };
      const blanks = planBlankPages(layout, options.partsOnRight);
      const numbers = bodyNumbers(layout);
      if (final && blanks.length === 0 && filled && sameNumbers(numbers, filled)) break;
      if (pass === maxPasses) {
        warnings.push(`页码在 ${maxPasses} 遍排版后仍有变动，目录中的页码可能不准`);
        break;
      }
      if (blanks.length) await step('插入空白页', page.evaluate(insertBlankPages, blanks));
      // A blank page shifts every later page by one, exactly: predict the numbers the next pass will confirm.
      filled = bodyNumbers(shiftForBlanks(layout, blanks));
      await step('写入页码', page.evaluate(fillPageRefs, Object.fromEntries(filled)));
    }
    const { doc, layout } = last!;
    const pageNumbers = bodyNumbers(layout);
    const headings = await step('读取标题', page.evaluate(visibleHeadings));
    const missing = targets.refs.filter((id) => !pageNumbers.has(id));
    if (missing.length) warnings.push(`页码引用指向不存在的位置：${missing.map((id) => `#${id}`).join('、')}`);
    if (confinement.blocked.length) {
      warnings.push(
        `已阻止 ${confinement.blocked.length} 个不允许的请求（排版时只可读取汇编文件夹、模板和内置字体）：${confinement.blocked.slice(0, 5).join('、')}${confinement.blocked.length > 5 ? ' 等' : ''}`,
      );
    }
    await page.close().catch(() => undefined);
    return { doc, pageCount: layout.pages, pageNumbers, headings, warnings, passes };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The limit guards against a hung browser, not a big book: loading and printing take longer the more there is, and
 * more than linearly (a 1,000-case book, about 6 million characters, took 5 minutes of CPU for one print).
 */
export function printLimitFor(html: string, timeout: number): number {
  return timeout * Math.max(1, Math.ceil(html.length / 1_000_000));
}

function pdfOptions(final: boolean): PDFOptions {
  return {
    preferCSSPageSize: true,
    printBackground: true,
    displayHeaderFooter: false,
    tagged: final,
    outline: final,
    timeout: 0, // the session's step() applies the time limit
  };
}

function shiftForBlanks(layout: Layout, blanks: readonly string[]): Layout {
  if (!blanks.length) return layout;
  const starts = blanks.map((id) => layout.destinations.get(id)!).sort((a, b) => a - b);
  const destinations = new Map<string, number>();
  for (const [id, page] of layout.destinations) destinations.set(id, page + starts.filter((s) => s <= page).length);
  return { ...layout, pages: layout.pages + blanks.length, destinations };
}

// The functions below run inside the page (page.evaluate): they may use only the DOM and their arguments.

/**
 * Chromium writes a named destination only for ids some link points at: add hidden links for every id a page-ref
 * names and for every part, and report them with the body's first element.
 */
function addDestinationLinks(): { refs: string[]; parts: string[]; bodyStart?: string } {
  const refs = [...new Set(Array.from(document.querySelectorAll<HTMLElement>('.page-ref[data-ref]')).map((el) => el.dataset.ref!))];
  const parts = Array.from(document.querySelectorAll<HTMLElement>('section.part[id]')).map((el) => el.id);
  const appendix = document.querySelector<HTMLElement>('section.appendix[id]');
  const bodyStart = parts[0] ?? appendix?.id;
  const holder = document.createElement('div');
  holder.hidden = true;
  holder.setAttribute('data-huibian', 'destinations');
  for (const id of new Set([...refs, ...parts, ...(bodyStart ? [bodyStart] : [])])) {
    const a = document.createElement('a');
    a.href = `#${encodeURIComponent(id)}`;
    holder.append(a);
  }
  document.body.append(holder);
  return { refs, parts, bodyStart };
}

/**
 * Give each listed part an empty page before it. The template's `.part-filler[data-for]` element becomes that page
 * when marked `data-blank` (its CSS decides how the page looks and counts); a template without fillers gets a
 * plain blank page of our own, which before the body does not advance the page counter.
 */
function insertBlankPages(ids: string[]): void {
  const first = document.querySelector('section.part[id]');
  for (const id of ids) {
    const part = document.getElementById(id);
    if (!part) continue;
    const filler = Array.from(document.querySelectorAll<HTMLElement>('.part-filler[data-for]')).find((el) => el.dataset.for === id);
    if (filler) {
      filler.setAttribute('data-blank', '');
      continue;
    }
    ensureBlankPageStyle();
    const blank = document.createElement('div');
    blank.className = part === first ? 'huibian-blank before-body' : 'huibian-blank';
    blank.setAttribute('aria-hidden', 'true');
    part.before(blank);
  }

  function ensureBlankPageStyle(): void {
    if (document.querySelector('style[data-huibian="blank-pages"]')) return;
    const boxes = ['top-left-corner', 'top-left', 'top-center', 'top-right', 'top-right-corner', 'bottom-left-corner', 'bottom-left', 'bottom-center', 'bottom-right', 'bottom-right-corner', 'left-top', 'left-middle', 'left-bottom', 'right-top', 'right-middle', 'right-bottom'];
    const empty = boxes.map((b) => `@${b}{content:none}`).join('');
    const style = document.createElement('style');
    style.setAttribute('data-huibian', 'blank-pages');
    style.textContent =
      `.huibian-blank{page:huibian-blank;break-before:page;break-after:page;height:1px;margin:0;padding:0}` +
      `.huibian-blank.before-body{page:huibian-blank-front}` +
      `@page huibian-blank{${empty}}@page huibian-blank-front{counter-increment:page 0;${empty}}`;
    document.head.append(style);
  }
}

/** The text of each rendered heading, white space collapsed, in document order (the order of Chromium's outline). */
function visibleHeadings(): string[] {
  return Array.from(document.querySelectorAll<HTMLElement>('h1, h2, h3, h4, h5, h6'))
    .filter((el) => el.getClientRects().length > 0)
    .map((el) => (el.textContent ?? '').replace(/\s+/g, ' ').trim());
}

/** Hide (or show again) everything in the body without changing its layout, for the measuring pass. */
function paintNothing(hide: boolean): void {
  const id = 'huibian-measure';
  document.getElementById(id)?.remove();
  if (!hide) return;
  const style = document.createElement('style');
  style.id = id;
  style.textContent = 'body, body * { visibility: hidden !important; }';
  document.head.append(style);
}

/** Write each page number into the placeholders that refer to it. */
function fillPageRefs(numbers: Record<string, number>): void {
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('.page-ref[data-ref]'))) {
    const n = numbers[el.dataset.ref!];
    if (n !== undefined) el.textContent = String(n);
  }
}
