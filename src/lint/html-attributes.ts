/**
 * The URLs a case's raw HTML gives its links and images (`<a href>`, `<img src>`), read by parse5's HTML tokenizer —
 * the tokenizer rehype-raw's parser drives when the renderer reads the same HTML — so lint sees the attributes the
 * renderer will: a `>` or `href=` inside another attribute's value is part of that value, character references are
 * decoded, names are case-insensitive, a duplicate attribute is ignored (the first one counts, as in a browser).
 * The tokenizer is a state machine that reads each character once: a node full of unclosed tags takes linear time
 * (a regular expression retried from each `<` took 45 s on 1 MB of them).
 */
import type { Html } from 'mdast';
import { Tokenizer, TokenizerMode, type Token, type TokenHandler } from 'parse5';
import { htmlFileOffsets } from '../case/html-offsets.js';
import type { Range } from '../shared/source.js';

/** One attribute as the browser reads it. */
export interface HtmlAttribute {
  /** The value with character references decoded (`&#x2F;etc` is `/etc`); empty when none is written (`<img src>`). */
  value: string;
  /** Where the value is written in the file, between its quotes, character references undecoded; the whole attribute when no value is written. */
  range: Range;
}

/**
 * Elements after whose start tag the HTML parser reads text up to their end tag, not markup: their content holds no
 * tag, and a `<!--` in it starts no comment. The tokenizer does not know this (the parser switches it); `noscript`
 * is markup, because rehype-raw parses with scripting off.
 */
const textElements = new Map([
  ['title', TokenizerMode.RCDATA],
  ['textarea', TokenizerMode.RCDATA],
  ['style', TokenizerMode.RAWTEXT],
  ['xmp', TokenizerMode.RAWTEXT],
  ['iframe', TokenizerMode.RAWTEXT],
  ['noembed', TokenizerMode.RAWTEXT],
  ['noframes', TokenizerMode.RAWTEXT],
  ['script', TokenizerMode.SCRIPT_DATA],
  ['plaintext', TokenizerMode.PLAINTEXT],
]);

/**
 * The value of `attribute` on each `tag` start tag in an HTML node, in the order written. `tag` and `attribute` are
 * lower case; the HTML parser reads `<image>` as `<img>`, and so does this.
 *
 * Each node is read on its own, from the data state, as it always was: a tag left open at the end of a node is not a
 * tag (rehype-raw drops it too: the text that follows resets its tokenizer), and micromark ends an inline HTML node
 * with its tag. What rehype-raw does carry from node to node is a text element left open: after `正文 <style> 正文`,
 * a later block `<!--</style><a href="/etc/passwd">-->` starts as text, so `<!--` opens no comment and the renderer
 * makes the link, which lint, reading the block from the data state, takes for a comment. Whether such an element
 * is still open when the renderer reaches a node depends on every Markdown element in between (each start and end
 * tag rehype-raw feeds its parser changes which end tag closes it), which only its tree builder knows; lint leaves
 * that case to the renderer's own guards, which drop a local link's target and refuse an image outside the root.
 * The other way round, lint may report a URL in such an element's later nodes that the renderer reads as text.
 */
export function htmlAttributes(node: Html, text: string, tag: 'a' | 'img', attribute: string): HtmlAttribute[] {
  const html = node.value;
  if (!(tag === 'img' ? /<im(?:g|age)\b/i : /<a\b/i).test(html)) return [];
  const found = new Map<number, HtmlAttribute>();
  const toFile = htmlFileOffsets(node, text);
  const collect = (token: Token.TagToken) => {
    if (token.tagName !== tag && !(tag === 'img' && token.tagName === 'image')) return;
    const attr = token.attrs.find((a) => a.name === attribute);
    const at = token.location?.attrs?.[attribute];
    if (!attr || !at) return;
    const [start, end] = valueSpan(html, at);
    if (!found.has(start)) found.set(start, { value: attr.value, range: { start: toFile(start), end: toFile(end) } });
  };
  // Read as the HTML parser reads HTML content: switching to text after <style> and the like. Inside <svg> or
  // <math> the parser does not switch, and a tag like <p> leaves them again: rather than copy the tree builder that
  // knows where they end, a node with such an element is also read without switching, and a URL either reading
  // finds counts. Lint may then report one the browser reads as text; either reading alone missed some that it reads
  // as markup (test/lint.test.ts compares with rehype-raw on generated HTML).
  if (tokenize(html, true, collect)) tokenize(html, false, collect);
  return [...found.values()].sort((a, b) => a.range.start - b.range.start);
}

/** Run the tokenizer over `html`, passing on each start tag; whether a text element's start tag was among them. */
function tokenize(html: string, switchToText: boolean, onStartTag: (token: Token.TagToken) => void): boolean {
  let sawTextElement = false;
  const ignore = () => {};
  const handler: TokenHandler = {
    onStartTag(token) {
      onStartTag(token);
      const mode = textElements.get(token.tagName);
      if (mode === undefined) return;
      sawTextElement = true;
      if (switchToText) tokenizer.state = mode;
    },
    onEndTag: ignore,
    onComment: ignore,
    onDoctype: ignore,
    onEof: ignore,
    onCharacter: ignore,
    onNullCharacter: ignore,
    onWhitespaceCharacter: ignore,
  };
  const tokenizer = new Tokenizer({ sourceCodeLocationInfo: true }, handler);
  tokenizer.write(html, true);
  return sawTextElement;
}

/**
 * The value's offsets inside an attribute's location, which spans `name`, `name=value` or `name = "value"`: after
 * the first `=` (a name has none but as its first character) and any spaces, inside the quotes if quoted. With no
 * `=`, the whole attribute. Scans only inside the location, so a node of many attributes stays linear.
 */
function valueSpan(html: string, at: Token.Location): [number, number] {
  const { startOffset: start, endOffset: end } = at;
  let i = start + 1;
  while (i < end && html.charCodeAt(i) !== 0x3d /* = */) i++;
  if (i >= end) return [start, end];
  i++;
  while (i < end && /[\t\n\f\r ]/.test(html[i]!)) i++;
  const quote = html[i];
  if ((quote === '"' || quote === "'") && end - 1 > i && html[end - 1] === quote) return [i + 1, end - 1];
  return [i, end];
}
