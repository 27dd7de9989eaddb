/** Markdown (the mdast lint already parsed) → sanitised HTML for one case or the preface. */
import type { Element, Root as HastRoot } from 'hast';
import type { Root as MdastRoot } from 'mdast';
import { toString } from 'mdast-util-to-string';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { embedImages, type ImageProblem, type PlacedImage } from './images.js';
import { caseSchema } from './sanitize.js';

export interface MarkdownContext {
  /** The Markdown file, for relative image paths. */
  filePath: string;
  root: string;
  /** Prefix for every id in the output, e.g. `case-<id>-`, so footnote ids stay unique in the book. */
  idPrefix: string;
  /**
   * `demote`: the body's `#`/`##` become `<h3>`, `###` `<h4>` … (inside a case, under its `<h2>` title).
   * `paragraph`: headings become `<p class="subhead">`, for front matter, where no heading may appear but its `<h1>`.
   */
  headings: 'demote' | 'paragraph';
  /** Drop a leading `# …` heading equal to this text: the template already shows the title. */
  title?: string;
}

export interface RenderedMarkdown {
  html: string;
  /** The text a reader sees, for the glyph check. */
  text: string;
  images: ImageProblem[];
}

const toHast = {
  allowDangerousHtml: true,
  // Ids are prefixed after sanitising, together with the links that point at them.
  clobberPrefix: '',
  footnoteLabel: '注释',
  footnoteLabelTagName: 'h2',
  footnoteLabelProperties: {},
  footnoteBackLabel: '返回正文',
  // Not the default ↩ (U+21A9): Noto Serif SC has no such glyph, and Chromium would print it in whatever system font has one.
  footnoteBackContent: '↑',
};

/** For bodies with raw HTML: parse it (rehype-raw), then sanitise. */
const withRaw = unified().use(remarkRehype, toHast).use(rehypeRaw).use(rehypeSanitize, caseSchema).use(rehypeStringify);
/** For bodies without: re-parsing the whole tree through parse5 costs more than the rest of the pipeline, so skip it. */
const withoutRaw = unified().use(remarkRehype, toHast).use(rehypeSanitize, caseSchema).use(rehypeStringify);

export async function renderMarkdown(mdast: MdastRoot, context: MarkdownContext): Promise<RenderedMarkdown> {
  const children = mdast.children.filter((n) => n.type !== 'yaml');
  const first = children[0];
  if (context.title !== undefined && first?.type === 'heading' && first.depth === 1 && toString(first).trim() === context.title.trim()) {
    children.shift();
  }
  const processor = children.some(hasHtml) ? withRaw : withoutRaw;
  const hast = (await processor.run({ type: 'root', children })) as HastRoot;
  // One walk collects what the steps below need (a book has thousands of cases: walking once per step adds up).
  const elements: Element[] = [];
  const images: PlacedImage[] = [];
  const texts: string[] = [];
  visit(hast, (node, index, parent) => {
    if (node.type === 'text') texts.push(node.value);
    else if (node.type === 'element') {
      elements.push(node);
      if (node.tagName === 'img' && parent && index !== undefined) images.push({ node, parent: parent as Element | HastRoot, index });
    }
  });
  for (const node of elements) {
    if (context.headings === 'demote') demoteHeading(node);
    else headingToParagraph(node);
  }
  prefixIds(elements, context.idPrefix);
  for (const node of elements) dropLocalLink(node);
  for (const node of elements) {
    // The caption is new text: the glyph check must see it too.
    const caption = captionFigure(node);
    if (caption) texts.push(caption);
  }
  const problems = await embedImages(images, context);
  return { html: processor.stringify(hast), text: texts.join(''), images: problems };
}

function hasHtml(node: MdastRoot['children'][number]): boolean {
  if (node.type === 'html') return true;
  return 'children' in node && (node.children as MdastRoot['children']).some(hasHtml);
}

/**
 * A paragraph holding only an image with alt text (`![图1 …](x.svg)` on its own line) becomes a figure
 * whose caption is the alt text, as a printed book shows it. Returns the caption, if it made one.
 */
function captionFigure(node: Element): string | undefined {
  if (node.tagName !== 'p') return undefined;
  const content = node.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
  const img = content[0];
  if (content.length !== 1 || img?.type !== 'element' || img.tagName !== 'img') return undefined;
  const alt = typeof img.properties.alt === 'string' ? img.properties.alt.trim() : '';
  if (!alt) return undefined;
  node.tagName = 'figure';
  node.children = [img, { type: 'element', tagName: 'figcaption', properties: {}, children: [{ type: 'text', value: alt }] }];
  return alt;
}

const headingLevel = /^h([1-6])$/;

/** h1, h2 → h3; h3 → h4; … capped at h6. Only the template's h1/h2 may make PDF bookmarks. */
function demoteHeading(node: Element): void {
  const m = headingLevel.exec(node.tagName);
  if (m) node.tagName = `h${Math.min(6, Math.max(3, Number(m[1]) + 1))}`;
}

function headingToParagraph(node: Element): void {
  if (headingLevel.test(node.tagName)) {
    node.tagName = 'p';
    node.properties = { className: ['subhead'] };
  }
}

/**
 * A link to a local file (`../x.md`, `/etc/passwd`) would print the author's file path into the PDF and open nothing
 * for a reader: keep the text, drop the target (lint's link-path reports it). The web, mail and `#…` links stay.
 */
function dropLocalLink(node: Element): void {
  const href = node.properties.href;
  if (node.tagName === 'a' && typeof href === 'string' && !/^(https?:|mailto:|#)/i.test(href.trim())) delete node.properties.href;
}

/** Prefix ids, names and aria references, and the in-page links to those ids; other `#…` links are left as written. */
function prefixIds(elements: readonly Element[], prefix: string): void {
  const ids = new Set<string>();
  for (const node of elements) if (typeof node.properties.id === 'string') ids.add(node.properties.id);
  for (const node of elements) {
    const p = node.properties;
    for (const key of ['id', 'name'] as const) if (typeof p[key] === 'string') p[key] = prefix + p[key];
    for (const key of ['ariaDescribedBy', 'ariaLabelledBy'] as const) {
      const v = p[key];
      if (Array.isArray(v)) p[key] = v.map((x) => prefix + String(x));
      else if (typeof v === 'string') p[key] = [prefix + v];
    }
    if (node.tagName === 'a' && typeof p.href === 'string' && p.href.startsWith('#') && ids.has(p.href.slice(1))) {
      p.href = '#' + prefix + p.href.slice(1);
    }
  }
}
