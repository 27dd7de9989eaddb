/**
 * The text a text rule owns: the words an author wrote in paragraphs, headings and table cells, and the alt text of
 * images (huibian prints it as the figure's caption), as one string per block with a map back to file offsets. Code,
 * inline code, HTML, link and image URLs, definitions, autolinks and the front-matter are never part of it, so no text
 * rule can report or rewrite them.
 */
import type { Nodes, Parent, PhrasingContent, Root } from 'mdast';
import type { Range, SourceText } from '../../shared/source.js';
import { OBJECT } from './chars.js';
import type { TextBlock } from './types.js';
import { LastFileCache } from '../last-file-cache.js';

export type { TextBlock } from './types.js';


const cache = new LastFileCache<Root, TextBlock[]>();

/** The blocks of author text in a parsed file (computed once per tree, shared by every text rule). */
export function textBlocks(mdast: Root, source: SourceText): TextBlock[] {
  let blocks = cache.get(mdast);
  if (!blocks) {
    blocks = [];
    collect(mdast, source, blocks);
    cache.set(mdast, blocks);
  }
  return blocks;
}

function collect(node: Nodes, source: SourceText, out: TextBlock[]): void {
  if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell') {
    const builder: TextBlock = { text: '', kind: node.type, pieces: [], source };
    const captions: TextBlock[] = [];
    for (const child of node.children) phrasing(child, builder, captions);
    if (builder.text.length > 0) out.push(builder);
    out.push(...captions);
    return;
  }
  // code, html, yaml, definition and the like hold no author prose.
  if ('children' in node) for (const child of (node as Parent).children) collect(child as Nodes, source, out);
}

function phrasing(node: PhrasingContent, block: TextBlock, captions: TextBlock[]): void {
  switch (node.type) {
    case 'text':
      addText(block, node.value, node.position?.start.offset, node.position?.end.offset);
      return;
    case 'break':
      addText(block, '\n', undefined, undefined);
      return;
    case 'link': {
      // A bare URL or e-mail (GFM autolink) is a link whose text is its address: not prose.
      const only = node.children.length === 1 && node.children[0]!.type === 'text' ? node.children[0]!.value : undefined;
      if (only !== undefined && (node.url === only || node.url === `mailto:${only}` || node.url === `http://${only}`)) {
        addText(block, OBJECT, undefined, undefined);
        return;
      }
      for (const child of node.children) phrasing(child, block, captions);
      return;
    }
    case 'emphasis':
    case 'strong':
    case 'delete':
    case 'linkReference':
      for (const child of node.children) phrasing(child, block, captions);
      return;
    case 'image':
      addText(block, OBJECT, undefined, undefined);
      if (node.alt) captions.push(caption(node.alt, node.position?.start.offset, block.source));
      return;
    default:
      // inlineCode, html, imageReference, footnoteReference: opaque to text rules.
      addText(block, OBJECT, undefined, undefined);
  }
}

/**
 * An image's alt text as a block of its own. `![alt](…)`: when the file holds the alt verbatim right after `![`, it
 * maps there and can be fixed in place; otherwise (escapes, entities, markup in it) it is reported without a fix.
 */
function caption(alt: string, start: number | undefined, source: SourceText): TextBlock {
  const block: TextBlock = { text: alt, kind: 'caption', pieces: [], source };
  const at = start === undefined ? -1 : start + 2;
  const verbatim = at >= 2 && source.text.startsWith('![', start) && source.text.startsWith(alt, at) && source.text[at + alt.length] === ']';
  block.pieces.push({ at: 0, src: verbatim ? at : -1, len: alt.length });
  return block;
}

/** Append a text node's value, aligning it with its source slice (escapes, entities and line prefixes differ). */
function addText(block: TextBlock, value: string, start: number | undefined, end: number | undefined): void {
  const base = block.text.length;
  block.text += value;
  if (start === undefined || end === undefined) {
    block.pieces.push({ at: base, src: -1, len: value.length });
    return;
  }
  if (end - start === value.length && block.source.text.startsWith(value, start)) {
    block.pieces.push({ at: base, src: start, len: value.length });
    return;
  }
  const raw = block.source.text.slice(start, end);
  let i = 0;
  let j = 0;
  while (i < value.length) {
    if (j < raw.length && value[i] === raw[j]) {
      const last = block.pieces[block.pieces.length - 1];
      if (last && last.src >= 0 && last.at + last.len === base + i && last.src + last.len === start + j) last.len++;
      else block.pieces.push({ at: base + i, src: start + j, len: 1 });
      i++;
      j++;
      continue;
    }
    const entity = raw[j] === '&' ? /^&(?:#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);/i.exec(raw.slice(j, j + 40)) : null;
    if (entity || j >= raw.length) {
      // A character reference (or text past the slice): the value's character has no verbatim place in the file.
      const width = value.codePointAt(i)! > 0xffff ? 2 : 1;
      block.pieces.push({ at: base + i, src: -1, len: width });
      i += width;
      j += entity ? entity[0].length : 0;
      continue;
    }
    j++; // a backslash escape, or a line prefix (indent, `>`) the value drops
  }
}

/**
 * The file range of `text[from, to)` when it is a verbatim, contiguous copy of the file (so it can be safely rewritten);
 * otherwise undefined.
 */
export function fileRange(block: TextBlock, from: number, to: number): Range | undefined {
  const start = offsetOf(block, from);
  if (start === undefined) return undefined;
  if (to === from) return { start, end: start };
  const end = start + (to - from);
  return block.source.text.slice(start, end) === block.text.slice(from, to) ? { start, end } : undefined;
}

/** A range in the file to point a message at, for `text[from, to)`: exact when possible, else the nearest known place. */
export function reportRange(block: TextBlock, from: number, to: number): Range {
  const exact = fileRange(block, from, to);
  if (exact) return exact;
  for (let i = from; i >= 0; i--) {
    const at = offsetOf(block, i);
    if (at !== undefined) return { start: at, end: at + 1 };
  }
  return { start: 0, end: 0 };
}

/** The file offset of the text's character `i`, or undefined when it has none. An index at the end maps past the last piece. */
function offsetOf(block: TextBlock, i: number): number | undefined {
  const pieces = block.pieces;
  let lo = 0;
  let hi = pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pieces[mid]!.at <= i) lo = mid;
    else hi = mid - 1;
  }
  const p = pieces[lo];
  if (!p || p.src < 0) return undefined;
  if (i < p.at + p.len) return p.src + (i - p.at);
  if (i === p.at + p.len) return p.src + p.len; // just past the piece (an insertion point or a range end)
  return undefined;
}
