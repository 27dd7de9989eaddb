/**
 * A fast path for parse.ts: parse a case with @lezer/markdown and convert its tree to exactly the mdast that
 * micromark's fromMarkdown (GFM, cjk-friendly, YAML front-matter) gives — node for node, field for field, position
 * for position — for the constructs case files are written with. micromark costs 3–6 ms per case; this ~0.5 ms.
 *
 * Whatever the adapter does not reproduce exactly makes it decline the whole file (`undefined`), and the caller parses
 * it with micromark: HTML, character references and escapes, tabs, autolink literals, setext headings, reference
 * links and definitions, code blocks, lazy continuation lines, hard breaks, nested containers, emphasis next to a
 * character whose cjk-friendly class is not known here… A wrong tree is far worse than a slow one; the equivalence
 * tests (test/fast-markdown.test.ts) hold the two parsers together.
 */
import type { TreeCursor } from '@lezer/common';
import { InlineContext, parser as commonMark, Table, TaskList, type BlockContext, type Line, type MarkdownParser } from '@lezer/markdown';
import type {
  BlockContent,
  FootnoteDefinition,
  Heading,
  List,
  ListItem,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Table as TableNode,
  TableCell,
  TableRow,
} from 'mdast';
import type { Point, Position } from 'unist';
import { lineIndex } from '../shared/source.js';
import { CLOSE, flanking, OPEN } from './attention.js';
import { footnoteDefinitionLine, footnoteLabel, maxInlineDepth, pointIn, positionIn, simpleMarkdown, toText } from './simple-markdown.js';

/** Thrown (never outside this module) when the text holds something the adapter does not reproduce exactly. */
const DECLINE = { declined: true };

// Characters and strings the adapter leaves to micromark wherever they occur in the body: tabs (micromark's columns
// expand them), NUL (replaced by U+FFFD), a BOM, HTML and autolinks (`<`), character references (`&`), escapes and
// backslash hard breaks (`\`), strikethrough (`~`), and GFM autolink literals (`www.`, `http://`, and emails and
// `mailto:` which need `@`).
const delimiterRowWithTrailingSpaces = /^([ >]*\|?(?:[ ]*:?-+:?[ ]*\|)+)([ ]+)$/gm;
const unsupportedText = /[\t\0\uFEFF<&\\~@]|www\.|:\/\//i;

/** Which fast paths to try: both, in production; the tests hold each one to micromark on its own. */
export interface FastPaths {
  /** The line reader of simple-markdown.ts. */
  simple: boolean;
  /** lezer and the converter below. */
  lezer: boolean;
}

const bothPaths: FastPaths = { simple: true, lezer: true };

/**
 * Parse Markdown text (with YAML front-matter) to the mdast fromMarkdown gives, or `undefined` when the text holds a
 * construct this adapter does not reproduce exactly.
 */
