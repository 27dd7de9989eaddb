/** Shared by the body rules: the case's Markdown body as mdast nodes, its headings and its length, computed once per file. */
import type { Nodes, Paragraph, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { CaseDocument } from '../case/parse.js';
import type { Range } from '../shared/source.js';
import { LastFileCache } from './last-file-cache.js';

export interface BodyFacts {
  /** Top-level nodes after the front-matter, without HTML comments. */
  nodes: RootContent[];
  /** Headings, and paragraphs that are one bold phrase (a common way to write a section title in Chinese documents). */
  titles: { text: string; range: Range }[];
  /** Characters of text, not counting whitespace, Markdown syntax, HTML, link targets or image alt text. */
  length: number;
  /** The first line of the body that has content (for messages about the body as a whole). */
  start: Range;
}

const cache = new LastFileCache<CaseDocument, BodyFacts>();

export function bodyFacts(document: CaseDocument): BodyFacts {
  let facts = cache.get(document);
  if (!facts) {
    facts = compute(document);
    cache.set(document, facts);
  }
  return facts;
}

function compute(document: CaseDocument): BodyFacts {
  const nodes = document.mdast.children.filter((n) => n.type !== 'yaml' && !(n.type === 'html' && isComment(n.value)));
  const titles: BodyFacts['titles'] = [];
  let length = 0;
  for (const node of nodes) {
    length += textLength(node);
    if (node.type === 'heading' || isBoldParagraph(node)) {
      // The words only: no HTML, no image alt text.
      const text = toString(node, { includeHtml: false, includeImageAlt: false }).trim();
      const start = node.position?.start.offset ?? 0;
      titles.push({ text, range: { start, end: node.position?.end.offset ?? start } });
    }
  }
  return { nodes, titles, length, start: firstContentLine(document) };
}

function isComment(html: string): boolean {
  return /^\s*<!--[\s\S]*-->\s*$/.test(html);
}

function isBoldParagraph(node: RootContent): node is Paragraph {
  return node.type === 'paragraph' && node.children.length === 1 && node.children[0]!.type === 'strong';
}


/** Characters of `text` that are not whitespace (JavaScript's `\s`), a surrogate pair counting as one. */
function visibleLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Han and CJK punctuation, most of the text, first. The low half of a surrogate pair does not count: its high half did.
    if ((c > 0x3000 && c < 0xdc00) || (!isSpace(c) && (c < 0xdc00 || c > 0xdfff))) n++;
  }
  return n;
}

/** The code units `\s` matches: ASCII blanks and line ends, and Unicode's spaces (U+3000 among them). */
function isSpace(c: number): boolean {
  if (c > 0x20 && c < 0xa0) return false;
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

function textLength(node: Nodes): number {
  switch (node.type) {
    case 'text':
    case 'inlineCode':
    case 'code':
      return visibleLength(node.value);
    case 'html':
    case 'yaml':
    case 'image':
    case 'imageReference':
    case 'definition':
      return 0;
    default:
      if (!('children' in node)) return 0;
      let n = 0;
      for (const child of node.children) n += textLength(child as Nodes);
      return n;
  }
}

/** The range of the first non-blank line after the front-matter; with no such line, the closing `---`. */
function firstContentLine(document: CaseDocument): Range {
  const text = document.source.text;
  const from = document.bodyRange.start;
  const offset = text.slice(from).search(/\S/);
  if (offset < 0) return { start: Math.max(0, from - 3), end: from };
  const start = from + offset;
  return { start, end: start + text.slice(start).search(/\r?\n|$/) };
}
