/**
 * How deep the elements nest that the renderer builds from a case's raw HTML, measured with the renderer's own HTML
 * parser. rehype-raw hands parse5's tree builder the elements Markdown makes and the tokens of each HTML node, in
 * document order; the tree it builds is then walked recursively (hast-util-from-parse5, hast-util-to-html), which
 * overflows the stack past about 1,550 levels. A reading of the text (a regular expression, or a count over tokens)
 * cannot say how deep that is: a `<` or `</div>` in a quoted value, `<div/>`, an end tag the parser ignores (no such
 * element open, or a Markdown table cell in between), a `<p>` that a `<div>` closes, a `</form>` that leaves what it
 * held open — each nests thousands of levels past such a count. So the tokens go to the tree builder itself, and the
 * HTML elements in what it builds are counted.
 */
import type { Element, Nodes as HastNodes, Root as HastRoot } from 'hast';
import { htmlVoidElements } from 'html-void-elements';
import type { Html, Nodes, Root } from 'mdast';
import { toHast } from 'mdast-util-to-hast';
import { defaultTreeAdapter, html, Parser, Token, TokenizerMode, type DefaultTreeAdapterMap, type DefaultTreeAdapterTypes } from 'parse5';
import type { Range } from '../shared/source.js';
import { htmlFileOffsets } from './html-offsets.js';
import { limits, type LimitProblem } from './limits.js';

/**
 * Check how deep the raw HTML in `tree` (parsed from `text`) nests against `limits.htmlNesting`. Beyond it, every HTML
 * node of the tree is emptied, so that the tree, which the renderer may still be given (with the rule turned off, or
 * in the preview), holds no HTML to nest; the problem is reported by body-limits, so such a case is never printed
 * with its HTML left out.
 */
export function guardHtmlNesting(tree: Root, text: string): LimitProblem[] {
  const htmlNodes = collectHtml(tree);
  if (!htmlNodes.length || !firstTooDeep(tree, htmlNodes, text, limits.htmlNesting, false)) return [];
  // Again with the tokens' locations, which the parser keeps only at a cost (raw HTML takes three times as long).
  const over = firstTooDeep(tree, htmlNodes, text, limits.htmlNesting, true)!;
  for (const node of htmlNodes) node.value = '';
  return [{ range: over, message: `HTML 元素嵌套超过上限 ${limits.htmlNesting} 层；请删去多余的标签` }];
}

/**
 * How many HTML elements deep the renderer's parser nests the raw HTML of `tree` (parsed from `text`): the least
 * limit `guardHtmlNesting` accepts. For tests, which hold it to what rehype-raw builds.
 */
export function htmlNestingDepth(tree: Root, text: string): number {
  const htmlNodes = collectHtml(tree);
  let depth = 0;
  while (firstTooDeep(tree, htmlNodes, text, depth, false)) depth++;
  return depth;
}

/** A raw HTML node as mdast-util-to-hast hands it on: the mdast node's value and position. */
interface Raw {
  type: 'raw';
  value: string;
  position?: Html['position'];
}

type Fed = HastNodes | Raw;

/** Where an element was made: the node being fed, and where in it the token was (offsets in a raw node's value). */
interface Made {
  origin: Fed;
  start: number;
  end: number;
}

/** parse5's element, with where it was made and whether it is one Markdown made. */
interface P5Element extends DefaultTreeAdapterTypes.Element, Made {
  markdown: boolean;
}
type P5Parent = DefaultTreeAdapterTypes.ParentNode;

/**
 * The parse5 internals rehype-raw drives (hast-util-raw 9.2 reaches into the same ones): it gives the tree builder
 * tokens for hast elements and text itself, and writes each HTML node to the tokenizer, resetting it in between.
 */
