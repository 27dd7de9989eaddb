/** Parse a case file: front-matter (with positions) and the Markdown body (mdast, positions in the file). */
import { relative, sep } from 'node:path';
import type { Root } from 'mdast';
import { fromMarkdown, type Extension as MdastExtension } from 'mdast-util-from-markdown';
import { frontmatterFromMarkdown } from 'mdast-util-frontmatter';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfmAutolinkLiteralFromMarkdown } from 'mdast-util-gfm-autolink-literal';
import { cjkFriendlyExtension } from 'micromark-extension-cjk-friendly';
import { frontmatter } from 'micromark-extension-frontmatter';
import { gfm } from 'micromark-extension-gfm';
import type { VFile } from 'vfile';
import type { Document } from 'yaml';
import type { Range, SourceText } from '../shared/source.js';
import { parseYaml, type YamlProblem } from '../shared/yaml-parse.js';
import { fastMarkdown } from './fast-markdown.js';
import { guardHtmlNesting } from './html-nesting.js';
import { guardMarkdown, pruneDeepTree, type LimitProblem } from './limits.js';
import { readSimpleYaml } from './simple-yaml.js';

/** The front-matter block of a case file. */
export interface FrontMatter {
  /** Where the YAML text (between the `---` lines) lies in the file. */
  range: Range;
  /** Parsed document, when the YAML is well-formed. */
  doc?: Document;
  /** The plain value, when the YAML is well-formed. */
  data?: unknown;
  /** YAML syntax problems, offsets in the file. */
  problems: YamlProblem[];
}

/** A case file read and parsed, before its front-matter is checked against the taxonomy. */
export interface CaseDocument {
  source: SourceText;
  /** Path relative to the compilation root, with `/` separators. */
  relPath: string;
  /** The file's messages (lint diagnostics). */
  file: VFile;
  /** Absent when the file has no front-matter block. */
  frontMatter?: FrontMatter;
  /** The whole file as mdast (the front-matter is a `yaml` node); positions are in the file. */
  mdast: Root;
  /** The Markdown body after the front-matter. */
  bodyRange: Range;
  /** What was beyond a limit of limits.ts and left out of `mdast` (reported by body-limits). */
  limitProblems: LimitProblem[];
}

// What remark-parse + remark-gfm + remark-cjk-friendly + remark-frontmatter(['yaml']) hand to fromMarkdown, in the same
// order, built once. cjk-friendly: `**重点。**正文` is bold in Chinese text, which plain CommonMark's flanking rules refuse.
const syntax = [gfm(), cjkFriendlyExtension(), frontmatter(['yaml'])];
const toMdast: MdastExtension[] = [...gfmFromMarkdown(), frontmatterFromMarkdown(['yaml'])];
// GFM's autolink-literal transform walks every text node with four regexes, which all need `@`, `www.` or
// `http(s)://` in the text; a character reference can make one (`&#64;` is `@`). A file with none of them gets the
// same tree without the walk.
const autolinkTransforms = new Set(gfmAutolinkLiteralFromMarkdown().transforms);
const toMdastNoLinks: MdastExtension[] = toMdast.map((e) =>
  e.transforms ? { ...e, transforms: e.transforms.filter((t) => !autolinkTransforms.has(t)) } : e,
);
const mayHoldAutolink = /[@&]|www\.|https?:\/\//i;

/** micromark's tree, always; exported for tests that compare the fast path with it. */
export function micromarkTree(text: string): Root {
  return fromMarkdown(text, { extensions: syntax, mdastExtensions: mayHoldAutolink.test(text) ? toMdast : toMdastNoLinks });
}

/** A Markdown parser with limits.ts's guards: `parseGuarded` (trees kept by text) or `parseForLint` (none kept). */
export type GuardedParser = (text: string) => { mdast: Root; problems: LimitProblem[] };

/**
 * Parse Markdown text (GFM with YAML front-matter) to the mdast the book, the web edition and the preview are rendered
 * from: micromark's tree, read by the line reader where it takes the text (see parseGuarded).
 */
export function parseMarkdown(text: string): Root {
  return parseGuarded(text).mdast;
}

