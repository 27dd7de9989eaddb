/**
 * The quickest path for parse.ts: a line-by-line reader for the Markdown case files are nearly always written in,
 * giving exactly the mdast micromark gives (node for node, field for field, position for position), or declining.
 *
 * Blocks: ATX headings; paragraphs; lists with one line per item, no blank line between items and no nesting; GFM
 * tables between blank lines; one-line footnote definitions. Inline: strong and emphasis (cjk-friendly), code, links
 * and images `[text](url)` without a title, footnote references. Nothing may be indented and no line may end in a
 * space. Anything else, or anything it is not sure how micromark reads, makes it decline the whole file, and
 * micromark takes it. It serves lint only (see fast-markdown.ts, which calls it).
 *
 * Why a parser of its own: micromark costs 3–6 ms per case, and lezer's generic machinery (every line offered to every
 * block parser, a tree to build and then walk; the fast path until #12) ~0.3 ms warm and much more in the first few
 * hundred cases of a run; this costs a fraction of that, and has little code to warm up. lint's 1,000-case budget is
 * mostly such warm-up. The equivalence tests (test/fast-markdown.test.ts) hold it to micromark's tree.
 */
import type { FootnoteDefinition, Heading, List, ListItem, Paragraph, PhrasingContent, RootContent, Table, TableCell, TableRow } from 'mdast';
import type { Point, Position } from 'unist';
import { lineIndex } from '../shared/source.js';
import { CLOSE, flanking, OPEN } from './attention.js';

/** The unist point of `offset`, given where each line starts (columns in UTF-16 units, as micromark counts them). */
export function pointIn(lineStarts: readonly number[], offset: number): Point {
  const line = lineIndex(lineStarts, offset);
  return { line: line + 1, column: offset - lineStarts[line]! + 1, offset };
}

export function positionIn(lineStarts: readonly number[], start: number, end: number): Position {
  return { start: pointIn(lineStarts, start), end: pointIn(lineStarts, end) };
}

/** Thrown (never outside this module) when the text holds something this reader does not reproduce exactly. */
const DECLINE = { declined: true };

/** Footnote labels the fast paths accept: their identifier is the label in lower case. */
export const footnoteLabel = /^\[\^([0-9A-Za-z_\-\u4e00-\u9fff]{1,40})\]/;