interface TokenizerInternals {
  state: number;
  inForeignNode: boolean;
  lastStartTagName: string;
  paused: boolean;
  inLoop: boolean;
  active: boolean;
  returnState: number;
  charRefCode: number;
  consumedAfterSnapshot: number;
  currentLocation: Token.Location | null;
  currentCharacterToken: Token.CharacterToken | null;
  currentToken: Token.Token | null;
  currentAttr: { name: string; value: string };
  preprocessor: {
    html: string;
    pos: number;
    lastGapPos: number;
    gapStack: number[];
    skipNextNewLine: boolean;
    lastChunkWritten: boolean;
    endOfChunkHit: boolean;
    isEol: boolean;
    droppedBufferSize: number;
    line: number;
    lineStartPos: number;
  };
  flushCharacters(): void;
  write(chunk: string, isLastChunk: boolean): void;
  _runParsingLoop(): void;
  _stateCharacterReference(): void;
}

interface ParserInternals {
  document: P5Parent;
  tokenizer: TokenizerInternals;
  currentToken: Token.Token | null;
  _processToken(token: Token.Token): void;
  openElements: { items: (P5Element | undefined)[]; stackTop: number; depth: number; current: P5Element | undefined; slotBelow(slot: number): number };
}

// The tokenizer's state inside a character reference (parse5 does not export its states; hast-util-raw uses 71 too).
const characterReferenceState = 71;
// Elements that hold nothing, so nest nothing: rehype-raw gives them no end tag.
const voidElements = new Set(htmlVoidElements);
const htmlNamespace = 'http://www.w3.org/1999/xhtml';
const tooDeepSignal = Symbol('too deep');

/**
 * Feed the tree builder as rehype-raw does and find the first element nested more than `limit` HTML elements deep:
 * elements of raw HTML and those the parser adds itself (an implied <tbody>, a <b> it reopens), not those Markdown
 * makes (pruneDeepTree bounds them). The elements open at once are counted as each is opened, and the feeding stops
 * when they pass the limit, which keeps the run linear however deep the HTML would nest; an element the parser takes
 * off the stack from below stays the parent of what was opened in it (an <a> reopened beyond an svg <title>, a
 * </form>), so the finished tree is walked too.
 */
