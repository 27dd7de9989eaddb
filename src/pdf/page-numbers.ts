/**
 * The page-number arithmetic of printing in segments, as pure functions (print-book.ts does the printing). Pages are
 * counted two ways: the physical page in the finished PDF (1 = the cover), and the printed number in the footer,
 * which counts from the first body page: printed = physical − front pages. A segment printed on its own starts on a
 * right-hand page; placeSegment (segments.ts) says when a throwaway page goes first so the parity comes out right.
 */

/**
 * The front matter's page count once evened out: page 1 must be a right-hand page (the running heads and margins follow
 * the physical side), so an odd count gets a blank page before the first part (its filler, counted as front matter).
 */
export function frontMatterPages(measured: number, hasParts: boolean): { pages: number; blankBeforeFirstPart: boolean } {
  const blankBeforeFirstPart = measured % 2 === 1 && hasParts;
  return { pages: measured + (blankBeforeFirstPart ? 1 : 0), blankBeforeFirstPart };
}

/**
 * Whether a segment that begins part `part` at physical page `firstPage` needs its part's blank page first: the first
 * part always starts on the right, every part does with `partsOnRight`. The blank page is the segment's own first
 * page (the part's filler), so the segment still begins at `firstPage`.
 */
export function blankBeforePart(part: string | undefined, firstPage: number, options: { partsOnRight: boolean; firstPart?: string }): boolean {
  return !!part && (options.partsOnRight || part === options.firstPart) && firstPage % 2 === 0;
}

/**
 * The physical pages of the named destinations of a segment printed on its own: `destinations` maps each id to its
 * page in the segment's PDF (1-based), the segment begins at physical page `firstPage`, and a throwaway first page
 * (dropped when merging) holds nothing that counts.
 */
export function physicalPagesOf(destinations: ReadonlyMap<string, number>, firstPage: number, throwawayPage: boolean): Map<string, number> {
  const skip = throwawayPage ? 1 : 0;
  const pages = new Map<string, number>();
  for (const [id, p] of destinations) if (p > skip) pages.set(id, firstPage + p - 1 - skip);
  return pages;
}

/** The physical page after a segment of `pages` printed pages (its throwaway page, if any, among them). */
export function pageAfter(firstPage: number, pages: number, throwawayPage: boolean): number {
  return firstPage + pages - (throwawayPage ? 1 : 0);
}

/** Printed numbers of the body pages where the elements `ids` begin; front-matter pages have none. */
export function printedNumbers(physical: ReadonlyMap<string, number>, ids: Iterable<string>, frontPages: number): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const id of new Set(ids)) {
    const p = physical.get(id);
    if (p !== undefined && p > frontPages) numbers.set(id, p - frontPages);
  }
  return numbers;
}