/** A one-line footnote definition whose content cannot start another block. */
export const footnoteDefinitionLine = /^\[\^([0-9A-Za-z_\-\u4e00-\u9fff]{1,40})\]:[ ]*(?![ ]|$|[#>*+=|`~-]|\d{1,9}[.)](?:[ ]|$))/;

/** Levels of inline nesting the fast paths build; real cases have two or three. */
export const maxInlineDepth = 32;

/** Emphasis runs in one inline chunk beyond which the reader declines (its matching looks back over the runs). */
const maxDelimiters = 256;

/**
 * The mdast of the body of `text` (from `bodyStart`, where the line after the front-matter starts), or undefined when
 * it holds anything this reader does not reproduce exactly. The caller has already declined tabs, NUL, lone CRs,
 * `<`, `&`, `\`, `~`, `@`, `www.` and `://`. `lineStarts`: where each line of `text` starts.
 */
export function simpleMarkdown(text: string, bodyStart: number, lineStarts: readonly number[]): RootContent[] | undefined {
  try {
    return new Reader(text, lineStarts).blocks(bodyStart);
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

/** What a line can start, read at the start of a block. */
const enum Kind {
  Blank,
  Paragraph,
  Heading,
  Bullet,
  Ordered,
  Table,
  Footnote,
}

/** `*`, `-`, `_` (and spaces) only, three or more of one: a thematic break, or a setext underline. */
const breakLike = /^(?:([*_-])[ ]*)(?:\1[ ]*){2,}$/;
const orderedMarker = /^(\d{1,9})([.)])/;
const delimiterRow = /^\|(?:[ ]*:?-+:?[ ]*\|)+$/;
const alignCell = /^ *(:?)-+(:?) *$/;

/** An inline item before emphasis is resolved: a text range, a finished node, or a run of `*` or `_`. */
interface Item {
  start: number;
  end: number;
  node?: PhrasingContent;
  /** For a delimiter run: the marker's code; 0 otherwise. */
  marker: number;
  /** OPEN | CLOSE for a delimiter run. */
  flags: number;
  /** Levels of emphasis, links and images in `node`. */
  depth: number;
}

class Reader {
  private readonly references: string[] = [];
  private readonly definitions = new Set<string>();

  constructor(
    private readonly text: string,
    /** Where each line of `text` starts. */
    private readonly starts: readonly number[],
  ) {}

  private position(start: number, end: number): Position {
    return positionIn(this.starts, start, end);
  }

  /** Where line `i` ends, before its line ending. */
  private lineEnd(i: number): number {
    const next = this.starts[i + 1];
    if (next === undefined) return this.text.length;
    return this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }

  blocks(bodyStart: number): RootContent[] {
    const out: RootContent[] = [];
    const lines = this.starts.length;
    let i = lineIndex(this.starts, bodyStart);
    if (this.starts[i] !== bodyStart) throw DECLINE;
    // Whether the line before is blank (or there is none): tables and footnote definitions must follow one.
    let afterBlank = true;
    // Whether the last block was a list: another list right after it (after blank lines) would join it or not.
    let afterList = false;
    while (i < lines) {
      const start = this.starts[i]!;
      const end = this.lineEnd(i);
      const kind = this.kind(start, end);
      if (kind === Kind.Blank) {
        afterBlank = true;
        i++;
        continue;
      }
      if (afterList && (kind === Kind.Bullet || kind === Kind.Ordered)) throw DECLINE;
      afterList = false;
      switch (kind) {
        case Kind.Heading:
          out.push(this.heading(start, end));
          i++;
          break;
        case Kind.Paragraph:
          i = this.paragraph(i, out);
          break;
        case Kind.Bullet:
        case Kind.Ordered:
          i = this.list(i, kind, out);
          afterList = true;
          break;
        case Kind.Table:
          if (!afterBlank) throw DECLINE;
          i = this.table(i, out);
          break;
        case Kind.Footnote:
          if (!afterBlank) throw DECLINE;
          out.push(this.footnoteDefinition(start, end));
          i++;
          if (i < lines && this.lineEnd(i) !== this.starts[i]) throw DECLINE;
          break;
      }
      afterBlank = false;
    }
    for (const id of this.references) if (!this.definitions.has(id)) throw DECLINE;
    return out;
  }

  /** What the line from `start` to `end` starts when read at the start of a block. */
  private kind(start: number, end: number): Kind {
    if (start === end) return Kind.Blank;
    const text = this.text;
    // Indentation, trailing spaces (hard breaks, blank lines of spaces) and the like are left to the other parsers.
    if (text.charCodeAt(start) === 32 || text.charCodeAt(end - 1) === 32) throw DECLINE;
    const c = text.charCodeAt(start);
    const next = start + 1 < end ? text.charCodeAt(start + 1) : -1;
    switch (c) {
      case 35: {
        let n = 1;
        while (n < 7 && text.charCodeAt(start + n) === 35) n++;
        if (n > 6) return Kind.Paragraph;
        if (start + n === end) throw DECLINE;
        return text.charCodeAt(start + n) === 32 ? Kind.Heading : Kind.Paragraph;
      }
      case 42:
      case 45:
      case 95:
      case 43:
        if (c !== 43 && breakLike.test(text.slice(start, end))) throw DECLINE;
        if (c === 95) return Kind.Paragraph;
        if (next === -1) throw DECLINE;
        return next === 32 ? Kind.Bullet : Kind.Paragraph;
      case 62:
      case 61:
        throw DECLINE;
      case 96:
        if (next === 96) throw DECLINE;
        return Kind.Paragraph;
      case 124:
        return Kind.Table;
      case 91:
        if (footnoteDefinitionLine.test(text.slice(start, end))) return Kind.Footnote;
        throw DECLINE;
      default:
        if (c >= 48 && c <= 57) {
          const m = orderedMarker.exec(text.slice(start, Math.min(end, start + 11)));
          if (m) {
            const after = start + m[0].length;
            if (after === end) throw DECLINE;
            if (text.charCodeAt(after) === 32) return Kind.Ordered;
          }
        }
        return Kind.Paragraph;
    }
  }

  /** Whether a line can go on the paragraph before it; throws where micromark might read it otherwise. */
  private continues(start: number, end: number): boolean {
    if (start === end) return false;
    if (this.text.charCodeAt(end - 1) === 32) throw DECLINE;
    this.plainStart(start, end);
    return true;
  }

  /**
   * Throws unless the text from `start` (to the line's `end`) can only be read as paragraph text: a line that goes on
   * a paragraph, or an item's text. Anything that could interrupt a paragraph, underline it (`===`, `---`), make it a
   * table's header row, or start a block inside an item is left to the other parsers.
   */
  private plainStart(start: number, end: number): void {
    const text = this.text;
    const c = text.charCodeAt(start);
    if (c === 32 || c === 35 || c === 62 || c === 61 || c === 45 || c === 43 || c === 96 || c === 124 || c === 91 || c === 58) throw DECLINE;
    if (c === 42 || c === 95) {
      const next = start + 1 < end ? text.charCodeAt(start + 1) : -1;
      if (next === 32 || next === -1 || breakLike.test(text.slice(start, end))) throw DECLINE;
    }
    if (c >= 48 && c <= 57 && orderedMarker.test(text.slice(start, Math.min(end, start + 11)))) throw DECLINE;
  }

  private heading(start: number, end: number): Heading {
    let n = 0;
    while (this.text.charCodeAt(start + n) === 35) n++;
    const from = start + n + 1;
    const c = this.text.charCodeAt(from);
    // Extra spaces, and a closing sequence of `#`, are read the same by micromark, but not worth the risk here.
    if (c === 32 || this.text.charCodeAt(end - 1) === 35) throw DECLINE;
    return { type: 'heading', depth: n as Heading['depth'], children: this.inline(from, end, from, end, false), position: this.position(start, end) };
  }

  /** A paragraph from line `i`; returns the line after it. */
  private paragraph(i: number, out: RootContent[]): number {
    const start = this.starts[i]!;
    let end = this.lineEnd(i);
    i++;
    while (i < this.starts.length) {
      const lineStart = this.starts[i]!;
      const lineEnd = this.lineEnd(i);
      if (!this.continues(lineStart, lineEnd)) break;
      end = lineEnd;
      i++;
    }
    out.push(this.paragraphNode(start, end));
    return i;
  }

  private paragraphNode(start: number, end: number): Paragraph {
    return { type: 'paragraph', children: this.inline(start, end, start, end, false), position: this.position(start, end) };
  }

  /** A list from line `i`, one item a line, every item with the same marker; returns the line after it. */
  private list(i: number, kind: Kind, out: RootContent[]): number {
    const text = this.text;
    const ordered = kind === Kind.Ordered;
    const items: ListItem[] = [];
    let start: number | null = null;
    // The bullet, or the ordered list's `.` or `)`: another one starts another list.
    let marker = -1;
    for (; i < this.starts.length; i++) {
      const lineStart = this.starts[i]!;
      const lineEnd = this.lineEnd(i);
      if (lineStart === lineEnd) break;
      if (this.kind(lineStart, lineEnd) !== kind) throw DECLINE;
      let contentStart: number;
      let thisMarker: number;
      if (ordered) {
        const m = orderedMarker.exec(text.slice(lineStart, lineStart + 11))!;
        start ??= Number.parseInt(m[1]!, 10);
        thisMarker = m[2]!.charCodeAt(0);
        contentStart = lineStart + m[0].length + 1;
      } else {
        thisMarker = text.charCodeAt(lineStart);
        contentStart = lineStart + 2;
      }
      if (marker >= 0 && thisMarker !== marker) throw DECLINE;
      marker = thisMarker;
      // An item's text must be a plain paragraph: not another block, not a task (`[ ]`), not indented code.
      this.plainStart(contentStart, lineEnd);
      const paragraph = this.paragraphNode(contentStart, lineEnd);
      items.push({ type: 'listItem', spread: false, checked: null, children: [paragraph], position: this.position(lineStart, lineEnd) });
    }
    const list: List = {
      type: 'list',
      ordered,
      start,
      spread: false,
      children: items,
      position: { start: items[0]!.position!.start, end: items.at(-1)!.position!.end },
    };
    out.push(list);
    return i;
  }

  /** A table from line `i` (its header row), rows from `|` to `|`; returns the line after it. */
  private table(i: number, out: RootContent[]): number {
    const text = this.text;
    const lines = this.starts.length;
    if (i + 1 >= lines) throw DECLINE;
    const delimiterStart = this.starts[i + 1]!;
    const delimiter = text.slice(delimiterStart, this.lineEnd(i + 1));
    if (!delimiterRow.test(delimiter)) throw DECLINE;
    const align = delimiter
      .slice(1, -1)
      .split('|')
      .map((cell) => {
        const m = alignCell.exec(cell)!;
        return m[1] ? (m[2] ? 'center' : 'left') : m[2] ? 'right' : null;
      });
    const first = this.starts[i]!;
    const rows: TableRow[] = [this.tableRow(first, this.lineEnd(i), align.length)];
    let end = this.lineEnd(i + 1);
    for (i += 2; i < lines; i++) {
      const start = this.starts[i]!;
      const lineEnd = this.lineEnd(i);
      if (start === lineEnd) break;
      if (text.charCodeAt(start) !== 124) throw DECLINE;
      rows.push(this.tableRow(start, lineEnd, align.length));
      end = lineEnd;
    }
    const table: Table = { type: 'table', align, children: rows, position: this.position(first, end) };
    out.push(table);
    return i;
  }

  /** A row with exactly `columns` cells; a cell runs from its `|` to the next, the last one to the line's end. */
  private tableRow(start: number, end: number, columns: number): TableRow {
    const text = this.text;
    if (text.charCodeAt(start) !== 124 || text.charCodeAt(end - 1) !== 124 || end - start < 2) throw DECLINE;
    const pipes: number[] = [];
    for (let at = text.indexOf('|', start); at >= 0 && at < end; at = text.indexOf('|', at + 1)) pipes.push(at);
    // A `|` inside code splits the cell all the same in GFM; leave such rows (and escapes, declined before) alone.
    if (pipes.length - 1 !== columns || text.slice(start, end).includes('`')) throw DECLINE;
    const cells: TableCell[] = [];
    for (let k = 0; k + 1 < pipes.length; k++) {
      let from = pipes[k]! + 1;
      let to = pipes[k + 1]!;
      while (from < to && text.charCodeAt(from) === 32) from++;
      while (to > from && text.charCodeAt(to - 1) === 32) to--;
      const children = from < to ? this.inline(from, to, from, to, false) : [];
      cells.push({ type: 'tableCell', children, position: this.position(pipes[k]!, k + 2 === pipes.length ? end : pipes[k + 1]!) });
    }
    return { type: 'tableRow', children: cells, position: this.position(start, end) };
  }

  private footnoteDefinition(start: number, end: number): FootnoteDefinition {
    const m = footnoteDefinitionLine.exec(this.text.slice(start, end))!;
    const label = m[1]!;
    const identifier = label.toLowerCase();
    this.definitions.add(identifier);
    const contentStart = start + m[0].length;
    return { type: 'footnoteDefinition', identifier, label, children: [this.paragraphNode(contentStart, end)], position: this.position(start, end) };
  }

  /**
   * The inline content from `from` to `to`. `lo` and `hi` bound the chunk micromark parses it in (a paragraph, a
   * heading's text, a cell): next to them an emphasis run sees the start or end of the text; inside a link's text it
   * sees the real characters around it.
   */
  private inline(from: number, to: number, lo: number, hi: number, inLink: boolean): PhrasingContent[] {
    const text = this.text;
    let pos = from;
    while (pos < to && !isSpecial(text.charCodeAt(pos))) pos++;
    // Most paragraphs and cells are plain text.
    if (pos === to) return from < to ? [this.textNode(from, to)] : [];
    const items: Item[] = [];
    let plain = from;
    let delimiters = 0;
    while (pos < to) {
      const c = text.charCodeAt(pos);
      if (!isSpecial(c) || (c === 33 && text.charCodeAt(pos + 1) !== 91)) {
        pos++;
        continue;
      }
      if (c === 93) throw DECLINE;
      if (pos > plain) items.push({ start: plain, end: pos, marker: 0, flags: 0, depth: 0 });
      if (c === 42 || c === 95) {
        let end = pos + 1;
        while (end < to && text.charCodeAt(end) === c) end++;
        // Runs of three or more are used in parts, which the matching below does not follow.
        if (end - pos > 2 || ++delimiters > maxDelimiters) throw DECLINE;
        const flags = flanking(c, pos > lo ? text.charCodeAt(pos - 1) : -1, end < hi ? text.charCodeAt(end) : -1);
        if (flags < 0) throw DECLINE;
        items.push({ start: pos, end, marker: c, flags, depth: 0 });
        pos = end;
      } else if (c === 96) {
        pos = this.code(pos, to, items);
      } else if (text.charCodeAt(pos + 1) === 94) {
        pos = this.footnoteReference(pos, to, inLink, items);
      } else {
        pos = this.link(pos, to, lo, hi, inLink, items);
      }
      plain = pos;
    }
    if (to > plain) items.push({ start: plain, end: to, marker: 0, flags: 0, depth: 0 });
    return this.emphasis(items);
  }

  /** A code span from the run of backticks at `pos`; returns where it ends. */
  private code(pos: number, to: number, items: Item[]): number {
    const text = this.text;
    let open = pos + 1;
    while (open < to && text.charCodeAt(open) === 96) open++;
    const size = open - pos;
    for (let at = text.indexOf('`', open); at >= 0 && at < to; ) {
      let close = at + 1;
      while (close < to && text.charCodeAt(close) === 96) close++;
      if (close - at === size) {
        let value = text.slice(open, at);
        if (value.includes('\n')) throw DECLINE;
        // CommonMark strips one space from each side unless the span is all spaces: spaces only (U+0020), where
        // String#trim would also count U+3000, U+2028, \v and the like, which micromark takes as content.
        if (value.length > 2 && value.startsWith(' ') && value.endsWith(' ') && /[^ ]/.test(value)) value = value.slice(1, -1);
        items.push({ start: pos, end: close, node: { type: 'inlineCode', value, position: this.position(pos, close) }, marker: 0, flags: 0, depth: 0 });
        return close;
      }
      at = text.indexOf('`', close);
    }
    // An unmatched run is text; not worth following here.
    throw DECLINE;
  }

  /** `[^label]`, defined somewhere in the file; returns where it ends. */
  private footnoteReference(pos: number, to: number, inLink: boolean, items: Item[]): number {
    const text = this.text;
    if (inLink || text.charCodeAt(pos) !== 91) throw DECLINE;
    const m = footnoteLabel.exec(text.slice(pos, Math.min(to, pos + 44)));
    if (!m) throw DECLINE;
    const end = pos + m[0].length;
    const after = text.charCodeAt(end);
    if (after === 40 || after === 91 || after === 58) throw DECLINE;
    const label = m[1]!;
    const identifier = label.toLowerCase();
    this.references.push(identifier);
    items.push({ start: pos, end, node: { type: 'footnoteReference', identifier, label, position: this.position(pos, end) }, marker: 0, flags: 0, depth: 0 });
    return end;
  }

  /** `[text](url)` or `![alt](url)`: no brackets, backticks or line endings in the text, no title; returns where it ends. */
  private link(pos: number, to: number, lo: number, hi: number, inLink: boolean, items: Item[]): number {
    const text = this.text;
    const image = text.charCodeAt(pos) === 33;
    const label = pos + (image ? 2 : 1);
    // `![^x]`: a footnote call after a `!`, or an image? Left to micromark.
    if (text.charCodeAt(label) === 94) throw DECLINE;
    let close = label;
    for (; close < to; close++) {
      const c = text.charCodeAt(close);
      if (c === 93) break;
      if (c === 91 || c === 96 || c === 10 || c === 13) throw DECLINE;
    }
    if (close >= to || text.charCodeAt(close + 1) !== 40) throw DECLINE;
    let end = close + 2;
    for (; end < to; end++) {
      const c = text.charCodeAt(end);
      if (c === 41) break;
      // Spaces (a title), brackets, angle brackets, backticks, line endings, control characters.
      if (c <= 32 || c === 40 || c === 60 || c === 62 || c === 91 || c === 93 || c === 96) throw DECLINE;
    }
    if (end >= to) throw DECLINE;
    const url = text.slice(close + 2, end);
    end++;
    const children = this.inline(label, close, lo, hi, true);
    const depth = 1 + maxDepth(children);
    if (depth > maxInlineDepth) throw DECLINE;
    const position = this.position(pos, end);
    if (image) {
      items.push({ start: pos, end, node: { type: 'image', title: null, url, alt: toText(children), position }, marker: 0, flags: 0, depth });
    } else {
      if (inLink) throw DECLINE;
      items.push({ start: pos, end, node: { type: 'link', title: null, url, children, position }, marker: 0, flags: 0, depth });
    }
    return end;
  }

  /**
   * CommonMark's emphasis matching as micromark does it (closers left to right, each looking back for the nearest
   * opener of its marker, the rule of three), for runs used whole: a run only partly used makes the reader decline.
   */
  private emphasis(items: Item[]): PhrasingContent[] {
    for (let ci = 0; ci < items.length; ci++) {
      const closer = items[ci]!;
      if (!closer.marker || !(closer.flags & CLOSE)) continue;
      const size = closer.end - closer.start;
      let oi = ci - 1;
      for (; oi >= 0; oi--) {
        const o = items[oi]!;
        if (o.marker !== closer.marker || !(o.flags & OPEN)) continue;
        const openSize = o.end - o.start;
        if ((o.flags & CLOSE || closer.flags & OPEN) && size % 3 && !((openSize + size) % 3)) continue;
        break;
      }
      if (oi < 0) continue;
      const opener = items[oi]!;
      if (opener.end - opener.start !== size) throw DECLINE;
      const inner = items.slice(oi + 1, ci);
      let depth = 0;
      for (const item of inner) if (item.depth > depth) depth = item.depth;
      if (++depth > maxInlineDepth) throw DECLINE;
      const node: PhrasingContent = {
        type: size === 2 ? 'strong' : 'emphasis',
        children: this.phrasing(inner),
        position: this.position(opener.start, closer.end),
      };
      items.splice(oi, ci - oi + 1, { start: opener.start, end: closer.end, node, marker: 0, flags: 0, depth });
      ci = oi;
    }
    return this.phrasing(items);
  }

  /** Items as mdast: runs left unmatched are text, and neighbouring text is one node, as micromark gives it. */
  private phrasing(items: Item[]): PhrasingContent[] {
    const out: PhrasingContent[] = [];
    let textStart = -1;
    let textEnd = -1;
    for (const item of items) {
      if (item.node) {
        if (textStart >= 0) out.push(this.textNode(textStart, textEnd));
        textStart = -1;
        out.push(item.node);
      } else {
        if (textStart < 0) textStart = item.start;
        textEnd = item.end;
      }
    }
    if (textStart >= 0) out.push(this.textNode(textStart, textEnd));
    return out;
  }

  private textNode(start: number, end: number): PhrasingContent {
    return { type: 'text', value: this.text.slice(start, end), position: this.position(start, end) };
  }
}

/** `*`, `_`, `` ` ``, `[`, `]` and `!`: where inline markup can start. */
function isSpecial(c: number): boolean {
  return c === 42 || c === 95 || c === 96 || c === 91 || c === 93 || c === 33;
}

function maxDepth(nodes: PhrasingContent[]): number {
  let depth = 0;
  for (const node of nodes) {
    if ('children' in node) depth = Math.max(depth, 1 + maxDepth(node.children as PhrasingContent[]));
  }
  return depth;
}

/** mdast-util-to-string of phrasing content (an image's alt). */
export function toText(nodes: PhrasingContent[]): string {
  let out = '';
  for (const node of nodes) {
    if ('value' in node) out += node.value;
    else if ('alt' in node) out += node.alt ?? '';
    else if ('children' in node) out += toText(node.children as PhrasingContent[]);
  }
  return out;
}