function firstTooDeep(tree: Root, htmlNodes: readonly Html[], text: string, limit: number, locate: boolean): Range | undefined {
  const hast = toHast(tree, { allowDangerousHtml: true }) as HastRoot;
  // Set while a Markdown element's start tag is fed: it counts once it is known which element is Markdown's.
  let markdownToken = false;
  // The node now fed; the offsets of tokens read from a raw node are in its value.
  let origin: Fed = hast;
  let parser: ParserInternals | undefined;

  const beyondLimit = (): boolean => {
    const stack = parser!.openElements;
    // Past the fragment's own <html> root; Markdown's elements are told apart only when there may be too many.
    if (stack.depth - 1 <= limit) return false;
    let n = -1;
    for (let slot = stack.stackTop; slot !== -1; slot = stack.slotBelow(slot)) if (!stack.items[slot]!.markdown) n++;
    return n > limit;
  };
  const treeAdapter = {
    ...defaultTreeAdapter,
    // defaultTreeAdapter's element, and where it was made (one object shape: thousands are made).
    createElement(tagName: string, namespaceURI: P5Element['namespaceURI'], attrs: Token.Attribute[]): P5Element {
      const location = parser?.currentToken?.location;
      const start = location?.startOffset ?? 0;
      const end = location?.endOffset ?? 0;
      return { nodeName: tagName, tagName, attrs, namespaceURI, childNodes: [], parentNode: null, origin, start, end, markdown: false };
    },
    onItemPush() {
      if (parser && !markdownToken && beyondLimit()) throw tooDeepSignal;
    },
  };
  parser = Parser.getFragmentParser<DefaultTreeAdapterMap>(undefined, {
    treeAdapter,
    sourceCodeLocationInfo: locate,
    scriptingEnabled: false,
  }) as unknown as ParserInternals;
  const p = parser;
  const tokenizer = p.tokenizer;
  const feedToken = (token: Token.Token) => {
    p.currentToken = token;
    p._processToken(token);
  };

  const resetTokenizer = () => {
    tokenizer.flushCharacters();
    tokenizer.paused = false;
    tokenizer.inLoop = false;
    tokenizer.active = false;
    tokenizer.returnState = TokenizerMode.DATA;
    tokenizer.charRefCode = -1;
    tokenizer.consumedAfterSnapshot = -1;
    tokenizer.currentLocation = null;
    tokenizer.currentCharacterToken = null;
    tokenizer.currentToken = null;
    tokenizer.currentAttr = { name: '', value: '' };
  };

  const startTag = (node: Element) => {
    if (tokenizer.state === TokenizerMode.PLAINTEXT) return;
    const tagName = node.tagName.toLowerCase();
    resetTokenizer();
    origin = node;
    markdownToken = true;
    const before = p.openElements.current;
    const attrs = markdownAttributes(node);
    feedToken({ type: Token.TokenType.START_TAG, tagName, tagID: html.getTagID(tagName), selfClosing: false, ackSelfClosing: false, attrs, location: null });
    const opened = p.openElements.current;
    if (opened && opened !== before && opened.tagName === tagName) opened.markdown = true;
    markdownToken = false;
    tokenizer.lastStartTagName = tagName;
    // What the parser reopened or implied on the way counts.
    if (beyondLimit()) throw tooDeepSignal;
  };

  const endTag = (node: Element) => {
    const tagName = node.tagName.toLowerCase();
    if (!tokenizer.inForeignNode && voidElements.has(tagName)) return;
    if (tokenizer.state === TokenizerMode.PLAINTEXT) return;
    resetTokenizer();
    origin = node;
    feedToken({ type: Token.TokenType.END_TAG, tagName, tagID: html.getTagID(tagName), selfClosing: false, ackSelfClosing: false, attrs: [], location: null });
    const textState = tokenizer.state === TokenizerMode.RCDATA || tokenizer.state === TokenizerMode.RAWTEXT || tokenizer.state === TokenizerMode.SCRIPT_DATA;
    if (tagName === tokenizer.lastStartTagName && textState) tokenizer.state = TokenizerMode.DATA;
  };

  const characters = (node: HastNodes & { value: string }) => {
    // Back to data after a tag left hanging, but not out of <style> and the like.
    if (tokenizer.state > TokenizerMode.PLAINTEXT) tokenizer.state = TokenizerMode.DATA;
    resetTokenizer();
    origin = node;
    const value = node.value;
    for (let start = 0; start < value.length; ) {
      const space = isSpace(value.charCodeAt(start));
      let end = start + 1;
      while (end < value.length && isSpace(value.charCodeAt(end)) === space) end++;
      const type = space ? Token.TokenType.WHITESPACE_CHARACTER : Token.TokenType.CHARACTER;
      feedToken({ type, chars: value.slice(start, end), location: null } as Token.CharacterToken);
      start = end;
    }
  };

  const raw = (node: Raw) => {
    tokenizer.flushCharacters();
    origin = node;
    const pre = tokenizer.preprocessor;
    pre.html = '';
    pre.pos = -1;
    pre.lastGapPos = -2;
    pre.gapStack = [];
    pre.skipNextNewLine = false;
    pre.lastChunkWritten = false;
    pre.endOfChunkHit = false;
    pre.isEol = false;
    // Token offsets count from the start of the node's value.
    pre.droppedBufferSize = 0;
    pre.line = 1;
    pre.lineStartPos = 0;
    tokenizer.write(node.value, false);
    tokenizer._runParsingLoop();
    // A character reference at the very end waits for more input: finish it.
    if (tokenizer.state === characterReferenceState) {
      pre.pos = pre.html.length;
      pre.lastChunkWritten = true;
      tokenizer._stateCharacterReference();
      pre.lastChunkWritten = false;
      pre.endOfChunkHit = false;
      tokenizer.active = true;
      tokenizer._runParsingLoop();
    }
  };

  // Document order, with a stack: an element's end tag after its children.
  const stack: (Fed | { end: Element })[] = [hast];
  try {
    while (stack.length) {
      const item = stack.pop()!;
      if ('end' in item) endTag(item.end);
      else if (item.type === 'root' || item.type === 'element') {
        if (item.type === 'element') {
          startTag(item);
          stack.push({ end: item });
        }
        for (let i = item.children.length - 1; i >= 0; i--) stack.push(item.children[i]!);
      } else if (item.type === 'text') characters(item);
      else if (item.type === 'raw') raw(item);
      // mdast-util-to-hast makes no comments or doctypes.
    }
    // Text still buffered in the tokenizer, as rehype-raw flushes it at the end.
    resetTokenizer();
  } catch (error) {
    if (error !== tooDeepSignal) throw error;
    // Too many open: report the first element past the limit in the tree built so far (the stack may have passed it
    // later), or else the token being read.
    const location = p.currentToken?.location;
    return where(firstDeeperThan(p.document, limit) ?? { origin, start: location?.startOffset ?? 0, end: location?.endOffset ?? 0 }, htmlNodes, text);
  }
  const deep = firstDeeperThan(p.document, limit);
  return deep && where(deep, htmlNodes, text);
}

