/**
 * Printing the book: load the HTML once from a file URL (so the packaged fonts may load), then print it segment by
 * segment (segments.ts) with every page number known before it is needed, so that little is printed twice:
 *
 * 1. each body segment, its page margins left empty (the body begins on a right-hand page whatever the front matter's
 *    length, and nothing in it depends on its page numbers, so it comes first);
 * 2. the appendix, whose index now knows every case's page, its margins empty too;
 * 3. the frames: the page margins of the body and appendix (running heads, page numbers), printed apart and laid over
 *    their pages when merging, with a part's blank page as a page of its frame only (printFrames);
 * 4. the front matter (cover, 前言, 目录), its 目录 filled in, and when it comes out an odd number of pages, the first
 *    part's blank page after it, a frame too.
 *
 * A small book is printed whole first instead, untagged, to see where the parts begin (printWholeBody). The segments
 * are merged by merge.ts.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page, PDFOptions } from 'puppeteer';
import { confine, type Confinement } from './request-filter.js';
import { loadPdf, namedDestinations } from './destinations.js';
import type { PDFDocument } from 'pdf-lib';
import type { BrowserSession } from './launch.js';
import { headingIdPrefix, pageMarkPrefix, type MergedBook, type OutlineEntry, type SegmentPdf } from './merge.js';
import { blankBeforePart, frontMatterPages, pageAfter, physicalPagesOf, printedNumbers } from './page-numbers.js';
import { codeDigest, type BookSource, type CachedSegment, type SegmentCache, type SegmentSource } from './segment-cache.js';
import { placeSegment, planSegments, type Segment, type Unit } from './segments.js';
import { charactersPerTimeLimit, framePagesPerPrint, keptPagePages, longSegmentReloadShare, oneLoadBudget, pagesPerLoad, segmentBudget, wholeBodyBudget } from './tuning.js';

export interface PrintOptions {
  /** The print-target HTML (see docs/html-contract.md). */
  html: string;
  /** Folders the page may read files from: compilation root, template folders, packaged fonts. */
  allowedDirs: readonly string[];
  /** Start every part on a right-hand (odd) page; Chromium ignores `break-before: right`, so blank pages are added here. */
  partsOnRight: boolean;
  /** Time limit for loading and for each print, when longer than the session's (see printLimitFor). */
  printLimit?: number;
  /** Characters of HTML per body segment (default segmentBudget). */
  segmentBudget?: number;
  /** Pages printed from one browser page before it is closed and the book loaded afresh (default pagesPerLoad; a book of at most oneLoadBudget characters is printed from one load). */
  pagesPerLoad?: number;
  /** A body and appendix of at most this many characters are printed as one segment, after one untagged print of the whole book (default wholeBodyBudget). */
  wholeBodyBudget?: number;
  /** Keeps printed segments between runs; a segment whose key it holds is not printed again. */
  cache?: SegmentCache;
  /** Told before each print: its 1-based number, how many there will be, and whether the cache had it. */
  onPrint?: (print: number, of: number, reused: boolean) => void;
  /** Where `compile --watch` keeps the book's page and parsed segments from one build to the next (see PrintKeeper). */
  keeper?: PrintKeeper;
}

/**
 * What `compile --watch` keeps from one build to the next for printing a book; empty to begin with.
 *
 * - `kept` (a book that prints from one load, oneLoadBudget; a big book's page would hold hundreds of MB between
 *   builds): the browser page of the last build, with that build's book in it. The next build puts its book into that
 *   page (swapBook) instead of opening a page and loading the book: at 100 cases that was 0.5–0.8 s of a one-word
 *   rebuild — a new renderer, the document parsed, and its fonts fetched and checked again. Only when everything
 *   outside the body is unchanged (the head holds every style sheet and font face; a face already loaded stays
 *   loaded). The page is closed for good after keptPagePages printed pages, when the browser changes, and when a build
 *   fails.
 * - `segments`: the last build's segments, parsed, by their cache keys: the merge takes the ones this build reuses
 *   instead of parsing them again (merging leaves a parsed segment as it was). A big book's are those the merge parsed
 *   (the printer does not hold them while Chromium prints): at 1,000 cases about 0.16 GB between builds, for 2 s less
 *   in a one-word rebuild (bench/README.md).
 */
export interface PrintKeeper {
  kept?: KeptBookPage;
  segments?: Map<string, PDFDocument>;
  /** The last build's merged PDF, for the next build's merge (see mergeSegments). */
  merged?: MergedBook;
}

/** The page a PrintKeeper holds, with what is needed to take it up again. */
interface KeptBookPage {
  page: Page;
  browser: Browser;
  /** The allowed folders the page was confined to, joined. */
  allowed: string;
  /** Where the page's request filter and error listeners report: pointed at each build's lists in turn. */
  reports: PageReports;
  /** Pages printed with this page since it was opened. */
  printed: number;
  /** The HTML of the book in the page, which the page holds too: the next build sends only what it changed. */
  html: string;
}

/** Where a page's listeners put what they see. */
interface PageReports {
  warnings: string[];
  confinement: Confinement;
}

export interface PrintedBook {
  /** The printed segments in book order, to be merged. */
  segments: SegmentPdf[];
  /** The bookmarks: every shown h1 and h2 in book order, with the named destination of each. */
  outline: OutlineEntry[];
  pageCount: number;
  /** Element id → the number printed in the footer of the page it begins on. */
  pageNumbers: Map<string, number>;
  /** Page errors, console errors, blocked requests, unresolved page references. */
  warnings: string[];
  /** How many times Chromium printed (each segment once, a small book once more whole), not counting `reused` or the frames. */
  prints: number;
  /** How many prints the segment cache gave instead of Chromium. */
  reused: number;
  /** The frame prints (page margins laid over segments printed without them, see printFrame): made, and taken from the cache. */
  frames: { printed: number; reused: number };
  /** How many times the book was loaded into a fresh page: 0 when it went into the page kept from the last build and needed no other. */
  loads: number;
}

