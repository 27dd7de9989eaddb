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
import { embedImages, type ImageProblem } from './images.js';
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

const processor = unified()
  .use(remarkRehype, {
    allowDangerousHtml: true,
    // Ids are prefixed after sanitising, together with the links that point at them.
    clobberPrefix: '',
    footnoteLabel: '注释',
    footnoteLabelTagName: 'h2',
    footnoteLabelProperties: {},
    footnoteBackLabel: '返回正文',
  })
  .use(rehypeRaw)
  .use(rehypeSanitize, caseSchema)
  .use(rehypeStringify);

export async function renderMarkdown(mdast: MdastRoot, context: MarkdownContext): Promise<RenderedMarkdown> {
  const children = mdast.children.filter((n) => n.type !== 'yaml');
  const first = children[0];
  if (context.title !== undefined && first?.type === 'heading' && first.depth === 1 && toString(first).trim() === context.title.trim()) {
    children.shift();
  }
  const hast = (await processor.run({ type: 'root', children })) as HastRoot;
  if (context.headings === 'demote') demoteHeadings(hast);
  else headingsToParagraphs(hast);
  prefixIds(hast, context.idPrefix);
  const images = await embedImages(hast, context);
  return { html: processor.stringify(hast), text: textOf(hast), images };
}

const headingLevel = /^h([1-6])$/;

/** h1, h2 → h3; h3 → h4; … capped at h6. Only the template's h1/h2 may make PDF bookmarks. */
function demoteHeadings(tree: HastRoot): void {
  visit(tree, 'element', (node) => {
    const m = headingLevel.exec(node.tagName);
    if (m) node.tagName = `h${Math.min(6, Math.max(3, Number(m[1]) + 1))}`;
  });
}

function headingsToParagraphs(tree: HastRoot): void {
  visit(tree, 'element', (node) => {
    if (headingLevel.test(node.tagName)) {
      node.tagName = 'p';
      node.properties = { className: ['subhead'] };
    }
  });
}

/** Prefix ids, names and aria references, and the in-page links to those ids; other `#…` links are left as written. */
function prefixIds(tree: HastRoot, prefix: string): void {
  const ids = new Set<string>();
  visit(tree, 'element', (node) => {
    if (typeof node.properties.id === 'string') ids.add(node.properties.id);
  });
  visit(tree, 'element', (node: Element) => {
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
  });
}

function textOf(tree: HastRoot): string {
  const parts: string[] = [];
  visit(tree, 'text', (node) => {
    parts.push(node.value);
  });
  return parts.join('');
}
