/**
 * Limits on what a case may hold, so that hostile or broken input ends in a message instead of a stack overflow
 * or a parse that runs for minutes: micromark is quadratic in a run of `*`, recursive in nesting, and the renderer
 * (rehype-raw, sanitize, stringify) recurses once per level of the tree.
 */
import type { Nodes, Root } from 'mdast';
import type { Range } from '../shared/source.js';

export const limits = {
  /** A case file or the preface, in bytes: real cases are 10–50 KB. */
  fileBytes: 1024 * 1024,
  /** One image, in bytes: it is embedded in the HTML as base64. */
  imageBytes: 10 * 1024 * 1024,
  /** Quote and list markers in front of one line. */
  lineNesting: 32,
  /** Open HTML elements at once, as the renderer's HTML parser nests them (html-nesting.ts). */
  htmlNesting: 100,
  /** A run of `*` or `_` (emphasis delimiters). */
  delimiterRun: 200,
  /** Levels of the parsed Markdown tree. */
  treeDepth: 120,
  /** `[` in one paragraph (links, images, footnote marks): micromark resolves them in time quadratic in this. */
  bracketsPerParagraph: 500,
} as const;

/** Something beyond a limit: where, and the message for the user. */
export interface LimitProblem {
  range: Range;
  message: string;
}

/** `1.5 MB`, `800 KB`. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

/**
 * Blank out (with spaces, so every offset stays where it was) what would make parsing slow or deep: lines nested
 * too deep, over-long runs of `*` or `_` and of `[`. The text given to the parser is then safe; the problems become
 * lint errors, so such a case is never printed half-blanked. HTML nesting is checked on the parsed tree
 * (html-nesting.ts), where the renderer's HTML parser can be asked.
 */
export function guardMarkdown(text: string): { text: string; problems: LimitProblem[] } {
  const problems: LimitProblem[] = [];
  const blanks: Range[] = [];
  let offset = 0;
  // Each check below first asks, in one cheap scan, whether the text could break its limit at all: nearly every case
  // is far from all of them, and this guard runs before every parse.
  for (const line of mayNestTooDeep.test(text) ? text.split('\n') : []) {
    const depth = lineNesting(line);
    if (depth > limits.lineNesting) {
      blanks.push({ start: offset, end: offset + line.length });
      problems.push({ range: { start: offset, end: offset + line.length }, message: `这一行嵌套了 ${depth} 层引用或列表，超过上限 ${limits.lineNesting} 层；请简化结构` });
    }
    offset += line.length + 1;
  }
  for (const m of longDelimiterRun.test(text) ? text.matchAll(/\*+|_+/g) : []) {
    if (m[0].length > limits.delimiterRun) {
      const range = { start: m.index, end: m.index + m[0].length };
      blanks.push(range);
      problems.push({ range, message: `连续写了 ${m[0].length} 个“${m[0][0]}”，超过上限 ${limits.delimiterRun} 个；请删去多余的符号` });
    }
  }
  // A paragraph (a run of non-blank lines) with thousands of `[` (links, reference images, footnote marks) takes
  // micromark's label resolution minutes; no real case has more than a few dozen.
  const bodyStart = frontMatterLength(text);
  for (const m of count(text, '[') > limits.bracketsPerParagraph ? text.matchAll(/(?:[^\n]*\S[^\n]*(?:\n|$))+/g) : []) {
    if (m.index < bodyStart) continue; // the front-matter is YAML, limited by its own parser's guard
    const brackets = m[0].split('[').length - 1;
    if (brackets <= limits.bracketsPerParagraph) continue;
    for (const b of m[0].matchAll(/[[\]]/g)) blanks.push({ start: m.index + b.index, end: m.index + b.index + 1 });
    problems.push({
      range: { start: m.index, end: m.index + m[0].replace(/\n$/, '').length },
      message: `一段中有 ${brackets} 个“[”（链接、图片或脚注），超过上限 ${limits.bracketsPerParagraph} 个；请分段或删去多余的符号`,
    });
  }
  if (!blanks.length) return { text, problems };
  // One pass over the sorted ranges: thousands of one-character blanks must not copy the text thousands of times.
  blanks.sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let at = 0;
  for (const b of blanks) {
    const start = Math.max(b.start, at);
    if (b.end <= start) continue;
    parts.push(text.slice(at, start), ' '.repeat(b.end - start));
    at = b.end;
  }
  parts.push(text.slice(at));
  const guarded = parts.join('');
  return { text: guarded, problems: problems.sort((a, b) => a.range.start - b.range.start) };
}

// A line nested deeper than the limit starts with more than `lineNesting` characters of markers and indentation
// (each level takes at least one: `>`, `-`, `1.`, a tab).
const mayNestTooDeep = new RegExp(`^[ \\t>*+\\-0-9.)]{${limits.lineNesting + 1}}`, 'm');
const longDelimiterRun = new RegExp(`\\*{${limits.delimiterRun + 1}}|_{${limits.delimiterRun + 1}}`);

/** How many times `char` occurs in `text`. */
function count(text: string, char: string): number {
  let n = 0;
  for (let i = text.indexOf(char); i >= 0; i = text.indexOf(char, i + 1)) n++;
  return n;
}

/** Where the body starts: after a leading `---` … `---` block, else 0. */
function frontMatterLength(text: string): number {
  const open = /^---[ \t]*\r?\n/.exec(text);
  if (!open) return 0;
  const close = /\n---[ \t]*(?:\r?\n|$)/.exec(text.slice(open[0].length - 1));
  return close ? open[0].length - 1 + close.index + close[0].length : 0;
}

/** Quote and list markers before a line's text (`> > - 1. x` is 4), with every 4 columns of leading indentation as one more. */
function lineNesting(line: string): number {
  const m = /^(?:[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])))*/.exec(line)![0];
  const markers = (m.match(/>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t])/g) ?? []).length;
  const lead = /^[ \t]*/.exec(line)![0].replace(/\t/g, '    ').length;
  return markers + Math.floor(lead / 4);
}

/**
 * Cut the tree at `limits.treeDepth` (nesting the line guard cannot see, e.g. `*a *b … b* a*`): a node that deep
 * keeps its text as one text node. Walks with a stack, since recursion is what a deep tree breaks.
 */
export function pruneDeepTree(tree: Root): LimitProblem[] {
  const problems: LimitProblem[] = [];
  const stack: [Nodes, number][] = [[tree, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (!('children' in node)) continue;
    if (depth >= limits.treeDepth) {
      const start = node.position?.start.offset ?? 0;
      const end = node.position?.end.offset ?? start;
      (node as { children: Nodes[] }).children = [{ type: 'text', value: textOf(node), position: node.position }];
      if (!problems.length) problems.push({ range: { start, end }, message: `正文的结构嵌套超过上限 ${limits.treeDepth} 层；请简化结构` });
      continue;
    }
    for (const child of node.children as Nodes[]) stack.push([child, depth + 1]);
  }
  return problems;
}

function textOf(node: Nodes): string {
  const parts: string[] = [];
  const stack: Nodes[] = [node];
  while (stack.length) {
    const n = stack.pop()!;
    if ('value' in n && typeof n.value === 'string') parts.push(n.value);
    if ('children' in n) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i] as Nodes);
  }
  return parts.join('');
}
