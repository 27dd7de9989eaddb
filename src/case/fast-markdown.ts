/**
 * The fast path: the Markdown of a case file as micromark's fromMarkdown (GFM, cjk-friendly, YAML front-matter)
 * gives it — node for node, field for field, position for position — read by the line reader of simple-markdown.ts,
 * or `undefined` when the text holds anything the reader does not reproduce exactly; parse.ts then asks micromark.
 *
 * It serves lint and, since issue 15, the renderers too (parse.ts): a cold compile of 100 cases spent 1.2 s parsing
 * the cases again with micromark before Chromium could be given the book. A mistake here would therefore change a
 * printed page; the equivalence tests (test/fast-markdown.test.ts) hold it to micromark on every generated, sample and
 * fixture case and on fast-check texts, and whatever it declines goes to micromark.
 *
 * Why one fast path and which: micromark costs 3–6 ms a case, 1,000 cases ~4.5 s of CPU, three times lint's 1.5 s
 * target. Until #12 a lezer-based converter sat between the line reader and micromark; measured on the 1,000 bench
 * cases, the 15 sample cases and the 79 test fixtures (docs: README 设计说明), the line reader alone took every
 * generated and sample case, and lezer added one fixture of 79, at three times the line reader's CPU.
 */
import type { Root } from 'mdast';
import { positionIn, simpleMarkdown } from './simple-markdown.js';

// Characters and strings left to micromark wherever they occur in the body: tabs (micromark's columns expand them),
// NUL (replaced by U+FFFD), a BOM, HTML and autolinks (`<`), character references (`&`), escapes and backslash hard
// breaks (`\`), strikethrough (`~`), and GFM autolink literals (`www.`, `http://`, and emails and `mailto:` which need `@`).
const unsupportedText = /[\t\0\uFEFF<&\\~@]|www\.|:\/\//i;

/**
 * Parse Markdown text (with YAML front-matter) to the mdast fromMarkdown gives, or `undefined` when the text holds a
 * construct the line reader does not reproduce exactly.
 */
export function fastMarkdown(text: string): Root | undefined {
  // A lone CR is a line ending to micromark, and NUL becomes U+FFFD, in the front-matter too.
  if (text.includes('\0') || (text.includes('\r') && /\r(?!\n)/.test(text))) return undefined;
  const front = frontMatter(text);
  if (front === 'decline') return undefined;
  const bodyStart = front ? front.next : 0;
  if (unsupportedText.test(bodyStart ? text.slice(bodyStart) : text)) return undefined;
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const children = simpleMarkdown(text, bodyStart, starts);
  if (!children) return undefined;
  if (front) children.unshift({ type: 'yaml', value: front.value, position: positionIn(starts, 0, front.end) });
  return { type: 'root', children, position: positionIn(starts, 0, text.length) };
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
