/** CSS lengths → PDF points, for setting the exact page size after printing. */

const pointsPer: Record<string, number> = { pt: 1, in: 72, mm: 72 / 25.4, cm: 72 / 2.54, px: 0.75 };

/** `185mm` → 524.41; undefined for anything else. */
export function lengthInPoints(length: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(pt|in|mm|cm|px)$/.exec(length.trim());
  return m ? Number(m[1]) * pointsPer[m[2]!]! : undefined;
}

/** A page size given as CSS lengths, in points. */
export function sizeInPoints(size: { width: string; height: string }): { width: number; height: number } | undefined {
  const width = lengthInPoints(size.width);
  const height = lengthInPoints(size.height);
  return width && height ? { width, height } : undefined;
}
