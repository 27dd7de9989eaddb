/** Page numbers from a printed layout: where the body begins, which parts need a blank page to start on the right. */

/** Where things landed in one print. */
export interface Layout {
  pages: number;
  /** Element id → 1-based physical page. */
  destinations: Map<string, number>;
  /** Ids that page-refs name. */
  refs: string[];
  /** Part ids in book order. */
  parts: string[];
  /** The element whose page is numbered 1 (the first part, else the appendix); absent: number physical pages. */
  bodyStart?: string;
}

/**
 * Parts that begin on a left-hand (even) page, given that each blank page inserted before them moves them by one.
 * The first part is always checked, so that page 1 is a right-hand page and the left/right running heads and
 * margins match the printed numbers; the others only when every part should start on the right.
 */
export function planBlankPages(layout: Pick<Layout, 'destinations' | 'parts'>, partsOnRight: boolean): string[] {
  const blanks: string[] = [];
  for (const id of partsOnRight ? layout.parts : layout.parts.slice(0, 1)) {
    const page = layout.destinations.get(id);
    if (page === undefined) continue;
    if ((page + blanks.length) % 2 === 0) blanks.push(id);
  }
  return blanks;
}

/**
 * The number printed in the footer of each referenced element's page. Front matter pages do not advance the page
 * counter (see docs/html-contract.md), so the body's first page shows 1: printed = physical − front pages.
 */
export function bodyNumbers(layout: Layout): Map<string, number> {
  const start = layout.bodyStart ? layout.destinations.get(layout.bodyStart) ?? 1 : 1;
  const numbers = new Map<string, number>();
  for (const id of new Set([...layout.refs, ...layout.parts])) {
    const page = layout.destinations.get(id);
    if (page !== undefined && page >= start) numbers.set(id, page - start + 1);
  }
  return numbers;
}

export function sameNumbers(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): boolean {
  if (a.size !== b.size) return false;
  for (const [id, n] of a) if (b.get(id) !== n) return false;
  return true;
}
