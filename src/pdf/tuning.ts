/**
 * The figures of the PDF printer that change with tuning, in one place; docs/html-contract.md and bench/README.md
 * quote them from here. Each was measured on the 2-core machine with the bench (bench/README.md).
 */

/**
 * Characters of HTML per body segment: about 25 generated cases (about 70 pages). Chromium's memory while printing
 * hardly depends on the segment's size in this range, and each print has a fixed cost of its own, so segments are as
 * large as stays far from the superlinear growth.
 */
export const segmentBudget = 150_000;

/**
 * Printed pages after which the browser page is closed and the book loaded afresh. Chromium's renderer keeps part of
 * what each print used — about 0.3 MB per printed page, measured at 1,000 cases (the sum of RSS grew from 1.45 to
 * 2.28 GB over 2,578 pages) — and gives it back only when the page closes. A fresh page loads the book's skeleton
 * (print-book.ts), opened while the page before it prints (openSpare). With the rest of the book out of the document,
 * 300 was slower (85 s against 76 s at 1,000 cases) for the same peak memory; with the fresh page opened ahead, 100
 * and 75 were slower too (88–106 s and 113 s against 69–75 s), for 0.07–0.1 GB less at the peak.
 */
export const pagesPerLoad = 150;

/**
 * Characters of HTML up to which the whole book is printed from one load, however many pages: a reload costs about
 * a second (a new renderer, the book loaded again, its fonts loaded again), and what a book this size keeps is at
 * most about 0.3 MB × its ~550 pages. The 100-case bench book (0.95 MB, 266 pages) was loaded three times.
 */
export const oneLoadBudget = 2_000_000;

/**
 * Printed pages after which the page `compile --watch` keeps between builds (print-book.ts, PrintKeeper) is closed and
 * the next build loads the book afresh: what the renderer keeps of each print (see pagesPerLoad) would otherwise grow
 * with every rebuild. Measured at 100 cases, 15 one-word rebuilds in a row (about 40 pages printed each) took the sum
 * of RSS from 1.21 to 1.52 GB, about 0.5 MB a page; this bounds that to about 250 MB. The first build of that book
 * prints about 280 pages, so its page takes five or six such rebuilds before it is renewed.
 */
export const keptPagePages = 500;

/**
 * A long segment that cannot be cut (the appendix, the final 目录 of a big book) starts on a fresh page once more than
 * this share of `pagesPerLoad` has been printed since the last load.
 */
export const longSegmentReloadShare = 1 / 3;

/** Characters of HTML per multiple of the time limit: loading and printing scale with the whole book's size. */
export const charactersPerTimeLimit = 1_000_000;

/**
 * Characters of HTML up to which the body and the appendix are printed as one segment, after one untagged print of
 * the whole book (to find the front matter's length and where the parts begin), instead of a segment per part: a
 * small book otherwise pays a print's fixed cost per part. The sample book prints 3 times instead of 7. A small book
 * pays for it in a rebuild: an edit reprints the whole book and the body rather than one segment (about a second),
 * which is why the limit stays at one segment's worth.
 */
export const wholeBodyBudget = segmentBudget;

/**
 * Pages of frames (running heads and page numbers printed apart, see printFrames in print-book.ts) in one print. A
 * print has a fixed cost of about 0.05–0.1 s, and one of 300 empty pages took 0.2 s where one of 3,000 took 4 s.
 */
export const framePagesPerPrint = 300;