export function fastMarkdown(text: string, paths: FastPaths = bothPaths): Root | undefined {
  // A lone CR is a line ending to micromark (and not to lezer), and NUL becomes U+FFFD, in the front-matter too.
  if (text.includes('\0') || (text.includes('\r') && /\r(?!\n)/.test(text))) return undefined;
  const front = frontMatter(text);
  if (front === 'decline') return undefined;
  const bodyStart = front ? front.next : 0;
  if (unsupportedText.test(bodyStart ? text.slice(bodyStart) : text)) return undefined;
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  // Most cases: the line reader, several times quicker than lezer below.
  const simple = paths.simple ? simpleMarkdown(text, bodyStart, starts) : undefined;
  if (simple) {
    if (front) simple.unshift({ type: 'yaml', value: front.value, position: positionIn(starts, 0, front.end) });
    return { type: 'root', children: simple, position: positionIn(starts, 0, text.length) };
  }
  if (!paths.lezer) return undefined;
  // lezer splits lines at LF only; as a space the CR of CRLF is trailing whitespace to it, which it is to micromark.
  let body = bodyStart ? text.slice(bodyStart) : text;
  if (body.includes('\r')) body = body.replace(/\r\n/g, ' \n');
  // lezer does not take a table's delimiter row with spaces after its last `|`; micromark does. Those spaces are
  // moved before the `|` in lezer's copy (the alignments are read from the text itself).
  if (body.includes('|')) body = body.replace(delimiterRowWithTrailingSpaces, (_, row: string, spaces: string) => `${row.slice(0, -1)}${spaces}|`);
  const cx = new Converter(text, bodyStart, starts);
  try {
    const tree = lezer.parse(body);
    const children: RootContent[] = [];
    if (front) children.push({ type: 'yaml', value: front.value, position: cx.position(0, front.end) });
    const c = tree.cursor();
    if (c.firstChild()) {
      do children.push(cx.block(c, topLevel));
      while (c.nextSibling());
    }
    cx.checkFootnotes();
    return { type: 'root', children, position: cx.position(0, text.length) };
  } catch (error) {
    // lezer recurses in resolving some deep nesting, where micromark does not.
    if (error === DECLINE || error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * The front-matter as micromark-extension-frontmatter reads it: `---` (then spaces) on the first line, up to the first
 * line that is `---` (then spaces). `next` is where the body's first line starts. 'decline' when micromark might
 * read it otherwise.
 */
function frontMatter(text: string): { value: string; end: number; next: number } | undefined | 'decline' {
  if (!text.startsWith('---')) return undefined;
  const open = /^---[ ]*(\r?\n)/.exec(text);
  if (!open) return /^---[ ]*(?:$|[\t\r])/.test(text) ? 'decline' : undefined;
  // Only lines that start with `---` can close it.
  for (let at = text.indexOf('\n---', open[0].length - 1); at >= 0; at = text.indexOf('\n---', at + 1)) {
    const start = at + 1;
    let eol = text.indexOf('\n', start);
    if (eol < 0) eol = text.length;
    const line = text.slice(start, text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol);
    if (/^---[ ]*$/.test(line)) {
      const value = text.slice(open[0].length, start).replace(/(\r?\n|\r)$/, '');
      return { value, end: start + line.length, next: eol < text.length ? eol + 1 : eol };
    }
    if (/^---[ ]*[\t\r]/.test(line)) return 'decline';
  }
  // An opening fence without a closing one: micromark's front-matter attempt then changes how the rest is read.
  return 'decline';
}

// ---------------------------------------------------------------------------------------------------------------
// The lezer parser: CommonMark, GFM tables (and task items, only to decline them), emphasis delimiters classified by
// micromark-extension-cjk-friendly's rules, and GFM footnotes.

/**
 * An emphasis run (`*`, `**`, `_`…) with cjk-friendly's opening and closing rules (micromark-extension-cjk-friendly's
 * `tokenizeAttention`), in place of lezer's CommonMark rules; a run next to a character of unknown class is marked
 * Unsupported.
 */
function emphasis(cx: InlineContext, next: number, start: number): number {
  if (next !== 42 && next !== 95) return -1;
  let pos = start + 1;
  while (cx.char(pos) === next) pos++;
  const flank = flanking(next, start > cx.offset ? cx.char(start - 1) : -1, pos < cx.end ? cx.char(pos) : -1);
  if (flank < 0) return cx.addElement(cx.elt('Unsupported', start, pos));
  return cx.addDelimiter(next === 42 ? InlineContext.emphasisAsterisk : InlineContext.emphasisUnderscore, start, pos, (flank & OPEN) !== 0, (flank & CLOSE) !== 0);
}

// The characters some inline parser of this configuration acts on: `\\ & \` < * _ [ ! ]` and space (hard breaks).
const inlineSpecial = new Uint8Array(128);
for (const ch of '\\&`<*_[!] ') inlineSpecial[ch.charCodeAt(0)] = 1;

/**
 * Skip a run of characters no inline parser acts on. lezer offers each character to every inline parser in turn,
 * which in Chinese prose, where markup is rare, is most of its time.
 */
function plainRun(cx: InlineContext, next: number, start: number): number {
  if (next < 128 && inlineSpecial[next]) return -1;
  let pos = start + 1;
  for (let code = cx.char(pos); pos < cx.end && (code >= 128 || !inlineSpecial[code]); code = cx.char(++pos));
  return pos;
}


/**
 * `[^label]`: a FootnoteReference (checked against the definitions after the parse), or Unsupported when it is
 * followed by what could make it something else (`(`, `[`, `:`) or its label is unusual.
 */
function footnoteReference(cx: InlineContext, next: number, start: number): number {
  if (next !== 91 || cx.char(start + 1) !== 94) return -1;
  const m = footnoteLabel.exec(cx.slice(start, Math.min(cx.end, start + 44)));
  const end = m ? start + m[0].length : start + 2;
  const after = cx.char(end);
  if (!m || after === 40 || after === 91 || after === 58) return cx.addElement(cx.elt('Unsupported', start, end));
  return cx.addElement(cx.elt('FootnoteReference', start, end, [cx.elt('FootnoteLabel', start + 2, end - 1)]));
}


/**
 * `[^label]: text` on one line at the top level, followed by a blank line or the end: a FootnoteDefinition holding
 * one paragraph. Any other definition is marked Unsupported.
 */
function footnoteDefinition(cx: BlockContext, line: Line): boolean {
  if (line.next !== 91 || line.text.charCodeAt(line.pos + 1) !== 94) return false;
  // A paragraph that starts with a footnote reference.
  if (!/^\[\^[^\]]*\]:/.test(line.text.slice(line.pos))) return false;
  const m = line.pos === 0 && cx.parentType().name === 'Document' ? footnoteDefinitionLine.exec(line.text) : null;
  const start = cx.lineStart;
  const end = start + line.text.length;
  if (!m || !/^[ ]*$/.test(cx.peekLine())) {
    cx.addElement(cx.elt('Unsupported', start, end));
  } else {
    const contentStart = start + m[0].length;
    const content = cx.parser.parseInline(line.text.slice(m[0].length), contentStart);
    cx.addElement(cx.elt('FootnoteDefinition', start, end, [cx.elt('FootnoteLabel', start + 2, start + 2 + m[1]!.length), cx.elt('Paragraph', contentStart, end, content)]));
  }
  cx.nextLine();
  return true;
}

const lezer: MarkdownParser = commonMark.configure([
  Table,
  TaskList,
  {
    defineNodes: [{ name: 'FootnoteDefinition', block: true }, 'FootnoteReference', 'FootnoteLabel', 'Unsupported'],
    parseInline: [
      { name: 'PlainRun', parse: plainRun, before: 'Escape' },
      { name: 'Emphasis', parse: emphasis },
      { name: 'FootnoteReference', parse: footnoteReference, before: 'Link' },
    ],
    parseBlock: [{ name: 'FootnoteDefinition', parse: footnoteDefinition, before: 'LinkReference' }],
  },
]);

// ---------------------------------------------------------------------------------------------------------------
// From lezer's tree to mdast.

/** Where a block sits: how a continuation line of its paragraphs starts (container markers and indentation). */
interface Container {
  /** Matches, sticky at a continuation line's start, the container's prefix and the whitespace after it. */
  prefix: RegExp;
  /** Lists, block quotes and footnote definitions are not nested in this adapter. */
  nested: boolean;
}

const topLevel: Container = { prefix: /[ ]*/y, nested: false };
const quoted: Container = { prefix: /[ ]{0,3}>[ ]*/y, nested: true };


/** The prefix of a list item's continuation lines, by the item's content indent. */
const itemPrefixes: RegExp[] = [];

/** A line of a paragraph that could be a table's delimiter row, if lezer did not read it as one. */
const delimiterRowLike = /\n[ >]*\|?[ ]*:?-+:?[ ]*(?:\|[ ]*:?-+:?[ ]*)*\|?[ ]*(?:\r?\n|$)/;

class Converter {
  private readonly references: string[] = [];
  private readonly definitions = new Set<string>();
  private depth = 0;

  constructor(
    private readonly text: string,
    /** Where lezer's text starts in `text`. */
    private readonly base: number,
    /** Where each line of `text` starts. */
    private readonly lineStarts: readonly number[],
  ) {}

  point(offset: number): Point {
    return pointIn(this.lineStarts, offset);
  }

  position(start: number, end: number): Position {
    return positionIn(this.lineStarts, start, end);
  }

  /** The end of the line holding `offset`, before its line ending (trailing spaces included, as micromark's blocks end). */
  lineEnd(offset: number): number {
    let eol = this.text.indexOf('\n', offset);
    if (eol < 0) eol = this.text.length;
    return this.text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
  }

  /** `end` moved back over spaces. */
  trimEnd(start: number, end: number): number {
    while (end > start && this.text.charCodeAt(end - 1) === 32) end--;
    return end;
  }

  /** Whether the line holding `offset` (or the line ending just before it) is blank. */
  private lineIsBlank(lineIndex: number): boolean {
    const start = this.lineStarts[lineIndex]!;
    const end = this.lineEnd(start);
    return this.trimEnd(start, end) === start;
  }

  private lineIndex(offset: number): number {
    return this.point(offset).line - 1;
  }

  /** A block node at the cursor (in lezer's offsets), as mdast. */
  block(c: TreeCursor, container: Container): RootContent {
    const from = c.from + this.base;
    const to = c.to + this.base;
    switch (c.name) {
      case 'Paragraph':
        return this.paragraph(c, from, to, container);
      case 'ATXHeading1':
      case 'ATXHeading2':
      case 'ATXHeading3':
      case 'ATXHeading4':
      case 'ATXHeading5':
      case 'ATXHeading6':
        return this.heading(c, from, Number(c.name.slice(-1)) as Heading['depth']);
      case 'HorizontalRule':
        return { type: 'thematicBreak', position: this.position(from, this.lineEnd(from)) };
      case 'Table':
        if (container !== topLevel) throw DECLINE;
        return this.table(c, from, to);
      case 'BulletList':
      case 'OrderedList':
        if (container.nested) throw DECLINE;
        return this.list(c, c.name === 'OrderedList');
      case 'Blockquote':
        if (container.nested) throw DECLINE;
        return this.blockquote(c, from, to);
      case 'FootnoteDefinition':
        return this.footnoteDefinition(c, from, to);
      default:
        throw DECLINE;
    }
  }

  private paragraph(c: TreeCursor, from: number, to: number, container: Container): Paragraph {
    const end = this.lineEnd(to);
    const nl = this.text.indexOf('\n', from);
    if (nl >= 0 && nl < end && delimiterRowLike.test(this.text.slice(from, end))) throw DECLINE;
    const children = this.inline(c, from, this.trimEnd(from, end), container);
    return { type: 'paragraph', children, position: this.position(from, end) };
  }

  private heading(c: TreeCursor, from: number, depth: Heading['depth']): Heading {
    const end = this.lineEnd(from);
    let contentStart = -1;
    let contentEnd = this.trimEnd(from, end);
    if (c.firstChild()) {
      do {
        if (c.name !== 'HeaderMark') continue;
        if (contentStart < 0) contentStart = c.to + this.base;
        else contentEnd = this.trimEnd(contentStart, c.from + this.base);
      } while (c.nextSibling());
      c.parent();
    }
    if (contentStart < 0) throw DECLINE;
    while (contentStart < contentEnd && this.text.charCodeAt(contentStart) === 32) contentStart++;
    // `## a#` and the like: leave closing sequences lezer and micromark might read differently to micromark.
    if (this.text.charCodeAt(contentEnd - 1) === 35) throw DECLINE;
    const children = contentStart < contentEnd ? this.inline(c, contentStart, contentEnd, topLevel) : [];
    return { type: 'heading', depth, children, position: this.position(from, end) };
  }

  /** Table rows are whole lines from `|` to `|`, with a blank line (or the start or end) before and after the table. */
  private table(c: TreeCursor, from: number, to: number): TableNode {
    const text = this.text;
    const first = this.lineIndex(from);
    const last = this.lineIndex(to);
    if (this.lineStarts[first] !== from) throw DECLINE;
    if (from > this.base && !this.lineIsBlank(first - 1)) throw DECLINE;
    if (last + 1 < this.lineStarts.length && !this.lineIsBlank(last + 1)) throw DECLINE;
    for (let i = first; i <= last; i++) {
      const start = this.lineStarts[i]!;
      const end = this.trimEnd(start, this.lineEnd(start));
      if (text.charCodeAt(start) !== 124 || text.charCodeAt(end - 1) !== 124 || end - start < 2) throw DECLINE;
    }
    const rows: TableRow[] = [];
    let align: TableNode['align'] = [];
    let columns = 0;
    c.firstChild();
    do {
      const rowFrom = c.from + this.base;
      if (c.name === 'TableDelimiter') {
        align = text
          .slice(rowFrom + 1, this.trimEnd(rowFrom, this.lineEnd(rowFrom)) - 1)
          .split('|')
          .map((cell) => {
            const m = /^ *(:?)-+(:?) *$/.exec(cell);
            if (!m) throw DECLINE;
            return m[1] ? (m[2] ? 'center' : 'left') : m[2] ? 'right' : null;
          });
        if (align.length !== columns) throw DECLINE;
      } else if (c.name === 'TableHeader' || c.name === 'TableRow') {
        const row = this.tableRow(c, rowFrom);
        if (c.name === 'TableHeader') columns = row.children.length;
        rows.push(row);
      } else {
        throw DECLINE;
      }
    } while (c.nextSibling());
    c.parent();
    if (!columns || !align.length) throw DECLINE;
    return { type: 'table', align, children: rows, position: this.position(from, this.lineEnd(to)) };
  }

  /** A row's cells run from one `|` to the next; the last one takes in the closing `|` and trailing spaces. */
  private tableRow(c: TreeCursor, from: number): TableRow {
    const end = this.lineEnd(from);
    const pipes: number[] = [];
    const contents = new Map<number, PhrasingContent[]>();
    if (c.firstChild()) {
      do {
        const start = c.from + this.base;
        if (c.name === 'TableDelimiter') pipes.push(start);
        else if (c.name === 'TableCell') contents.set(pipes.length, this.inline(c, start, c.to + this.base, topLevel));
        else throw DECLINE;
      } while (c.nextSibling());
      c.parent();
    }
    if (pipes[0] !== from || pipes.at(-1) !== this.trimEnd(from, end) - 1) throw DECLINE;
    const children: TableCell[] = [];
    for (let i = 0; i + 1 < pipes.length; i++) {
      const cellStart = pipes[i]!;
      const cellEnd = i + 2 === pipes.length ? end : pipes[i + 1]!;
      const inline = contents.get(i + 1);
      if (!inline && this.trimEnd(cellStart + 1, pipes[i + 1]!) !== cellStart + 1) throw DECLINE;
      children.push({ type: 'tableCell', children: inline ?? [], position: this.position(cellStart, cellEnd) });
    }
    if (contents.size > children.length) throw DECLINE;
    return { type: 'tableRow', children, position: this.position(from, end) };
  }

  /**
   * A list at the top level or in a block quote, whose items hold paragraphs only, each item's marker followed by one
   * space. spread as micromark computes it: an item is spread when a blank line lies between its children, the list
   * when one lies between two items.
   */
  private list(c: TreeCursor, ordered: boolean): List {
    const items: ListItem[] = [];
    let start: number | null = null;
    let spread = false;
    let previousEnd = -1;
    c.firstChild();
    do {
      if (c.name !== 'ListItem') throw DECLINE;
      const itemFrom = c.from + this.base;
      if (previousEnd >= 0 && this.hasBlankLine(previousEnd, itemFrom)) spread = true;
      const item = this.listItem(c, ordered && start === null ? (n) => (start = n) : undefined);
      previousEnd = item.position!.end.offset!;
      items.push(item);
    } while (c.nextSibling());
    c.parent();
    return { type: 'list', ordered, start, spread, children: items, position: this.position(items[0]!.position!.start.offset!, previousEnd) };
  }

  private listItem(c: TreeCursor, setStart?: (n: number) => void): ListItem {
    if (!c.firstChild() || c.name !== 'ListMark') throw DECLINE;
    // lezer's item starts at the line's start, micromark's at the marker.
    const from = c.from + this.base;
    const markEnd = c.to + this.base;
    if (setStart) setStart(Number.parseInt(this.text.slice(from, markEnd - 1), 10));
    if (this.text.charCodeAt(markEnd) !== 32 || this.text.charCodeAt(markEnd + 1) === 32) throw DECLINE;
    const width = markEnd + 1 - from;
    // Relative to the item's line start (the item is not nested, so its marker starts at most 3 spaces in).
    const indent = from - this.lineStarts[this.lineIndex(from)]! + width;
    const container: Container = { prefix: (itemPrefixes[indent] ??= new RegExp(`[ ]{${indent}}[ ]*`, 'y')), nested: true };
    const children: BlockContent[] = [];
    let end = markEnd;
    while (c.nextSibling()) {
      if ((c.name as string) !== 'Paragraph') throw DECLINE;
      const paragraph = this.paragraph(c, c.from + this.base, c.to + this.base, container);
      // A paragraph's first line is not a continuation line: check its indentation here.
      if (children.length && paragraph.position!.start.column <= indent) throw DECLINE;
      children.push(paragraph);
      end = paragraph.position!.end.offset!;
    }
    c.parent();
    if (!children.length || children[0]!.position!.start.offset !== markEnd + 1) throw DECLINE;
    const spread = this.hasBlankLine(from, end);
    return { type: 'listItem', spread, checked: null, children, position: this.position(from, end) };
  }

  /** Whether a blank line lies between two offsets (the lines strictly between their lines). */
  private hasBlankLine(from: number, to: number): boolean {
    const last = this.lineIndex(to);
    for (let i = this.lineIndex(from) + 1; i < last; i++) if (this.lineIsBlank(i)) return true;
    return false;
  }

  /** A block quote at the top level, holding paragraphs, every line of it starting with `>`. */
  private blockquote(c: TreeCursor, from: number, to: number): BlockContent {
    const children: BlockContent[] = [];
    const first = this.lineIndex(from);
    const last = this.lineIndex(to);
    for (let i = first; i <= last; i++) {
      quoted.prefix.lastIndex = this.lineStarts[i]!;
      if (!quoted.prefix.test(this.text)) throw DECLINE;
    }
    if (last + 1 < this.lineStarts.length && !this.lineIsBlank(last + 1)) throw DECLINE;
    let end = -1;
    c.firstChild();
    do {
      if (c.name === 'QuoteMark') continue;
      if (c.name !== 'Paragraph') throw DECLINE;
      const paragraph = this.paragraph(c, c.from + this.base, c.to + this.base, quoted);
      children.push(paragraph);
      end = paragraph.position!.end.offset!;
    } while (c.nextSibling());
    c.parent();
    if (end < 0 || this.lineIndex(end) !== last) throw DECLINE;
    return { type: 'blockquote', children, position: this.position(from, end) };
  }

  private footnoteDefinition(c: TreeCursor, from: number, to: number): FootnoteDefinition {
    c.firstChild();
    const label = this.text.slice(c.from + this.base, c.to + this.base);
    c.nextSibling();
    const paragraph = this.paragraph(c, c.from + this.base, c.to + this.base, topLevel);
    c.parent();
    const identifier = label.toLowerCase();
    this.definitions.add(identifier);
    return { type: 'footnoteDefinition', identifier, label, children: [paragraph], position: this.position(from, this.lineEnd(to)) };
  }

  /** Every footnote reference must have a definition: micromark reads `[^x]` without one as text or a link. */
  checkFootnotes(): void {
    for (const id of this.references) if (!this.definitions.has(id)) throw DECLINE;
  }

  /**
   * The inline content from `from` to `to` (file offsets) of the node at the cursor: its children, and text nodes for
   * what lies between them.
   */
  private inline(c: TreeCursor, from: number, to: number, container: Container, inLink = false): PhrasingContent[] {
    // Deep nesting (`*a *b … b* a*`) is left to micromark, which builds its tree without recursion.
    if (++this.depth > maxInlineDepth) throw DECLINE;
    const out: PhrasingContent[] = [];
    let at = from;
    if (c.firstChild()) {
      do {
        const start = c.from + this.base;
        const end = c.to + this.base;
        if (end <= from || start >= to) continue;
        const name = c.name;
        if (name === 'QuoteMark' || name === 'HeaderMark' || name === 'TableDelimiter') continue;
        if (name === 'HardBreak') {
          // lezer sees a hard break in `a  ⏎`; so does micromark. In `a ⏎` with CRLF lezer sees two spaces.
          continue;
        }
        if (start < at) throw DECLINE;
        this.pushText(out, at, start, container);
        out.push(this.phrasing(c, start, end, container, inLink));
        at = end;
      } while (c.nextSibling());
      c.parent();
    }
    this.pushText(out, at, to, container);
    this.depth--;
    return out;
  }

  /** A text node for the characters from `from` to `to`, as micromark's data and line endings give it. */
  private pushText(out: PhrasingContent[], from: number, to: number, container: Container): void {
    const text = this.text;
    let value = '';
    let start = -1;
    let end = -1;
    let pos = from;
    while (pos < to) {
      const nl = text.indexOf('\n', pos);
      if (nl < 0 || nl >= to) {
        value += text.slice(pos, to);
        if (start < 0) start = pos;
        end = to;
        break;
      }
      const eol = text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      const trimmed = this.trimEnd(pos, eol);
      // Two spaces before a line ending make a hard break in micromark.
      if (eol - trimmed >= 2) throw DECLINE;
      if (trimmed > pos) {
        value += text.slice(pos, trimmed);
        if (start < 0) start = pos;
      }
      value += text.slice(eol, nl + 1);
      if (start < 0) start = eol;
      const prefix = container.prefix;
      prefix.lastIndex = nl + 1;
      const m = prefix.exec(text);
      // A line that does not carry its container's prefix is a lazy continuation line.
      if (!m) throw DECLINE;
      end = nl + 1;
      pos = nl + 1 + m[0].length;
      if (pos > to) throw DECLINE;
    }
    if (start < 0) return;
    // In a block quote or list item micromark sometimes ends such a line ending after the next line's markers
    // (after an unmatched backtick, say), sometimes at the line's start.
    if (container !== topLevel && value.endsWith('\n')) throw DECLINE;
    out.push({ type: 'text', value, position: this.position(start, end) });
  }

  /** An inline node at the cursor. */
  private phrasing(c: TreeCursor, from: number, to: number, container: Container, inLink: boolean): PhrasingContent {
    const text = this.text;
    switch (c.name) {
      case 'Emphasis':
      case 'StrongEmphasis': {
        // lezer counts a run's length as it was before part of it was used, micromark as it is now (the rule of 3 of
        // CommonMark's delimiter algorithm); so only runs used whole, at once, are taken.
        const marker = text.charCodeAt(from);
        if (text.charCodeAt(from - 1) === marker || text.charCodeAt(to) === marker) throw DECLINE;
        const size = c.name === 'Emphasis' ? 1 : 2;
        const children = this.inline(c, from + size, to - size, container, inLink);
        return { type: c.name === 'Emphasis' ? 'emphasis' : 'strong', children, position: this.position(from, to) };
      }
      case 'InlineCode': {
        let size = 0;
        while (text.charCodeAt(from + size) === 96) size++;
        let value = text.slice(from + size, to - size);
        if (value.includes('\n')) throw DECLINE;
        if (value.length > 2 && value.startsWith(' ') && value.endsWith(' ') && value.trim()) value = value.slice(1, -1);
        return { type: 'inlineCode', value, position: this.position(from, to) };
      }
      case 'Link':
      case 'Image':
        return this.link(c, from, to, container, inLink);
      case 'FootnoteReference': {
        if (inLink) throw DECLINE;
        const label = text.slice(from + 2, to - 1);
        const identifier = label.toLowerCase();
        this.references.push(identifier);
        return { type: 'footnoteReference', identifier, label, position: this.position(from, to) };
      }
      default:
        throw DECLINE;
    }
  }

  /** `[text](url "title")` and `![alt](url "title")`; reference links are left to micromark. */
  private link(c: TreeCursor, from: number, to: number, container: Container, inLink: boolean): PhrasingContent {
    const image = c.name === 'Image';
    let textEnd = -1;
    let url = '';
    let title: string | null = null;
    let marks = 0;
    if (c.firstChild()) {
      do {
        const start = c.from + this.base;
        const end = c.to + this.base;
        if (c.name === 'LinkMark') {
          marks++;
          if (marks === 2) textEnd = start;
          if (marks === 3 && this.text.charCodeAt(start) !== 40) throw DECLINE;
        } else if (c.name === 'URL') {
          url = this.text.slice(start, end);
        } else if (c.name === 'LinkTitle') {
          const raw = this.text.slice(start, end);
          if (raw.includes('\n')) throw DECLINE;
          // An empty title is no title to micromark.
          title = raw.slice(1, -1) || null;
        }
      } while (c.nextSibling());
      c.parent();
    }
    // `[`, `]`, `(`, `)`: anything else is a reference, or a bracket lezer reads as a link and micromark does not.
    if (marks !== 4 || this.text.charCodeAt(to - 1) !== 41) throw DECLINE;
    // lezer takes a destination with unbalanced parentheses (`](a(b`), which CommonMark does not.
    if (!/^[^\s()<>[\]]*$/.test(url)) throw DECLINE;
    const children = this.inline(c, from + (image ? 2 : 1), textEnd, container, true);
    // In a list item, micromark ends a line ending just before `]` after the item's indent, not at the line's start.
    const last = children.at(-1);
    if (last?.type === 'text' && last.value.endsWith('\n')) throw DECLINE;
    if (image) return { type: 'image', title, url, alt: toText(children), position: this.position(from, to) };
    if (inLink) throw DECLINE;
    return { type: 'link', title, url, children, position: this.position(from, to) };
  }
}