/** The first element, in document order, inside more than `limit` HTML elements, itself included (a void one holds nothing). */
function firstDeeperThan(document: P5Parent, limit: number): P5Element | undefined {
  // From the fragment's own <html> root, which is not the case's.
  const stack: [P5Parent, number][] = [[document.childNodes[0] as P5Parent, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    const children = 'content' in node && node.content ? [...node.childNodes, node.content] : node.childNodes;
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      if (!('childNodes' in child)) continue;
      const own = 'tagName' in child && !(child as P5Element).markdown && !(child.namespaceURI === htmlNamespace && voidElements.has(child.tagName)) ? 1 : 0;
      if (depth + own > limit) return child as P5Element;
      stack.push([child, depth + own]);
    }
  }
  return undefined;
}

/** The range to report: the tag that was being read, or else the Markdown node being fed. */
function where(at: Made, htmlNodes: readonly Html[], text: string): Range {
  const start = startOf(at.origin);
  // Markdown text or an element made the parser reopen elements past the limit.
  if (at.origin.type !== 'raw') return { start, end: Math.min(at.origin.position?.end.offset ?? start, start + 1) };
  const node = htmlNodes.find((n) => startOf(n) === start) ?? at.origin;
  const toFile = htmlFileOffsets(node, text);
  return { start: toFile(at.start), end: toFile(Math.max(at.start, at.end)) };
}

// The tree builder reads a start tag's attributes to tell formatting elements apart (at most three alike stay listed
// for reopening), for <input type=hidden> in a table, and for <font> and <annotation-xml> in foreign content; of the
// elements Markdown makes, only <a> and <code> are formatting elements with attributes.
const formattingElements = new Set(['a', 'b', 'big', 'code', 'em', 'font', 'i', 'nobr', 's', 'small', 'strike', 'strong', 'tt', 'u']);

/**
 * The attributes rehype-raw gives the tree builder for a formatting element Markdown made, as hast-util-to-parse5
 * writes them from the properties mdast-util-to-hast sets (href, title, id, className, ariaDescribedBy, ariaLabel,
 * dataFootnoteRef, dataFootnoteBackref); none for the other elements, whose attributes the builder does not read.
 * Not hast-util-to-parse5 itself: the property table it loads (property-information) takes 20 ms to load, in every
 * lint thread. A test holds the two equal on what Markdown makes.
 */
export function markdownAttributes(node: Element): Token.Attribute[] {
  if (!formattingElements.has(node.tagName)) return [];
  const attrs: Token.Attribute[] = [];
  for (const [key, value] of Object.entries(node.properties)) {
    if (value === false || value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))) continue;
    const name =
      key === 'className'
        ? 'class'
        : /^aria[A-Z]/.test(key)
          ? `aria-${key.slice(4).toLowerCase()}`
          : /^data[A-Z]/.test(key)
            ? `data${key.slice(4).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
            : key.toLowerCase();
    attrs.push({ name, value: value === true ? '' : Array.isArray(value) ? value.join(' ') : String(value) });
  }
  return attrs;
}

function isSpace(code: number): boolean {
  return code === 9 || code === 10 || code === 12 || code === 13 || code === 32;
}

function startOf(node: { position?: Html['position'] }): number {
  return node.position?.start.offset ?? 0;
}

/** The HTML nodes of the tree, in document order. Walks with a stack, as the tree may be deep. */
function collectHtml(tree: Root): Html[] {
  const found: Html[] = [];
  const stack: Nodes[] = [tree];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.type === 'html') found.push(node);
    else if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
  return found;
}
