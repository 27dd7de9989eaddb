/**
 * Cutting the book into segments that are printed one at a time. Chromium's memory and time for one `page.pdf()` grow
 * faster than the document (a 1,000-case book peaked at 4.6 GB and took 17× the CPU of a tenth of it), so the body is
 * printed in slices of a bounded size and the slices are merged (merge.ts). A slice may only begin where the book
 * begins a new page anyway — a case, a part — so printing it alone lays out every page exactly as the whole book would.
 */

/** One unit of the book as the page reports it: a case, or a block that holds no case (a cover, a part's title page…). */
export interface Unit {
  /** Where the unit belongs: before the body (unnumbered front matter), the body, or the appendix. */
  matter: 'front' | 'body' | 'appendix';
  /** Its size in characters of HTML: the measure of how much a segment holds. */
  size: number;
  /** The book starts a new page here (a forced break before it, or after the unit before it). */
  newPage: boolean;
  /** A part filler: an element that becomes a blank page before its part when asked, else takes no room. */
  filler: boolean;
  /** The part id, when this is the part's first unit (its title page). */
  partStart?: string;
}

/** A run of units printed as one document. */
export interface Segment {
  kind: 'front' | 'body' | 'appendix';
  /** Units [from, to). */
  from: number;
  to: number;
  /** The part this segment begins (its filler, if any, comes first). */
  part?: string;
}

export interface SegmentPlanOptions {
  /** Start a new segment at every part, so each part's first page can be put on the right. */
  splitAtParts: boolean;
  /** Close a segment once it holds this many characters, at the next place where it may be cut. */
  budget: number;
}

/**
 * Plan the segments: the front matter, then the body and the appendix each in slices of about `budget` characters.
 * A slice is cut only before a unit that starts a new page; fillers go with the part after them.
 */
export function planSegments(units: readonly Unit[], options: SegmentPlanOptions): Segment[] {
  const segments: Segment[] = [];
  const push = (kind: Segment['kind'], from: number, to: number) => {
    if (to <= from) return;
    const first = units.slice(from, to).find((u) => !u.filler);
    segments.push({ kind, from, to, ...(first?.partStart ? { part: first.partStart } : {}) });
  };
  const bodyFrom = indexOrEnd(units, (u) => u.matter !== 'front');
  const appendixFrom = indexOrEnd(units, (u, i) => i >= bodyFrom && u.matter === 'appendix');
  push('front', 0, bodyFrom);
  const slice = (kind: 'body' | 'appendix', from: number, to: number) => {
    let start = from;
    let size = 0;
    for (let i = from; i < to; i++) {
      const unit = units[i]!;
      const cut = cutBefore(units, i, start);
      if (cut !== undefined && (size >= options.budget || (options.splitAtParts && unit.partStart))) {
        push(kind, start, cut);
        start = cut;
        size = units.slice(cut, i).reduce((n, u) => n + u.size, 0);
      }
      size += unit.size;
    }
    push(kind, start, to);
  };
  slice('body', bodyFrom, appendixFrom);
  slice('appendix', appendixFrom, units.length);
  return segments;
}

/** Where a segment may begin so that unit `i` is its first content: before the fillers just before it. */
function cutBefore(units: readonly Unit[], i: number, segmentStart: number): number | undefined {
  if (!units[i]!.newPage || units[i]!.filler) return undefined;
  let cut = i;
  while (cut - 1 > segmentStart && units[cut - 1]!.filler) cut--;
  return cut > segmentStart ? cut : undefined;
}

function indexOrEnd<T>(items: readonly T[], test: (item: T, index: number) => boolean): number {
  const i = items.findIndex(test);
  return i < 0 ? items.length : i;
}

/**
 * Where a segment lands in the book, given the physical page it begins on. A segment is printed as a document of its
 * own, whose first page is a right-hand page; when it begins on a left-hand (even) page in the book, one throwaway
 * page is printed before it and dropped when merging, so left and right running heads and margins come out as in the
 * book.
 */
export function placeSegment(firstPage: number, frontPages: number): { throwawayPage: boolean; counterStart: number } {
  const throwawayPage = firstPage % 2 === 0;
  // The counter value the segment's first printed page shows: the printed number of the page it stands for.
  return { throwawayPage, counterStart: firstPage - frontPages - (throwawayPage ? 1 : 0) };
}
