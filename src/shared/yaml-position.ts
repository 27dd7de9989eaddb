/** Find where a value or key sits inside a parsed YAML document, so diagnostics point at it and not at line 1. */
import { isMap, isNode, isPair, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { Range } from './source.js';

type Path = readonly PropertyKey[];

function rangeOf(node: Node | null | undefined): Range | undefined {
  const r = node?.range;
  return r ? { start: r[0], end: r[1] } : undefined;
}

function pairFor(node: unknown, key: PropertyKey): Pair<unknown, unknown> | undefined {
  if (!isMap(node)) return undefined;
  return node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key)) as
    | Pair<unknown, unknown>
    | undefined;
}

/**
 * The range of the value at `path` (or of its key, with `key: true`), offsets relative to the YAML text.
 * Falls back to the deepest node that exists on the path, then to the whole document.
 */
export function yamlRange(doc: Document, path: Path, options: { key?: boolean } = {}): Range | undefined {
  let node: unknown = doc.contents;
  let best: Range | undefined = rangeOf(doc.contents as Node);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = pairFor(node, seg);
      if (!pair) return best;
      if (last && options.key) return rangeOf(pair.key as Node) ?? best;
      node = pair.value;
      // A key with no value (`title:`) has no value node: point at the key.
      best = isNode(node) ? (rangeOf(node) ?? best) : (rangeOf(pair.key as Node) ?? best);
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (!isNode(node)) return best;
      best = rangeOf(node) ?? best;
    } else {
      return best;
    }
  }
  // Trim a value's range to its text: block scalars and maps include their trailing line break.
  return best;
}

/** The range of the key named `key` in the map at `path`. */
export function yamlKeyRange(doc: Document, path: Path, key: string): Range | undefined {
  return yamlRange(doc, [...path, key], { key: true });
}