/** Print `options.html` as segments with correct page numbers and page references. */
export async function printBook(session: BrowserSession, options: PrintOptions): Promise<PrintedBook> {
  const printLimit = options.printLimit ?? session.timeout;
  const budget = options.segmentBudget ?? segmentBudget;
  const dir = await mkdtemp(join(tmpdir(), 'huibian-print-'));
  const warnings: string[] = [];
  let page: Page | undefined;
  const file = join(dir, 'book.html');
  const run: PrintRun = { session, options, file, dir, printLimit, budget, warnings, blocked: [], blanks: new Set(), filledIn: {}, given: new Set(), pagesSinceLoad: 0, lastPages: 0, pagesPrinted: 0, marginFonts: false, steps: 0, prints: 0, reused: 0, loads: 0, total: 0, framePrints: 0, framesReused: 0, parsed: new Map() };
  try {
    // Hidden until the units are marked: laying out the whole book on screen first would cost as much as printing it.
    await writeFile(file, hideWhileLoading(options.html));
    const taken = options.keeper && (await takeKeptPage(run, options.keeper));
    const { page: firstPage, book } = taken ?? (await loadBook(run));
    page = firstPage;
    const planned = planSegments(book.units, { splitAtParts: options.partsOnRight, budget });
    const front = planned.find((s) => s.kind === 'front');
    // A book without parts has no cases; it has nothing for the whole-body path to save.
    const whole = book.parts.length ? wholeBody(book.units, planned, options.wholeBodyBudget ?? wholeBodyBudget) : undefined;
    const body = planned.filter((s) => s.kind !== 'front');
    // With parts, the body begins on a right-hand page whatever the front matter's length (an odd front matter gets
    // the first part's filler, which is front matter too), and its page numbers count from its first page: nothing
    // in it depends on the front matter, which is printed once, last, with its 目录 filled in. The body is then
    // printed as if the front matter had no pages; its physical pages are its printed numbers. The small-book path
    // measures the front matter with its first print; a book without parts (no cases, only the appendix) has no
    // filler to even the front matter out, and measures it first.
    const frontLast = !whole && book.parts.length > 0;
    run.total = whole ? (front ? 3 : 2) : body.length + (front ? (frontLast ? 1 : 2) : 0);
    const print = async (segment: Segment, view: SegmentView, final: boolean) => {
      const printed = await printSegment(run, page!, segment, view, final);
      page = printed.page;
      return printed;
    };
    /**
     * A body segment's final print, its page margins left empty so that it does not depend on its page numbers, only
     * on whether it begins on a left-hand page (a throwaway page first). Its frame is printed once every page number
     * is known (printFrames): see frameLater.
     */
    const printBare = (segment: Segment, throwawayPage: boolean) => print(segment, { throwawayPage, counter: null, bare: true }, true);
    /**
     * The segment as it will be merged, its frame to come: it lands at physical page `start`, after the blank page
     * named `blank` when it has one (a page of its frame only, put in when merging).
     */
    const frameLater = (result: Awaited<ReturnType<typeof printBare>>, start: number, throwawayPage: boolean, blank?: string): SegmentPdf => {
      const pdf: SegmentPdf = { bytes: result.bytes, doc: result.doc, key: result.key, skipFirst: throwawayPage };
      bare.push({ pdf, start, names: result.pageNames!.slice(throwawayPage ? 1 : 0), ...(blank ? { blank } : {}) });
      return pdf;
    };
    const blank = (partId: string) => insertBlank(run, page!, partId);
    const fillPageNumbers = (numbers: Map<string, number>) => writePageNumbers(run, page!, numbers);

    // Element id → physical page in the book, counted from 1 at the cover; the front matter's pages, which the page
    // counter does not count. Until the front matter is printed, `frontPages` may stand at 0: see below.
    const physical = new Map<string, number>();
    const outline: OutlineEntry[] = [];
    const printed: SegmentPdf[] = [];
    /** The segments printed with empty margins, in book order, for printFrames (see frameLater). */
    const bare: Framed[] = [];
    let frontPages = 0;
    let frontFinal: SegmentPdf | undefined;
    let frontOutline: OutlineEntry[] = [];
    let next: number;
    if (whole) {
      next = await printWholeBody(whole);
    } else {
      if (front && !frontLast) frontPages = (await print(front, { throwawayPage: false, counter: null, bare: false }, false)).pages;
      next = frontPages + 1;
      await printSegments();
    }
    page = await printFrames(run, page, bare, frontPages);
    let pageCount = next - 1;
    if (front) {
      await fillPageNumbers(knownNumbers());
      const result = await print(front, { throwawayPage: false, counter: null, bare: false }, true);
      frontOutline = result.headings;
      frontFinal = { bytes: result.bytes, doc: result.doc, key: result.key, skipFirst: false };
      let pages = result.pages;
      if (book.parts.length && pages % 2 === 1) {
        // The first part must begin on a right-hand page: the front matter ends with its blank page, printed as a
        // frame (a left-hand page, after a throwaway one) with the page name of the first part's filler, which counts
        // as front matter.
        const blank = await printFrame(run, page, [book.blankPages[book.parts[0]!] ?? 'auto'], { throwawayPage: true, counter: null, bare: false });
        page = blank.page;
        if (blank.pages === 2) {
          frontFinal.blankAfter = { bytes: blank.bytes, ...(blank.doc ? { doc: blank.doc } : {}), from: 1 };
          pages++;
        } else warnings.push('目录等卷首内容为奇数页，第一篇前的空白页没能排出，第一篇从左页开始');
      }
      if (frontLast) pageCount += pages;
      else if (pages !== frontPages) warnings.push(`目录填入页码后由 ${frontPages} 页变为 ${pages} 页，目录中的页码可能不准`);
    }

    const pageNumbers = knownNumbers();
    const missing = book.refs.filter((id) => !pageNumbers.has(id));
    if (missing.length) warnings.push(`页码引用指向不存在的位置：${missing.map((id) => `#${id}`).join('、')}`);
    const { blocked } = run;
    if (blocked.length) {
      warnings.push(`已阻止 ${blocked.length} 个不允许的请求（排版时只可读取汇编文件夹、模板和内置字体）：${blocked.slice(0, 5).join('、')}${blocked.length > 5 ? ' 等' : ''}`);
    }
    if (options.keeper) options.keeper.segments = run.parsed;
    if (options.keeper && run.reports && printsFromOneLoad(options) && run.pagesSinceLoad < keptPagePages) {
      // A book put into the page by swapBook is held there already; one loaded from its file is not.
      if (!taken) await session.step('准备分段', page.evaluate(holdSource, options.html));
      options.keeper.kept = { page, browser: session.browser, allowed: allowedKey(options), reports: run.reports, printed: run.pagesSinceLoad, html: options.html };
      session.keep(page);
    } else {
      await page.close().catch(() => undefined);
    }
    page = undefined;
    return {
      segments: frontFinal ? [frontFinal, ...printed] : printed,
      outline: [...frontOutline, ...outline],
      pageCount,
      pageNumbers,
      warnings,
      prints: run.prints,
      reused: run.reused,
      frames: { printed: run.framePrints, reused: run.framesReused },
      loads: run.loads,
    };

    /** The body and the appendix in their planned segments, each printed once, from physical page `next` on. */
    async function printSegments(): Promise<void> {
      for (const segment of body) {
        // A part's blank page is a page of its frame only: the segment itself is printed as it is wherever it lands.
        const blankName = blankBeforePart(segment.part, next, { partsOnRight: options.partsOnRight, firstPart: book.parts[0] }) ? book.blankPages[segment.part!] ?? 'auto' : undefined;
        if (blankName) next++;
        if (segment.kind === 'appendix') await fillPageNumbers(knownNumbers());
        const { throwawayPage } = placeSegment(next, frontPages);
        const result = await printBare(segment, throwawayPage);
        const pdf = frameLater(result, next, throwawayPage, blankName);
        // A part section spans several segments and has a destination in each: where it begins is the first.
        for (const [id, p] of physicalPagesOf(result.destinations, next, throwawayPage)) if (!physical.has(id)) physical.set(id, p);
        outline.push(...result.headings);
        // A body segment that begins no part begins between two cases of one: Chromium's tag tree holds that part's
        // element in both segments.
        pdf.continues = segment.kind === 'body' && !segment.part && printed.length > 0;
        printed.push(pdf);
        next = pageAfter(next, result.pages, throwawayPage);
      }
    }

    /**
     * A small book's body and appendix as one segment: the whole book is printed once untagged, to see how long the
     * front matter is and where each part begins, then the body and appendix once more with the parts' blank pages
     * put in and the page numbers filled in (and the front matter last, by the caller). That is three prints where
     * segments cut at every part would be one per part, each with its fixed cost. Sets `frontPages`; returns the
     * physical page after the body.
     */
    async function printWholeBody(segment: Segment): Promise<number> {
      const firstPart = book.parts[0]!;
      const all: Segment = { kind: 'body', from: front?.from ?? segment.from, to: segment.to };
      const measured = physicalPagesOf((await print(all, { throwawayPage: false, counter: null, bare: false }, false)).destinations, 1, false);
      // The first part begins right after the front matter (its filler is off in this print).
      const evened = frontMatterPages(front ? (measured.get(firstPart) ?? 1) - 1 : 0, true);
      // The blank page that evens it out is printed after the front matter (see above).
      frontPages = evened.pages;
      // A part's blank page pushes it and everything after it one page on; the parts are walked in book order.
      const blankAt: number[] = [];
      if (evened.blankBeforeFirstPart) blankAt.push(frontPages);
      for (const part of book.parts) {
        const at = measured.get(part);
        if (part === firstPart || at === undefined) continue;
        const shift = blankAt.filter((p) => p <= at).length;
        if (blankBeforePart(part, at + shift, { partsOnRight: options.partsOnRight, firstPart })) {
          await blank(part);
          blankAt.push(at);
        }
      }
      for (const [id, p] of measured) physical.set(id, p + blankAt.filter((b) => b <= p).length);
      const start = frontPages + 1;
      const { throwawayPage } = placeSegment(start, frontPages);
      // Filling in the numbers changes only the pages that show them (the index, after every part); should a page
      // move all the same, print once more with the numbers read from this print.
      let result: Awaited<ReturnType<typeof printBare>> | undefined;
      for (let attempt = 0; attempt < 2; attempt++) {
        const expected = knownNumbers();
        await fillPageNumbers(expected);
        result = await printBare(segment, throwawayPage);
        physical.clear();
        for (const [id, p] of physicalPagesOf(result.destinations, start, throwawayPage)) physical.set(id, p);
        const now = knownNumbers();
        if ([...expected].every(([id, n]) => now.get(id) === n) && expected.size === now.size) break;
        if (attempt === 0) run.total++;
        else warnings.push('填入页码后分页有变化，页码引用可能不准');
      }
      outline.push(...result!.headings);
      printed.push(frameLater(result!, start, throwawayPage));
      return pageAfter(start, result!.pages, throwawayPage);
    }

    /** Printed numbers of the pages where referenced elements and parts begin, as far as printed so far. */
    function knownNumbers(): Map<string, number> {
      return printedNumbers(physical, [...book.refs, ...book.parts], frontPages);
    }
  } finally {
    await closeSpare(run);
    // A build that failed half-way closes its page, the one kept from the last build too: its state is unknown.
    await page?.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** The book as prepareBook finds it in the page: its units, the ids page-refs point at, the part ids. */
interface PreparedBook {
  units: Unit[];
  refs: string[];
  parts: string[];
  /** Part id → the page name (CSS `page`) of its filler made a blank page, `auto` for none. */
  blankPages: Record<string, string>;
}

/** A segment's final print with its margins left empty (printBare), as printFrames needs it. */
interface Framed {
  /** The segment as it will be merged; printFrames gives it its frame. */
  pdf: SegmentPdf;
  /** The physical page its first page (after a throwaway page) lands on. */
  start: number;
  /** The page name of each of its pages, a throwaway page left out. */
  names: string[];
  /** The page name of the blank page before it, when it has one (a page of its frame only). */
  blank?: string;
}

/**
 * Print the frames of the segments printed with empty margins (printFrame): consecutive segments' frames together, up
 * to framePagesPerPrint pages a print (each print has its fixed cost; a long one costs more a page), and give each
 * segment its share (SegmentPdf.frame). Every page number is known by now. A frame print that does not come out with
 * one page for each (a template that styles the frame's pages) leaves those pages without running heads or numbers,
 * and says so. Returns the page now in use.
 */
async function printFrames(run: PrintRun, page: Page, bare: readonly Framed[], frontPages: number): Promise<Page> {
  const length = (framed: Framed) => framed.names.length + (framed.blank ? 1 : 0);
  for (let i = 0; i < bare.length; ) {
    const group = [bare[i]!];
    let pages = length(bare[i]!);
    for (let next = bare[i + 1]; next && pages + length(next) <= framePagesPerPrint; next = bare[i + group.length]) {
      group.push(next);
      pages += length(next);
    }
    i += group.length;
    const first = group[0]!.start - (group[0]!.blank ? 1 : 0);
    const names = group.flatMap((framed) => [...(framed.blank ? [framed.blank] : []), ...framed.names]);
    const place = placeSegment(first, frontPages);
    const frame = await printFrame(run, page, names, { throwawayPage: place.throwawayPage, counter: place.counterStart, bare: false });
    page = frame.page;
    const skip = place.throwawayPage ? 1 : 0;
    if (frame.pages !== names.length + skip) {
      run.warnings.push(`第 ${first - frontPages}–${first - frontPages + names.length - 1} 页的页眉页码没能印上：为它们单独排版的页眉页脚有 ${frame.pages - skip} 页，应为 ${names.length} 页（模板中是否有改动 huibian-page 元素版式的样式？）`);
      continue;
    }
    let at = skip;
    for (const framed of group) {
      framed.pdf.frame = { bytes: frame.bytes, ...(frame.doc ? { doc: frame.doc } : {}), from: at, blanks: framed.blank ? 1 : 0 };
      at += length(framed);
    }
  }
  return page;
}

/** What the steps of printing one book share: the job, and the state of the browser page the book is loaded in. */
interface PrintRun {
  session: BrowserSession;
  options: PrintOptions;
  /** The book's HTML file, in `dir` (a folder the page may read). */
  file: string;
  dir: string;
  printLimit: number;
  budget: number;
  warnings: string[];
  /** Requests refused, each once. */
  blocked: string[];
  /** What was done to the book since it was first loaded, to do again on a fresh page: parts given a blank page… */
  blanks: Set<string>;
  /** …and the page numbers written into its page-refs. */
  filledIn: Record<string, number>;
  /**
   * The book as the first page marked it, every unit emptied, and each unit's content: taken before that page is
   * closed, so a fresh page loads this skeleton and is given only the units it prints (see loadBook).
   */
  skeleton?: { file: string; contents: string[]; wanted: string[] };
  /** Units whose content the current page was given (skeleton pages only). */
  given: Set<number>;
  pagesSinceLoad: number;
  /** The pages of the last print (frames aside), to tell whether the next will need a fresh page (see openSpare). */
  lastPages: number;
  /** The next fresh page, opened ahead (see openSpare): the page, and the page with the book loaded. */
  spare?: { opening: Promise<Page>; loading: Promise<LoadedPage> };
  /** Pages printed in all, on every browser page. */
  pagesPrinted: number;
  /** Segments done (printed or taken from the cache), for progress. */
  steps: number;
  prints: number;
  reused: number;
  /** Times the book was loaded into a fresh page. */
  loads: number;
  /** Where the current page's listeners report (set when the page is opened or taken up from the keeper). */
  reports?: PageReports;
  /** Whether the fonts of the page margins are loaded in the current browser page (see loadMarginFonts). */
  marginFonts: boolean;
  /** The book's units, as prepareBook found them on the first page. */
  prepared?: PreparedBook;
  /** The loaded book's head and browser, for the cache's keys (set by loadBook when there is a cache). */
  book?: BookSource;
  /** How many prints there will be, for progress. */
  total: number;
  /** Frame prints made (printFrame), and taken from the cache. */
  framePrints: number;
  framesReused: number;
  /** The final prints' segments parsed, by cache key, for the keeper (a book that prints from one load, with a cache). */
  parsed: Map<string, PDFDocument>;
}

/**
 * Load the book into a fresh browser page and take the page up, putting back what was done to the book since it was
 * first loaded: into `loaded` when given (a spare page opened ahead, see openSpare), else into a page opened now.
 */
async function loadBook(run: PrintRun, loaded?: LoadedPage): Promise<{ page: Page; book: PreparedBook }> {
  const { page, reports } = loaded ?? (await openBook(run));
  run.reports = reports;
  run.loads++;
  const book = await prepareLoaded(run, page);
  run.pagesSinceLoad = 0;
  return { page, book };
}

/** A browser page with the book (or its skeleton) loaded, not yet taken up (see loadBook). */
interface LoadedPage {
  page: Page;
  /** Where its listeners report. */
  reports: PageReports;
}

/**
 * Open a browser page (or take `opening`, one being opened) and load the book into it: the skeleton once there is
 * one. Nothing in `run` changes.
 */
async function openBook(run: PrintRun, opening = run.session.step('打开页面', run.session.newPage())): Promise<LoadedPage> {
  const { session, options } = run;
  const { step } = session;
  const page = await opening;
  try {
    // The HTML is sanitised and needs no script; our own page.evaluate calls still run.
    await step('打开页面', page.setJavaScriptEnabled(false));
    const reports: PageReports = { warnings: run.warnings, confinement: await step('打开页面', confine(page, [...options.allowedDirs, run.dir], run.blocked)) };
    page.on('pageerror', (error) => reports.warnings.push(`页面脚本出错：${error instanceof Error ? error.message : String(error)}`));
    page.on('console', (message) => {
      // Requests we refused are reported once, with their URLs, at the end.
      if (message.type() === 'error' && !message.text().includes('ERR_BLOCKED_BY_CLIENT')) reports.warnings.push(`页面报告错误：${message.text()}`);
    });
    await step('载入页面', page.goto(pathToFileURL(run.skeleton?.file ?? run.file).href, { waitUntil: 'load', timeout: 0 }), run.printLimit);
    // What the DOM reports (which headings show, for instance) should be what gets printed.
    await step('载入页面', page.emulateMediaType('print'));
    return { page, reports };
  } catch (error) {
    await page.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Open the next fresh page of a big book while the current one prints (Chromium starts its renderer, loads the
 * skeleton and the margin fonts on the other core): at 1,000 cases a fresh page took 1.2–1.5 s before its first print,
 * every 150 pages. The spare is taken up by the next print that needs a fresh page, or closed when the book is done.
 */
function openSpare(run: PrintRun): void {
  const opening = run.session.step('打开页面', run.session.newPage());
  // The margin fonts loaded here are found loaded by the page's first print, which asks for them again.
  const loading = openBook(run, opening).then(async (loaded) => {
    try {
      await run.session.step('载入字体', loaded.page.evaluate(loadMarginFonts));
    } catch (error) {
      await loaded.page.close().catch(() => undefined);
      throw error;
    }
    return loaded;
  });
  // Its failure is reported when it is taken up, not as an unhandled rejection meanwhile.
  opening.catch(() => undefined);
  loading.catch(() => undefined);
  run.spare = { opening, loading };
}

/** Take the skeleton from the first page, unless taken already (see PrintRun.skeleton). */
async function haveSkeleton(run: PrintRun, page: Page): Promise<void> {
  if (run.skeleton) return;
  const taken = await run.session.step('准备分段', page.evaluate(takeSkeleton));
  const file = join(run.dir, 'skeleton.html');
  await writeFile(file, taken.html);
  run.skeleton = { file, contents: taken.contents, wanted: taken.wanted };
}

/**
 * Close the spare page, if one was opened and not taken up (see openSpare), without waiting for it to finish loading:
 * its load then fails, which nothing waits for.
 */
async function closeSpare(run: PrintRun): Promise<void> {
  const { spare } = run;
  run.spare = undefined;
  const page = await spare?.opening.catch(() => undefined);
  await page?.close().catch(() => undefined);
}

/**
 * The page kept from the last build with this build's book put into it (see PrintKeeper), or undefined when it cannot
 * be used; it is closed then, and `keeper` is left empty either way (a page in use is not kept).
 */
async function takeKeptPage(run: PrintRun, keeper: PrintKeeper): Promise<{ page: Page; book: PreparedBook } | undefined> {
  const { kept } = keeper;
  keeper.kept = undefined;
  if (!kept) return undefined;
  const { session, options } = run;
  const { page } = kept;
  const usable = !page.isClosed() && kept.browser === session.browser && session.browser.connected && kept.allowed === allowedKey(options) && printsFromOneLoad(options);
  try {
    const edit = usable ? { ...editBetween(kept.html, options.html), sha256: createHash('sha256').update(options.html).digest('hex') } : undefined;
    if (edit && (await session.step('载入页面', page.evaluate(swapBook, edit), run.printLimit))) {
      // As a load waits for its images. They are data URLs and arrive almost at once (in the bench book none was still
      // pending by this call), but a large one need not.
      for (let tries = 0; (await session.step('载入页面', page.evaluate(imagesPending))) > 0 && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
      kept.reports.warnings = run.warnings;
      kept.reports.confinement.blocked = run.blocked;
      run.reports = kept.reports;
      const book = await prepareLoaded(run, page);
      run.pagesSinceLoad = kept.printed;
      return { page, book };
    }
  } catch (error) {
    await page.close().catch(() => undefined);
    throw error;
  }
  await page.close().catch(() => undefined);
  return undefined;
}

/** Mark the book just loaded (or, on a skeleton page, take up the marks), and put back the blank pages and page numbers. */
async function prepareLoaded(run: PrintRun, page: Page): Promise<PreparedBook> {
  const { session, options, skeleton } = run;
  const { step } = session;
  if (skeleton) {
    await step('准备分段', page.evaluate(adoptSkeleton, skeleton.wanted));
    run.given.clear();
  } else {
    run.prepared = await step('准备分段', page.evaluate(prepareBook, headingIdPrefix, run.budget));
  }
  run.marginFonts = false;
  for (const id of run.blanks) await step('插入空白页', page.evaluate(setBlank, id));
  await step('写入页码', page.evaluate(fillPageRefs, run.filledIn));
  if (options.cache) {
    // The code here (in the bundle, all of huibian's) is part of every key: in-page steps decide what prints.
    run.book ??= { head: await step('准备分段', page.evaluate(headSource)), browserVersion: await step('准备分段', session.browser.version()), printer: codeDigest(import.meta.url) };
  }
  return run.prepared!;
}

/** What a kept page must have been confined to for the next build to use it. */
function allowedKey(options: PrintOptions): string {
  return options.allowedDirs.join('\0');
}

/**
 * The change from `before` to `after` as one replaced stretch: the common start and end are left out. Sending a 1 MB
 * book to the page costs 0.15–0.3 s of the protocol's time; a one-word edit is a few characters. Never cuts a
 * surrogate pair, which the protocol would not carry.
 */
export function editBetween(before: string, after: string): { at: number; cut: number; text: string } {
  const most = Math.min(before.length, after.length);
  let at = 0;
  while (at < most && before.charCodeAt(at) === after.charCodeAt(at)) at++;
  if (at > 0 && isHighSurrogate(after.charCodeAt(at - 1))) at--;
  let end = 0;
  while (end < most - at && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  if (end > 0 && isHighSurrogate(after.charCodeAt(after.length - end - 1))) end--;
  return { at, cut: before.length - at - end, text: after.slice(at, after.length - end) };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Pages printed from one browser page before the book is loaded afresh: Infinity for a book that fits in one load. */
function pagesPerLoadOf(options: PrintOptions): number {
  return options.pagesPerLoad ?? (options.html.length <= oneLoadBudget ? Infinity : pagesPerLoad);
}

/** Whether the whole book prints from one browser page (what `compile --watch` may keep between builds, PrintKeeper). */
function printsFromOneLoad(options: PrintOptions): boolean {
  return pagesPerLoadOf(options) === Infinity;
}

/**
 * Whether to load the book into a fresh page before the next print. Chromium's renderer keeps part of what each print
 * used; navigating away does not give it back, a new page (a new renderer process) does. A long segment that cannot be
 * cut (the appendix, the final 目录) starts on a fresh page unless little has been printed since.
 */
export function needsFreshPage(pagesSinceLoad: number, limit: number, long: boolean): boolean {
  return pagesSinceLoad >= limit || (long && pagesSinceLoad > limit * longSegmentReloadShare);
}

/**
 * The body and appendix as one segment, when together they hold at most `limit` characters and the plan cut them
 * into more than one; undefined otherwise (then they are printed as planned).
 */
function wholeBody(units: readonly Unit[], planned: readonly Segment[], limit: number): Segment | undefined {
  const rest = planned.filter((s) => s.kind !== 'front');
  if (rest.length < 2) return undefined;
  const from = rest[0]!.from;
  const size = units.slice(from).reduce((n, u) => n + u.size, 0);
  return size <= limit ? { kind: 'body', from, to: units.length, ...(rest[0]!.part ? { part: rest[0]!.part } : {}) } : undefined;
}

/**
 * Print one segment (on a fresh page when due), or take it from the cache: its PDF, page count, named destinations and
 * shown headings (and, when its margins were left empty, the page name of each page), and the page now in use.
 */
async function printSegment(run: PrintRun, page: Page, segment: Segment, view: SegmentView, final: boolean) {
  await giveUnits(run, page, segment);
  const long = (segment.kind === 'appendix' || (segment.kind === 'front' && final)) && run.pagesPrinted >= pagesPerLoadOf(run.options);
  return printOnce(run, page, {
    source: () => run.session.step('准备分段', page.evaluate(segmentSource, segment)),
    view: { ...view, tagged: final },
    merged: final,
    long,
    onKey: (reused) => run.options.onPrint?.(++run.steps, run.total, reused),
    show: async (page) => {
      // A fresh page was given no unit yet.
      await giveUnits(run, page, segment);
      await run.session.step('准备排版', page.evaluate(showSegment, { ...view, from: segment.from, to: segment.to, frame: null }));
    },
    label: () => `排版（第 ${run.steps}/${run.total} 段）`,
  });
}

/**
 * A frame: one empty page for each page `names` gives the page name (CSS `page`) of, printed with the page margins at
 * their place in the book (`view`) — running heads, page numbers, whatever the template's @page rules put there — to
 * be laid over the pages of segments printed with empty margins when merging (merge.ts), as artifacts. A segment so
 * printed does not depend on its page numbers: an edit that moves the pages after it reprints their frames (empty
 * pages print fast: 300 in about 0.2 s) and the 目录 and index, not them.
 */
async function printFrame(run: PrintRun, page: Page, names: string[], view: SegmentView) {
  return printOnce(run, page, {
    source: async () => ({ sha256: createHash('sha256').update(JSON.stringify(names)).digest('hex'), files: [] }),
    view: { ...view, tagged: false, frame: true },
    merged: true,
    long: false,
    onKey: (reused) => {
      if (reused) run.framesReused++;
    },
    show: (page) => run.session.step('准备排版', page.evaluate(showSegment, { ...view, from: 0, to: 0, frame: names })),
    label: () => `排版页眉页脚（第 ${run.steps}/${run.total} 段）`,
  });
}

/** What printOnce prints: how to key it, show it and report it. */
interface PrintJob {
  source(): Promise<SegmentSource>;
  view: SegmentView & { tagged: boolean; frame?: boolean };
  /** Whether the print goes into the finished PDF (a final print, or a frame). */
  merged: boolean;
  /** A long print that cannot be cut (see needsFreshPage). */
  long: boolean;
  /** Told whether the cache had the print. */
  onKey(reused: boolean): void;
  /** Show what is printed in `page` (the page may be a fresh one). */
  show(page: Page): Promise<unknown>;
  label(): string;
}

/** Print `job` (on a fresh page when due), or take it from the cache; see printSegment. */
async function printOnce(run: PrintRun, page: Page, job: PrintJob) {
  const { step } = run.session;
  const { cache } = run.options;
  const { view } = job;
  const key = cache && run.book ? await cache.key(run.book, await job.source(), view) : undefined;
  const kept = key ? await cache!.get(key) : undefined;
  job.onKey(!!kept);
  // A book that prints from one load hands its parsed segments on: to the merge, and in `--watch` to the next build
  // (PrintKeeper.segments), by key, when the print goes into the PDF. A bigger book's are parsed when merging, and
  // handed on from there (see makePdf).
  const fromOneLoad = printsFromOneLoad(run.options);
  const keeping = key !== undefined && job.merged && !!run.options.keeper;
  if (kept) {
    if (!view.frame) run.reused++;
    // Parsed once per watch build at most: the last build's parsed copy, or parsed here (or when merging) for the next
    // build's.
    const doc = keeping ? (run.options.keeper!.segments?.get(key) ?? (fromOneLoad ? await loadPdf(kept.bytes) : undefined)) : undefined;
    if (doc) run.parsed.set(key!, doc);
    return { page, ...kept, key, ...(doc ? { doc } : {}) };
  }
  // A book that fits in one load never needs a second: loading it afresh would cost more than the memory it frees.
  const limit = pagesPerLoadOf(run.options);
  if (needsFreshPage(run.pagesSinceLoad, limit, job.long)) {
    await haveSkeleton(run, page);
    await step('打开页面', page.close());
    const { spare } = run;
    run.spare = undefined;
    ({ page } = await loadBook(run, spare && (await spare.loading)));
  } else if (!run.spare && !view.frame && needsFreshPage(run.pagesSinceLoad + run.lastPages, limit, job.long)) {
    // A print like the last would leave this page due for a fresh one: open it while this one prints.
    await haveSkeleton(run, page);
    openSpare(run);
  }
  if (view.frame) run.framePrints++;
  else run.prints++;
  // Loaded before the page's first print, not with the book: a run whose segments all come from the cache needs none.
  if (!run.marginFonts) await step('载入字体', page.evaluate(loadMarginFonts));
  run.marginFonts = true;
  await job.show(page);
  const marks = view.bare ? await step('准备排版', page.evaluate(markPageStarts, pageMarkPrefix)) : undefined;
  await step('载入字体', page.evaluate(fontsReady));
  const bytes = await step(job.label(), page.pdf(pdfOptions(view.tagged)), run.printLimit);
  if (marks) await step('准备排版', page.evaluate(unmarkPageStarts));
  // Only a final print's headings go into the outline.
  const headings = view.tagged ? await step('读取标题', page.evaluate(shownHeadings)) : [];
  // Parsed here for its page count and destinations. A book that prints from one load hands the parsed document on
  // to the merge; a bigger one's is parsed again there: keeping 30 parsed segments in Node while Chromium runs would
  // add to the peak that segmenting is there to bound.
  const doc = await loadPdf(bytes);
  const destinations = namedDestinations(doc);
  const pages = doc.getPageCount();
  const result: CachedSegment = { bytes, pages, destinations, headings, ...(marks ? { pageNames: pageNamesOf(marks, destinations, pages) } : {}) };
  // The frame's pages hold next to nothing: they do not count towards a fresh page.
  if (!view.frame) {
    run.pagesSinceLoad += result.pages;
    run.pagesPrinted += result.pages;
    run.lastPages = result.pages;
  }
  if (key) await cache!.put(key, result);
  if (keeping && fromOneLoad) run.parsed.set(key, doc);
  return { page, ...result, key, ...(fromOneLoad ? { doc } : {}) };
}

/**
 * The page name in force on each of a print's `pages`: where a mark (markPageStarts) landed, its name, and on pages
 * where none did, the name of the page before (a change of page name always begins a page). When marks land on one
 * page, the last wins: the elements between them hold nothing. A mark without an id stands for page 1.
 */
export function pageNamesOf(marks: readonly { id: string; name: string }[], destinations: ReadonlyMap<string, number>, pages: number): string[] {
  const names: (string | undefined)[] = new Array(pages).fill(undefined);
  for (const mark of marks) {
    const p = mark.id ? destinations.get(mark.id) : 1;
    if (p !== undefined && p >= 1 && p <= pages) names[p - 1] = mark.name;
  }
  let last = 'auto';
  return names.map((name) => (last = name ?? last));
}

/**
 * On a page loaded from the skeleton, give it the content of the segment's units it does not have yet, with the
 * blank pages and page numbers put in as on the first page. The first page has every unit's content.
 */
async function giveUnits(run: PrintRun, page: Page, segment: Segment): Promise<void> {
  if (!run.skeleton) return;
  const units: [number, string][] = [];
  for (let i = segment.from; i < segment.to; i++) if (!run.given.has(i)) units.push([i, run.skeleton.contents[i]!]);
  if (!units.length) return;
  for (const [i] of units) run.given.add(i);
  const { step } = run.session;
  await step('准备分段', page.evaluate(giveContent, units));
  for (const id of run.blanks) await step('插入空白页', page.evaluate(setBlank, id));
  await step('写入页码', page.evaluate(fillPageRefs, run.filledIn));
}

/** Give a part its blank page (its filler), here and on any fresh page. */
async function insertBlank(run: PrintRun, page: Page, partId: string): Promise<void> {
  run.blanks.add(partId);
  await run.session.step('插入空白页', page.evaluate(setBlank, partId));
}

/** Write printed page numbers into the page-refs, here and on any fresh page. */
async function writePageNumbers(run: PrintRun, page: Page, numbers: Map<string, number>): Promise<void> {
  run.filledIn = Object.fromEntries(numbers);
  await run.session.step('写入页码', page.evaluate(fillPageRefs, run.filledIn));
}

/**
 * The limit guards against a hung browser, not a big book: loading the whole book takes longer the more there is, so
 * the limit (for loading and, generously, for each segment's print) scales with the size of the whole HTML.
 */
export function printLimitFor(html: string, timeout: number): number {
  return timeout * Math.max(1, Math.ceil(html.length / charactersPerTimeLimit));
}

/** Hide the body until prepareBook has marked the units (it removes this style). */
function hideWhileLoading(html: string): string {
  const style = '<style data-huibian="loading">body{display:none!important}</style>';
  const head = html.search(/<\/head\s*>/i);
  return head < 0 ? style + html : html.slice(0, head) + style + html.slice(head);
}

function pdfOptions(final: boolean): PDFOptions {
  return {
    preferCSSPageSize: true,
    printBackground: true,
    displayHeaderFooter: false,
    tagged: final,
    // The outline is built from all segments' headings when they are merged.
    outline: false,
    timeout: 0, // the session's step() applies the time limit
  };
}

interface SegmentView {
  /** Print a throwaway page first (see placeSegment). */
  throwawayPage: boolean;
  /** The page counter's value on the first page, or null to leave the counter to the template. */
  counter: number | null;
  /** Leave the page margins empty (running heads, page numbers): a frame print fills them in (printFrame). */
  bare: boolean;
}

// The functions below run inside the page (page.evaluate): they may use only the DOM, their arguments and PrintState.

/** What prepareBook leaves on the page's window for the later steps. */
interface PrintState {
  /** A hidden unit's element → its content, out of the document (see showSegment). */
  huibianShelf: Map<Element, DocumentFragment>;
  /** The ids that need a named destination wherever they are printed (see addDestinationLinks). */
  huibianWanted: string[];
  /** The HTML of the book in the page, on a page kept between builds (see swapBook). */
  huibianSource?: string;
}

/**
 * Mark the book's units and report them (see Unit in segments.ts). Also: give every part without a template filler a
 * filler of our own, give every h1 and h2 an id, and add hidden links to every id whose page we need — Chromium writes
 * a named destination only for ids some link points at.
 */
function prepareBook(headingIdPrefix: string, budget: number): PreparedBook {
  const refs = [...new Set(Array.from(document.querySelectorAll<HTMLElement>('.page-ref[data-ref]')).map((el) => el.dataset.ref!))];
  const partEls = Array.from(document.querySelectorAll<HTMLElement>('section.part[id]'));
  const parts = partEls.map((el) => el.id);
  const appendix = document.querySelector<HTMLElement>('section.appendix[id]');
  const bodyStart = partEls[0] ?? appendix ?? undefined;

  // The steps, each a named function below (all inside this one, which runs in the page, so Chromium gets one source).
  addPrintStyles();
  addOwnBlankPages();
  const headings = nameHeadings();
  const holder = addDestinationLinks(headings);
  const throwawayPage = addThrowawayPage();
  const frame = addFrame();
  const unitEls = findUnits([throwawayPage, holder, frame]);
  const units = describeUnits(unitEls);
  unitEls.forEach((el, i) => {
    el.setAttribute('data-huibian-unit', String(i));
    el.setAttribute('data-huibian-hidden', '');
  });
  // Nothing on the shelf yet: showSegment puts each hidden unit's content there.
  (window as unknown as PrintState).huibianShelf = new Map();
  document.querySelector('style[data-huibian="loading"]')?.remove();
  return { units, refs, parts, blankPages: blankPageNames() };

  /**
   * Each part's blank page's page name: that of its filler before it, with the blank page switched on; without one
   * (a template whose filler is elsewhere), that of huibian's own blank page, which before the body does not count.
   */
  function blankPageNames(): Record<string, string> {
    const names: Record<string, string> = {};
    const fillers = Array.from(document.querySelectorAll<HTMLElement>('.part-filler[data-for], .huibian-blank[data-for]'));
    for (const part of partEls) {
      const filler = fillers.filter((f) => f.dataset.for === part.id && part.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_PRECEDING).at(-1);
      if (!filler) {
        names[part.id] = part === partEls[0] ? 'huibian-blank-front' : 'huibian-blank';
        continue;
      }
      const on = filler.hasAttribute('data-blank');
      filler.setAttribute('data-blank', '');
      names[part.id] = getComputedStyle(filler).page || 'auto';
      if (!on) filler.removeAttribute('data-blank');
    }
    return names;
  }

  /** The CSS of hidden units, blank and throwaway pages and frames, and the style elements each print sets (showSegment). */
  function addPrintStyles(): void {
    // A book put into a kept page (swapBook) finds those of the book before it.
    for (const old of Array.from(document.querySelectorAll('style[data-huibian="print"], style[data-huibian="counter"], style[data-huibian="margins"]'))) old.remove();
    const style = document.createElement('style');
    style.setAttribute('data-huibian', 'print');
    const boxes = ['top-left-corner', 'top-left', 'top-center', 'top-right', 'top-right-corner', 'bottom-left-corner', 'bottom-left', 'bottom-center', 'bottom-right', 'bottom-right-corner', 'left-top', 'left-middle', 'left-bottom', 'right-top', 'right-middle', 'right-bottom'];
    const empty = boxes.map((b) => `@${b}{content:none}`).join('');
    style.textContent =
      '[data-huibian-hidden]{display:none!important}' +
      '.huibian-blank{display:none}' +
      '.huibian-blank[data-blank]{display:block;page:huibian-blank;break-before:page;height:1px;margin:0;padding:0}' +
      '.huibian-blank.before-body[data-blank]{page:huibian-blank-front}' +
      '[data-huibian="throwaway-page"]{display:none}' +
      '[data-huibian="throwaway-page"][data-on]{display:block;page:huibian-throwaway-page;break-after:page;height:1px;margin:0;padding:0}' +
      `@page huibian-blank{${empty}}@page huibian-blank-front{counter-increment:page 0;${empty}}@page huibian-throwaway-page{${empty}}` +
      'huibian-frame{display:none}huibian-frame[data-on]{display:block}' +
      'huibian-page{display:block!important;height:1px!important;margin:0!important;padding:0!important;border:0!important;break-before:page!important}' +
      'huibian-page:first-child{break-before:auto!important}';
    document.head.append(style);
    // Per print (showSegment): the page counter's start…
    const counter = document.createElement('style');
    counter.setAttribute('data-huibian', 'counter');
    // …and every margin box of every page left empty, whatever the template's @page rules put in it (`!important`
    // wins over their more specific selectors), switched on by its media.
    const margins = document.createElement('style');
    margins.setAttribute('data-huibian', 'margins');
    margins.media = 'not all';
    margins.textContent = `@page{${boxes.map((b) => `@${b}{content:none!important}`).join('')}}`;
    document.head.append(counter, margins);
  }

  /** The holder of a frame print's pages (see printFrame); shown only for that print. */
  function addFrame(): HTMLElement {
    const frame = document.createElement('huibian-frame');
    frame.setAttribute('aria-hidden', 'true');
    document.body.append(frame);
    return frame;
  }

  /** A template without fillers gets plain blank pages of our own; before the body they do not advance the counter. */
  function addOwnBlankPages(): void {
    const fillers = new Set(Array.from(document.querySelectorAll<HTMLElement>('.part-filler[data-for]')).map((el) => el.dataset.for));
    for (const part of partEls) {
      if (fillers.has(part.id)) continue;
      const blank = document.createElement('div');
      blank.className = part === partEls[0] ? 'huibian-blank before-body' : 'huibian-blank';
      blank.dataset.for = part.id;
      blank.setAttribute('aria-hidden', 'true');
      part.before(blank);
    }
  }

  /** The h1 and h2 elements (the outline), each given an id if it has none. */
  function nameHeadings(): HTMLElement[] {
    let n = 0;
    const headings = Array.from(document.querySelectorAll<HTMLElement>('h1, h2'));
    for (const h of headings) if (!h.id) h.id = `${headingIdPrefix}${++n}`;
    return headings;
  }

  /**
   * The holder of hidden links to every id whose page is wanted, so that the PDF gets a named destination for each:
   * the page-refs' targets, the parts, the appendix, the headings, and whatever a link in the book points at (a
   * destination is written only for an id some link in the document points at, and the links in units put on the
   * shelf are not in the document). showSegment fills it with the links whose targets are in the document.
   */
  function addDestinationLinks(headings: HTMLElement[]): HTMLElement {
    const linked: string[] = [];
    for (const a of Array.from(document.querySelectorAll<HTMLAnchorElement>('a[href^="#"]'))) {
      try {
        linked.push(decodeURIComponent(a.getAttribute('href')!.slice(1)));
      } catch {
        // A malformed escape names no element.
      }
    }
    const wanted = [...new Set([...refs, ...parts, ...(appendix ? [appendix.id] : []), ...headings.map((h) => h.id), ...linked])].filter((id) => id);
    (window as unknown as PrintState).huibianWanted = wanted;
    const holder = document.createElement('div');
    holder.hidden = true;
    holder.setAttribute('data-huibian', 'destinations');
    document.body.append(holder);
    return holder;
  }

  /** The element that becomes a throwaway first page when a segment must begin on a left-hand page. */
  function addThrowawayPage(): HTMLElement {
    const throwawayPage = document.createElement('div');
    throwawayPage.setAttribute('data-huibian', 'throwaway-page');
    throwawayPage.setAttribute('aria-hidden', 'true');
    document.body.prepend(throwawayPage);
    return throwawayPage;
  }

  /**
   * Units: cases, and the largest elements that hold no case and fit in a segment. The elements around them are
   * containers: each is shown only while one of its units is (an empty part section would still make a page of its
   * own). An element bigger than a segment (the index of a big book) is opened when it holds only elements.
   */
  function findUnits(ours: HTMLElement[]): HTMLElement[] {
    const unitEls: HTMLElement[] = [];
    const opens = (el: Element) =>
      !!el.querySelector('article.case') ||
      (el.outerHTML.length > budget && el.firstElementChild !== null && Array.from(el.childNodes).every((n) => n.nodeType !== Node.TEXT_NODE || !n.textContent!.trim()));
    const walk = (el: Element) => {
      for (const child of Array.from(el.children)) {
        if (!(child instanceof HTMLElement) || ours.includes(child) || child.matches('style, script, template')) continue;
        if (child.matches('article.case') || !opens(child)) {
          unitEls.push(child);
        } else {
          const first = unitEls.length;
          walk(child);
          child.setAttribute('data-huibian-container', `${first} ${unitEls.length}`);
        }
      }
    };
    walk(document.body);
    return unitEls;
  }

  /** Each unit as segments.ts needs it: its matter, size, whether the book starts a page there, filler, part start. */
  function describeUnits(unitEls: HTMLElement[]): Unit[] {
    const forced = (value: string) => ['page', 'left', 'right', 'recto', 'verso'].includes(value);
    /** A forced break before `el`, or before an ancestor it opens. */
    const breaksBefore = (el: Element): boolean => {
      for (let e: Element | null = el; e && e !== document.body; e = e.parentElement) {
        if (forced(getComputedStyle(e).breakBefore)) return true;
        if (e.parentElement?.firstElementChild !== e) return false;
      }
      return false;
    };
    /** A forced break after `el`, or after an ancestor it closes. */
    const breaksAfter = (el: Element): boolean => {
      for (let e: Element | null = el; e && e !== document.body; e = e.parentElement) {
        if (forced(getComputedStyle(e).breakAfter)) return true;
        if (e.parentElement?.lastElementChild !== e) return false;
      }
      return false;
    };
    const matterOf = (el: HTMLElement): Unit['matter'] => {
      if (appendix && (appendix.contains(el) || appendix.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) return 'appendix';
      if (bodyStart && !bodyStart.contains(el) && bodyStart.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_PRECEDING) return 'front';
      return 'body';
    };
    const started = new Set<HTMLElement>();
    return unitEls.map((el, i): Unit => {
      const part = partEls.find((p) => p.contains(el));
      const firstOfPart = part && !started.has(part);
      if (part) started.add(part);
      return {
        matter: matterOf(el),
        size: el.outerHTML.length,
        newPage: breaksBefore(el) || (i > 0 && breaksAfter(unitEls[i - 1]!)),
        filler: el.matches('.part-filler, .huibian-blank'),
        ...(firstOfPart ? { partStart: part.id } : {}),
      };
    });
  }
}

/**
 * The marked book with every unit emptied, for a fresh page to load instead of the whole book (a 1,000-case book took
 * 0.7 s to load and 0.3 s to mark, every 150 pages), and each unit's content as HTML, to be given to such a page when
 * it prints the unit (giveContent). Counter, throwaway page and destination links are left for showSegment to set.
 */
function takeSkeleton(): { html: string; contents: string[]; wanted: string[] } {
  const { huibianShelf: shelf, huibianWanted: wanted } = window as unknown as PrintState;
  const units = Array.from(document.querySelectorAll<HTMLElement>('[data-huibian-unit]'));
  const contents = units.map((el) => {
    const shelved = shelf.get(el);
    if (!shelved) return el.innerHTML;
    const whole = el.cloneNode(false) as Element;
    whole.append(shelved.cloneNode(true));
    return whole.innerHTML;
  });
  const root = document.documentElement.cloneNode(true) as HTMLElement;
  for (const el of Array.from(root.querySelectorAll('[data-huibian-unit]'))) {
    el.replaceChildren();
    el.setAttribute('data-huibian-hidden', '');
  }
  root.querySelector('[data-huibian="destinations"]')?.replaceChildren();
  root.querySelector('[data-huibian="throwaway-page"]')?.removeAttribute('data-on');
  root.querySelector('style[data-huibian="counter"]')!.textContent = '';
  root.querySelector<HTMLStyleElement>('style[data-huibian="margins"]')!.media = 'not all';
  root.querySelector('huibian-frame')?.replaceChildren();
  root.querySelector('huibian-frame')?.removeAttribute('data-on');
  const doctype = document.doctype ? new XMLSerializer().serializeToString(document.doctype) : '';
  return { html: doctype + root.outerHTML, contents, wanted };
}

/**
 * Put the next book into this page in place of the one it holds (see PrintKeeper), when everything outside the body
 * is the same as in the page — the head less the styles prepareBook added, the root element's start tag, the doctype:
 * the body is then all that differs from loading the book. The book's HTML is the one the page holds with `edit`
 * made in it, checked against its SHA-256. Returns whether it did. The body stays hidden until prepareBook has marked
 * its units, as on a load.
 */
async function swapBook(edit: { at: number; cut: number; text: string; sha256: string }): Promise<boolean> {
  const state = window as unknown as PrintState;
  const before = state.huibianSource;
  if (before === undefined) return false;
  const html = before.slice(0, edit.at) + edit.text + before.slice(edit.at + edit.cut);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(html)));
  if (Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') !== edit.sha256) return false;
  const next = new DOMParser().parseFromString(html, 'text/html');
  const outside = (doc: Document) => {
    const parts = [doc.doctype ? new XMLSerializer().serializeToString(doc.doctype) : '', (doc.documentElement.cloneNode(false) as Element).outerHTML];
    for (const node of Array.from(doc.documentElement.childNodes)) {
      if (node === doc.body) continue;
      if (node === doc.head) {
        const head = node.cloneNode(true) as Element;
        for (const ours of Array.from(head.querySelectorAll('style[data-huibian]'))) ours.remove();
        parts.push(head.outerHTML);
      } else parts.push(node instanceof Element ? node.outerHTML : `${node.nodeType} ${node.textContent ?? ''}`);
    }
    return parts.join('\n');
  };
  if (!next.body || outside(next) !== outside(document)) return false;
  const loading = document.createElement('style');
  loading.setAttribute('data-huibian', 'loading');
  loading.textContent = 'body{display:none!important}';
  document.head.append(loading);
  document.body.replaceWith(document.adoptNode(next.body));
  state.huibianSource = html;
  return true;
}

/** Hold the HTML of the book loaded into this page, for the next build's edit (see swapBook). */
function holdSource(html: string): void {
  (window as unknown as PrintState).huibianSource = html;
}

/** How many of the document's images are still to arrive (a lazy one is not waited for, as by the load event). */
function imagesPending(): number {
  return Array.from(document.images).filter((img) => !img.complete && img.loading !== 'lazy').length;
}

/** A page loaded from the skeleton: nothing on the shelf yet, every unit empty until given its content. */
function adoptSkeleton(wanted: string[]): void {
  const state = window as unknown as PrintState;
  state.huibianShelf = new Map();
  state.huibianWanted = wanted;
}

/**
 * Put units' content on the shelf of a skeleton page, parsed in the unit's own element as on the first page; resolves
 * once its images are loaded and decoded (the first page had them by its load event; Chromium prints an image that has
 * not arrived as nothing).
 */
function giveContent(units: [number, string][]): Promise<void> {
  const shelf = (window as unknown as PrintState).huibianShelf;
  const images: HTMLImageElement[] = [];
  for (const [i, html] of units) {
    const el = document.querySelector(`[data-huibian-unit="${i}"]`)!;
    const parsed = el.cloneNode(false) as Element;
    parsed.innerHTML = html;
    const content = document.createDocumentFragment();
    content.append(...Array.from(parsed.childNodes));
    // Empty the element: a page-ref that is a unit of its own may have been given a number in the meantime.
    el.replaceChildren();
    shelf.set(el, content);
    images.push(...Array.from(content.querySelectorAll('img')));
  }
  return Promise.all(images.map((img) => img.decode().catch(() => undefined))).then(() => undefined);
}

/**
 * Show units [from, to) and hide the rest; the throwaway first page and the counter as asked. A hidden unit's content
 * is kept on the shelf, out of the document, not just left undisplayed: Chromium's tagged print walks the whole
 * document, and a segment of a 1,000-case book printed in half the time with the rest of the book off the page. The
 * unit's own element stays, empty, so that the shown units keep their places among their siblings.
 */
function showSegment(show: { from: number; to: number; throwawayPage: boolean; counter: number | null; bare: boolean; frame: string[] | null }): void {
  const { huibianShelf: shelf, huibianWanted: wanted } = window as unknown as PrintState;
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-huibian-unit]'))) {
    const i = Number(el.getAttribute('data-huibian-unit'));
    const hidden = i < show.from || i >= show.to;
    el.toggleAttribute('data-huibian-hidden', hidden);
    const shelved = shelf.get(el);
    if (!hidden && shelved) {
      el.append(shelved);
      shelf.delete(el);
    } else if (hidden && !shelved) {
      const content = document.createDocumentFragment();
      content.append(...Array.from(el.childNodes));
      shelf.set(el, content);
    }
  }
  // Links to the wanted ids now in the document: a link to an id that is not makes Chromium search the whole document.
  const holder = document.querySelector('[data-huibian="destinations"]')!;
  const links = (show.frame ? [] : wanted).filter((id) => document.getElementById(id)).map((id) => {
    const a = document.createElement('a');
    a.href = `#${encodeURIComponent(id)}`;
    return a;
  });
  holder.replaceChildren(...links);
  // A container shows only around a unit that shows: an empty part section, or a book body holding only a filler
  // that is not a blank page, would still begin a page of its own.
  const units = Array.from(document.querySelectorAll<HTMLElement>('[data-huibian-unit]'));
  const containers = Array.from(document.querySelectorAll<HTMLElement>('[data-huibian-container]'));
  for (const el of containers) el.removeAttribute('data-huibian-hidden');
  for (const el of containers.reverse()) {
    const [first, end] = el.getAttribute('data-huibian-container')!.split(' ').map(Number) as [number, number];
    const shown = units.slice(first, end).some((u) => !u.hasAttribute('data-huibian-hidden') && getComputedStyle(u).display !== 'none');
    el.toggleAttribute('data-huibian-hidden', !shown);
  }
  document.querySelector('[data-huibian="throwaway-page"]')?.toggleAttribute('data-on', show.throwawayPage);
  // `counter-increment` on the first page sets the value it shows (Chromium 156 does not carry a `counter-reset`
  // made in @page :first over to the next page); the pages after it count on from there.
  const counter = document.querySelector('style[data-huibian="counter"]')!;
  counter.textContent = show.counter === null ? '' : `@page :first{counter-increment:page ${show.counter}}`;
  document.querySelector<HTMLStyleElement>('style[data-huibian="margins"]')!.media = show.bare ? 'all' : 'not all';
  // A frame print: one empty page per name, each of that page name ('auto': none).
  const frame = document.querySelector('huibian-frame')!;
  frame.toggleAttribute('data-on', !!show.frame);
  frame.replaceChildren(
    ...(show.frame ?? []).map((name) => {
      const page = document.createElement('huibian-page');
      if (name !== 'auto') page.style.setProperty('page', name);
      return page;
    }),
  );
}

/**
 * Mark where each page name (CSS `page`) begins in what is shown, for a print whose margins are left empty: its frame
 * print needs each page's name. A block's page name is its own `page` or, when `auto`, its parent's; a change of name
 * forces a page break, so each change begins a page. Each element where the name changes gets a named destination
 * (an id of ours when it has none, and a link to it), and is returned with its name in document order: pageNamesOf
 * reads the pages from the printed PDF. unmarkPageStarts takes the ids and links away again.
 */
function markPageStarts(prefix: string): { id: string; name: string }[] {
  const marks: { id: string; name: string }[] = [];
  const links: HTMLAnchorElement[] = [];
  let last = 'auto';
  let n = 0;
  const walk = (parent: Element, inherited: string) => {
    for (const el of Array.from(parent.children)) {
      if (!el.checkVisibility()) continue;
      const style = getComputedStyle(el);
      const own = style.display.startsWith('inline') || style.display === 'contents' ? 'auto' : style.page;
      const name = own && own !== 'auto' ? own : inherited;
      if (name !== last) {
        if (!el.id) {
          el.id = `${prefix}${++n}`;
          el.setAttribute('data-huibian-mark', '');
        }
        marks.push({ id: el.id, name });
        const a = document.createElement('a');
        a.href = `#${encodeURIComponent(el.id)}`;
        a.setAttribute('data-huibian-mark', '');
        links.push(a);
        last = name;
      }
      walk(el, name);
    }
  };
  const rootPage = (el: Element) => {
    const page = getComputedStyle(el).page;
    return page && page !== 'auto' ? page : undefined;
  };
  const start = rootPage(document.body) ?? rootPage(document.documentElement) ?? 'auto';
  last = start;
  walk(document.body, start);
  // The first page's name, when no mark lands on it (no id: page 1).
  marks.unshift({ id: '', name: start });
  document.querySelector('[data-huibian="destinations"]')!.append(...links);
  return marks;
}

/** Take away the ids and links markPageStarts added. */
function unmarkPageStarts(): void {
  for (const el of Array.from(document.querySelectorAll('[data-huibian-mark]'))) {
    if (el instanceof HTMLAnchorElement && el.parentElement?.getAttribute('data-huibian') === 'destinations') el.remove();
    else {
      el.removeAttribute('id');
      el.removeAttribute('data-huibian-mark');
    }
  }
}

/**
 * Load the font faces that the page margins need: running heads and page numbers are laid out only while printing,
 * too late for a web font to arrive, and a segment's own text may not have loaded the faces with those characters
 * (a part's title page holds no digit; a fresh page has loaded nothing). The characters are the strings in @page
 * rules plus digits and roman numerals; faces whose unicode-range holds any of them are loaded.
 */
function loadMarginFonts(): Promise<void> {
  let text = '0123456789ivxlcdmIVXLCDM';
  const walk = (rules: CSSRuleList) => {
    for (const rule of Array.from(rules)) {
      if (rule instanceof CSSPageRule) for (const m of rule.cssText.matchAll(/"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'/g)) text += m[1] ?? m[2] ?? '';
      if ('cssRules' in rule) walk((rule as CSSGroupingRule).cssRules);
    }
  };
  for (const sheet of Array.from(document.styleSheets)) {
    try {
      walk(sheet.cssRules);
    } catch {
      // A sheet from elsewhere (refused anyway) cannot be read.
    }
  }
  const wanted = [...new Set(Array.from(text, (c) => c.codePointAt(0)!))];
  const covers = (range: string) =>
    range.split(',').some((part) => {
      const m = /U\+([0-9a-f?]+)(?:-([0-9a-f]+))?/i.exec(part.trim());
      if (!m) return false;
      const lo = parseInt(m[1]!.replace(/\?/g, '0'), 16);
      const hi = m[2] ? parseInt(m[2], 16) : parseInt(m[1]!.replace(/\?/g, 'f'), 16);
      return wanted.some((c) => c >= lo && c <= hi);
    });
  // Iterated, not forEach: with page scripts off, a callback handed to a DOM method does not run.
  const faces: FontFace[] = [];
  for (const face of document.fonts as unknown as Iterable<FontFace>) if (covers(face.unicodeRange)) faces.push(face);
  return Promise.all(faces.map((face) => face.load().catch(() => undefined))).then(() => undefined);
}

/**
 * Wait for the fonts the shown text needs (the layout asks for them). When every face is loaded already (the packaged
 * faces cover every character, and loadMarginFonts loads them all), there is nothing to wait for, and no layout to
 * force: at 1,000 cases that layout cost a tenth of a second a print.
 */
function fontsReady(): Promise<void> {
  const faces = Array.from(document.fonts as unknown as Iterable<FontFace>);
  if (faces.every((face) => face.status === 'loaded')) return Promise.resolve();
  void document.body.offsetHeight;
  return document.fonts.ready.then(() => undefined);
}

/** Turn the blank page before a part on: the template's filler, or our own. */
function setBlank(partId: string): void {
  const shelved = Array.from((window as unknown as PrintState).huibianShelf.values());
  const fillers = [document, ...shelved].flatMap((root) => Array.from(root.querySelectorAll<HTMLElement>('.part-filler[data-for], .huibian-blank[data-for]')));
  for (const el of fillers) {
    if (el.dataset.for === partId) el.setAttribute('data-blank', '');
  }
}

/** The shown h1 and h2 headings, text with white space collapsed, in document order. */
function shownHeadings(): { level: number; title: string; id: string }[] {
  return Array.from(document.querySelectorAll<HTMLElement>('h1, h2'))
    .filter((el) => el.getClientRects().length > 0)
    .map((el) => ({ level: el.tagName === 'H1' ? 1 : 2, title: (el.textContent ?? '').replace(/\s+/g, ' ').trim(), id: el.id }));
}

/** The document's head as it prints, for the cache's keys, less what is set per print (in its view): the page counter, the margins left empty. */
function headSource(): string {
  const head = document.head.cloneNode(true) as HTMLElement;
  head.querySelector('style[data-huibian="counter"]')!.textContent = '';
  head.querySelector<HTMLStyleElement>('style[data-huibian="margins"]')!.media = 'not all';
  return head.outerHTML;
}

/**
 * What a segment prints from, for the cache's keys (see segment-cache.ts): the units [from, to) and the start tags of
 * the elements around them, each with its place among its siblings, huibian's own marks taken out (a unit's number
 * changes when a case is added before it, its content does not). Given as its SHA-256 and the `file:` URLs it names:
 * sending the HTML itself through the protocol cost 0.1–0.15 s a MB (the keys of a 1,000-case rebuild's 27 reused
 * segments took 1.55 s with it, 0.9–1.3 s without).
 */
async function segmentSource(range: { from: number; to: number }): Promise<SegmentSource> {
  const shelf = (window as unknown as PrintState).huibianShelf;
  /** The unit's HTML with its content, on the shelf or not. */
  const outerHtml = (el: Element) => {
    const shelved = shelf.get(el);
    if (!shelved) return el.outerHTML;
    const whole = el.cloneNode(false) as Element;
    whole.append(shelved.cloneNode(true));
    return whole.outerHTML;
  };
  const unmark = (tag: string) => tag.replace(/\s+data-huibian-(?:unit|hidden|container)(?:="[^"]*")?/g, '');
  const place = (el: Element) => (el.parentElement ? `${Array.prototype.indexOf.call(el.parentElement.children, el)}/${el.parentElement.children.length}` : '');
  const startTag = (el: Element) => unmark((el.cloneNode(false) as Element).outerHTML);
  const parts: string[] = [];
  const around = new Set<Element>();
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-huibian-unit]'))) {
    const i = Number(el.getAttribute('data-huibian-unit'));
    if (i < range.from || i >= range.to) continue;
    const outer: string[] = [];
    for (let a = el.parentElement; a && !around.has(a); a = a.parentElement) {
      around.add(a);
      outer.unshift(`<!--${place(a)}-->${startTag(a)}`);
    }
    const html = outerHtml(el);
    const end = html.indexOf('>');
    parts.push(...outer, `<!--${place(el)}-->${unmark(html.slice(0, end))}${html.slice(end)}`);
  }
  const html = parts.join('\n');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(html)));
  // As fileUrlsIn in segment-cache.ts reads the head.
  const files = Array.from(html.matchAll(/file:\/\/[^"'()\s<>]+/g), (m) => m[0].replace(/&amp;/g, '&'));
  return { sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''), files: [...new Set(files)] };
}

/** Write each page number into the placeholders that refer to it. */
function fillPageRefs(numbers: Record<string, number>): void {
  const shelf = (window as unknown as PrintState).huibianShelf;
  for (const el of [document, ...shelf.values()].flatMap((root) => Array.from(root.querySelectorAll<HTMLElement>('.page-ref[data-ref]')))) {
    const n = numbers[el.dataset.ref!];
    if (n === undefined) continue;
    // A page-ref may be a unit itself (a segment budget smaller than a line of the 目录): its content is on the shelf.
    if (shelf.has(el)) {
      const content = document.createDocumentFragment();
      content.append(String(n));
      shelf.set(el, content);
    } else {
      el.textContent = String(n);
    }
  }
}