/**
 * The text parsed with limits.ts's guards (what would be too slow or too deep is blanked out, the tree is cut at its
 * depth limit), by the line reader (fast-markdown.ts) where it takes the text, which it does for nearly every case,
 * else by micromark. The two give the same tree and the same problems: the equivalence tests
 * (test/fast-markdown.test.ts) hold the line reader to micromark on every generated, sample and fixture case and on
 * fast-check texts. The line reader takes a case in a fraction of micromark's 5–12 ms, which a cold compile of 100
 * cases paid on its critical path (1.2 s) before Chromium could be given the book.
 *
 * The last trees made are kept by their text: `compile --watch` and the preview parse every unchanged case again on
 * each rebuild. The trees are shared, so nothing may change one after it is made (the renderers and rules only read
 * them).
 */
export function parseGuarded(text: string): { mdast: Root; problems: LimitProblem[] } {
  const kept = recentTrees.get(text);
  if (kept) {
    // Most recently used last, so the oldest is first to go.
    recentTrees.delete(text);
    recentTrees.set(text, kept);
    return kept;
  }
  const parsed = parseForLint(text);
  recentTrees.set(text, parsed);
  if (recentTrees.size > recentTreesLimit) recentTrees.delete(recentTrees.keys().next().value!);
  return parsed;
}

// A cache, not state: a tree depends on its text alone. Bounded, so a long watch session of edits does not grow it.
const recentTrees = new Map<string, { mdast: Root; problems: LimitProblem[] }>();
/** Enough for a 1,000-case book and its edits; a compile holds every case's tree while it runs anyway. */
const recentTreesLimit = 2000;

/**
 * `parseGuarded` without keeping the tree, for lint's loop over many files: lint drops its trees once a file is
 * checked (anything rendered later parses again through the cache).
 */
export function parseForLint(text: string): { mdast: Root; problems: LimitProblem[] } {
  const guarded = guardMarkdown(text);
  // The line reader never builds a tree deeper than the limit (it declines nesting beyond maxInlineDepth, under at
  // most three levels of blocks), so it needs no pruning; nor does it read raw HTML (it declines every `<`).
  const fast = fastMarkdown(guarded.text);
  if (fast) return { mdast: fast, problems: guarded.problems };
  const mdast = micromarkTree(guarded.text);
  return { mdast, problems: [...guarded.problems, ...pruneDeepTree(mdast), ...guardHtmlNesting(mdast, guarded.text)] };
}

/** Read a case's front-matter and body. `parse` keeps the tree (`parseGuarded`) unless the caller only lints. */
export function parseCase(source: SourceText, file: VFile, root: string, parse: GuardedParser = parseGuarded): CaseDocument {
  const { mdast, problems: limitProblems } = parse(source.text);
  const relPath = relative(root, source.path).split(sep).join('/');
  const first = mdast.children[0];
  let frontMatter: FrontMatter | undefined;
  let bodyStart = 0;
  if (first?.type === 'yaml' && first.position?.start.offset === 0) {
    const blockEnd = first.position.end.offset ?? 0;
    // The YAML text starts after the opening `---` line.
    const open = source.text.indexOf('\n') + 1;
    const yamlStart = Math.min(open, blockEnd);
    const yamlEnd = yamlStart + first.value.length;
    frontMatter = readFrontMatter(source.text.slice(yamlStart, yamlEnd), { start: yamlStart, end: yamlEnd });
    bodyStart = blockEnd;
  }
  return { source, relPath, file, frontMatter, mdast, bodyRange: { start: bodyStart, end: source.text.length }, limitProblems };
}

function readFrontMatter(yaml: string, range: Range): FrontMatter {
  const simple = readSimpleYaml(yaml);
  if (simple) return wellFormedFrontMatter(yaml, range, simple.value);
  const parsed = parseYaml(yaml);
  if (parsed.ok) return { range, doc: parsed.doc, data: parsed.value, problems: [] };
  return {
    range,
    problems: parsed.problems.map((p) => ({
      message: p.message,
      range: { start: p.range.start + range.start, end: p.range.end + range.start },
    })),
  };
}

/**
 * The front-matter of well-formed YAML whose value is already known: the yaml Document, which only messages need
 * (for positions), is parsed on first use.
 */
export function wellFormedFrontMatter(yaml: string, range: Range, data: unknown): FrontMatter {
  let parsed: ReturnType<typeof parseYaml> | undefined;
  return {
    range,
    data,
    problems: [],
    get doc() {
      parsed ??= parseYaml(yaml);
      return parsed.ok ? parsed.doc : undefined;
    },
  };
}

/** Shift a range relative to the YAML text into the file. */
export function inFile(frontMatter: FrontMatter, range: Range | undefined): Range {
  if (!range) return frontMatter.range;
  return { start: range.start + frontMatter.range.start, end: range.end + frontMatter.range.start };
}
