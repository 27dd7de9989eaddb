/** The print stage: HTML in, finished PDF bytes out. The only part of huibian that drives a browser or edits PDFs. */
import { finishPdf, type BookMetadata } from './finish.js';
import { BrowserProblem, withBrowser, type BrowserSession, type KeptBrowser } from './launch.js';
import { mergeSegments } from './merge.js';
import { printBook, printLimitFor, type PrintKeeper } from './print-book.js';
import { SegmentCache } from './segment-cache.js';

export { BrowserProblem, keepBrowsers, locateBrowser, type KeptBrowser, type KeptBrowsers } from './launch.js';
export { noBrowserMessage } from './browser.js';
export type { BookMetadata } from './finish.js';
export type { PrintKeeper } from './print-book.js';

export interface PdfJob {
  /** The print-target HTML. */
  html: string;
  /** Folders the page may read files from. */
  allowedDirs: readonly string[];
  partsOnRight: boolean;
  /** The browser found by locateBrowser. */
  executablePath: string;
  /** Time limit per browser step, in milliseconds. */
  timeout: number;
  metadata: BookMetadata;
  signal?: AbortSignal;
  /** Characters of HTML per printed segment (see segmentBudget in tuning.ts); tests make it small. */
  segmentBudget?: number;
  /** Pages printed from one browser page before the book is loaded afresh (see pagesPerLoad in tuning.ts). */
  pagesPerLoad?: number;
  /** A body and appendix up to this many characters print as one segment (see wholeBodyBudget in tuning.ts). */
  wholeBodyBudget?: number;
  /** A folder to keep printed segments in between runs (see segment-cache.ts); none: print every segment. */
  cacheDir?: string;
  /** Told as each step starts, for progress. */
  onStage?: (text: string) => void;
  /** A browser kept running between builds (`compile --watch`) to print with, instead of launching one for this job. */
  browser?: KeptBrowser;
  /** With `browser`: the book's page kept between builds (see PrintKeeper). */
  keeper?: PrintKeeper;
  /** Close `browser` as soon as the book is printed (it was launched early for this job alone): merging then does not add to its memory. */
  closeBrowserWhenPrinted?: boolean;
}

export interface PdfResult {
  bytes: Uint8Array;
  pages: number;
  /** Element id → printed page number (parts, cases, appendix). */
  pageNumbers: Map<string, number>;
  warnings: string[];
  /** How many times Chromium printed: once per segment (a small book once more, whole), less what the cache gave; frame prints are counted in `frames`. */
  prints: number;
  /** How many segments the cache gave instead of printing them. */
  reused: number;
  /** How many times the book was loaded into a fresh browser page (0 when it went into the kept one). */
  loads: number;
  /** The frame prints (each body segment's page margins, printed apart): made, and taken from the cache. */
  frames: { printed: number; reused: number };
  /**
   * How the segments went into the merged PDF: all copied into a new document, or (`--watch`) only those that changed
   * copied into the last build's (see mergeSegments).
   */
  merge: { inPlace: boolean; copied: number };
}

/** Print the book to a finished PDF; throws BrowserProblem for a broken environment and the signal's reason on abort. */
export async function makePdf(job: PdfJob): Promise<PdfResult> {
  job.onStage?.(job.browser && !job.closeBrowserWhenPrinted ? '排版 PDF' : '启动浏览器');
  const printLimit = printLimitFor(job.html, job.timeout);
  const cache = job.cacheDir ? new SegmentCache({ dir: job.cacheDir }) : undefined;
  // What `compile --watch` keeps between builds: with its kept browser only.
  const keeper = job.browser ? job.keeper : undefined;
  const inBrowser = <T>(work: (session: BrowserSession) => Promise<T>) =>
    job.browser
      ? job.browser.run(work, { signal: job.signal, longestStep: printLimit, openNext: !job.closeBrowserWhenPrinted })
      : withBrowser({ executablePath: job.executablePath, timeout: job.timeout, longestStep: printLimit, signal: job.signal }, work);
  const printed = await inBrowser((session) =>
    printBook(session, {
      html: job.html,
      printLimit,
      allowedDirs: job.allowedDirs,
      partsOnRight: job.partsOnRight,
      segmentBudget: job.segmentBudget,
      pagesPerLoad: job.pagesPerLoad,
      wholeBodyBudget: job.wholeBodyBudget,
      cache,
      keeper,
      onPrint: (print, of, reused) => job.onStage?.(`排版 PDF（第 ${print}/${of} 段${reused ? '，沿用上次的排版' : ''}）`),
    }),
  );
  if (job.closeBrowserWhenPrinted) await job.browser?.close();
  job.signal?.throwIfAborted();
  await cache?.prune();
  // The browser is closed by now (or idle, when kept): merging does not add to its memory.
  job.onStage?.(`合并 ${printed.segments.length} 段，写入书签与文档信息`);
  // In `--watch`, a big book's segments parsed for merging are kept for the next build, with those printBook kept.
  // In `--watch`, the last build's merged book, into which only the segments that changed are copied again.
  const last = keeper?.merged;
  if (keeper) keeper.merged = undefined;
  const merged = await mergeSegments(printed.segments, printed.outline, keeper && ((segment, parsed) => segment.key && (keeper.segments ??= new Map()).set(segment.key, parsed)), last, !!keeper);
  job.signal?.throwIfAborted();
  const bytes = await finishPdf(merged.doc, job.metadata);
  if (keeper) keeper.merged = merged;
  return {
    bytes,
    pages: printed.pageCount,
    pageNumbers: printed.pageNumbers,
    warnings: printed.warnings,
    prints: printed.prints,
    reused: printed.reused,
    loads: printed.loads,
    frames: printed.frames,
    merge: { inPlace: merged.inPlace, copied: merged.copied },
  };
}

export function isBrowserProblem(error: unknown): error is BrowserProblem {
  return error instanceof BrowserProblem;
}
