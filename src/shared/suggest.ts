/** "Did you mean" suggestions by edit distance. */
import { distance } from 'fastest-levenshtein';

/** The candidate nearest to `value`, if it is near enough to be a likely typo. */
export function closest(value: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(value.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max([...value].length, [...best].length) / 2));
  return bestDistance <= limit ? best : undefined;
}
