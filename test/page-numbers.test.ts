// The page-number arithmetic of printing in segments (src/pdf/page-numbers.ts and placeSegment), without a browser:
// physical pages (1 = the cover) against printed numbers (1 = the first body page), parity, throwaway and blank pages.
// pdf.test.ts checks the same against real PDFs read by pdftotext.
import { describe, expect, it } from 'vitest';
import { blankBeforePart, frontMatterPages, pageAfter, physicalPagesOf, printedNumbers } from '../src/pdf/page-numbers.js';
import { placeSegment } from '../src/pdf/segments.js';

describe('the front matter', () => {
  it('is evened out by a blank page before the first part, so printed page 1 is a right-hand page', () => {
    expect(frontMatterPages(3, true)).toEqual({ pages: 4, blankBeforeFirstPart: true });
    expect(frontMatterPages(4, true)).toEqual({ pages: 4, blankBeforeFirstPart: false });
    // A book without parts has no filler to turn into a blank page.
    expect(frontMatterPages(3, false)).toEqual({ pages: 3, blankBeforeFirstPart: false });
  });
});

describe('blank pages before parts', () => {
  const first = 'part-a';
  it('go before a part that would begin on a left-hand (even) page: the first part always, the others with partsOnRight', () => {
    expect(blankBeforePart('part-a', 6, { partsOnRight: false, firstPart: first })).toBe(true);
    expect(blankBeforePart('part-b', 6, { partsOnRight: false, firstPart: first })).toBe(false);
    expect(blankBeforePart('part-b', 6, { partsOnRight: true, firstPart: first })).toBe(true);
  });
  it('never before a right-hand page, nor before a segment that begins no part', () => {
    expect(blankBeforePart('part-b', 7, { partsOnRight: true, firstPart: first })).toBe(false);
    expect(blankBeforePart(undefined, 6, { partsOnRight: true, firstPart: first })).toBe(false);
  });
});

describe('a segment printed on its own', () => {
  it('on a right-hand page: no throwaway page, its counter at the printed number of its first page', () => {
    expect(placeSegment(5, 4)).toEqual({ throwawayPage: false, counterStart: 1 });
  });
  it('on a left-hand page: a throwaway page first, which the counter also passes', () => {
    expect(placeSegment(8, 4)).toEqual({ throwawayPage: true, counterStart: 3 });
  });
  it('maps its destinations to physical pages, the throwaway page holding none', () => {
    const destinations = new Map([['on-throwaway', 1], ['case-a', 2], ['case-b', 4]]);
    expect(physicalPagesOf(destinations, 8, true)).toEqual(new Map([['case-a', 8], ['case-b', 10]]));
    expect(physicalPagesOf(new Map([['case-a', 1], ['case-b', 3]]), 5, false)).toEqual(new Map([['case-a', 5], ['case-b', 7]]));
  });
  it('is followed by the page after its last, the throwaway page not counted', () => {
    expect(pageAfter(8, 5, true)).toBe(12);
    expect(pageAfter(5, 5, false)).toBe(10);
  });
});

describe('printed numbers', () => {
  it('are physical pages less the front pages, for body pages only, each id once', () => {
    const physical = new Map([['toc', 3], ['part-a', 5], ['case-a', 6], ['appendix', 40]]);
    expect(printedNumbers(physical, ['toc', 'part-a', 'case-a', 'case-a', 'missing', 'appendix'], 4)).toEqual(
      new Map([['part-a', 1], ['case-a', 2], ['appendix', 36]]),
    );
  });
  it('chain through a book: front matter of 3 evened to 4, parts on the right, one segment on a left-hand page', () => {
    const front = frontMatterPages(3, true).pages;
    let next = front + 1; // 5
    const physical = new Map<string, number>();
    // Part a: 3 pages (5–7).
    let place = placeSegment(next, front);
    for (const [id, p] of physicalPagesOf(new Map([['part-a', 1]]), next, place.throwawayPage)) physical.set(id, p);
    next = pageAfter(next, 3, place.throwawayPage); // 8: a left-hand page
    // Part b begins on page 8: its blank page comes first (inside the segment), the part on page 9.
    expect(blankBeforePart('part-b', next, { partsOnRight: true, firstPart: 'part-a' })).toBe(true);
    place = placeSegment(next, front);
    expect(place).toEqual({ throwawayPage: true, counterStart: 3 });
    // Printed alone: throwaway page (1), the blank (2), the part title (3).
    for (const [id, p] of physicalPagesOf(new Map([['part-b', 3]]), next, place.throwawayPage)) physical.set(id, p);
    expect(printedNumbers(physical, ['part-a', 'part-b'], front)).toEqual(new Map([['part-a', 1], ['part-b', 5]]));
  });
});

describe('a fresh browser page', () => {
  it('is taken after pagesPerLoad printed pages, and before a long segment once a third of that is printed', async () => {
    const { needsFreshPage } = await import('../src/pdf/print-book.js');
    expect(needsFreshPage(149, 150, false)).toBe(false);
    expect(needsFreshPage(150, 150, false)).toBe(true);
    expect(needsFreshPage(50, 150, true)).toBe(false);
    expect(needsFreshPage(51, 150, true)).toBe(true);
  });
});
