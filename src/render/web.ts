/**
 * The web edition: the book as one self-contained HTML file to read on a screen — a sidebar with the parts and
 * cases, filters by 领域 / 举措 / 工作机制, and Chinese full-text search over a text table built here, at compile
 * time. The script is the template's `web.js`; case content stays sanitised HTML and cannot add script (the page's
 * Content-Security-Policy allows only that one script, by its hash, and no network request at all).
 */
import { createHash } from 'node:crypto';
import type { Root as MdastRoot, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { Case } from '../case/resolve.js';
import type { Compilation } from '../compile/group.js';
import { buildBookView, finish, stylesheet, type HtmlDocument } from './book.js';
import { createEngine, readTemplateFile } from './templates.js';
import type { BookView, CaseView, PartView } from './view.js';

/** One case as the web script sees it: its taxonomy for the filters, its text blocks for search. */
export interface WebCase {
  /** The case id; the HTML id is `case-<id>`. */
  id: string;
  title: string;
  unit: string;
  /** Sector key. */
  sector: string;
  measures: number[];
  mechanism: string;
  /** The body's text, one string per paragraph, heading, list item, table cell or code block, in reading order. */
  blocks: string[];
}

/** Everything the web script needs, embedded as JSON in the page. */
export interface WebData {
  sectors: { key: string; label: string }[];
  measures: { number: number; group: string; title: string }[];
  mechanisms: { name: string; system: string }[];
  cases: WebCase[];
  /** The appendix's count table: its rows' sector keys and its columns' measure numbers, so its cells can link to filters. */
  counts: { sectors: string[]; measures: number[] };
}

/** A case in the web template, with the cases before and after it in book order. */
interface PagedCase {
  case: CaseView;
  prev: { anchor: string; title: string } | null;
  next: { anchor: string; title: string } | null;
}

/** The web edition of the book. Same input → byte-identical HTML. */
export async function renderWebBook(compilation: Compilation): Promise<HtmlDocument> {
  const { config } = compilation;
  const { book, warnings } = await buildBookView(compilation);
  const engine = createEngine(config.templateDirs);
  const css = [await stylesheet(config, 'web', engine, []), ((await readTemplateFile(config.templateDirs, 'web.css')) ?? '').trim()]
    .join('\n')
    .replace(/<\/style/gi, '<\\/style');
  const script = ((await readTemplateFile(config.templateDirs, 'web.js')) ?? '').trim();
  const data = webData(compilation);
  const html = engine.renderFileSync('web', {
    book,
    parts: pagedParts(book),
    filters: filterView(data, compilation),
    target: 'web',
    css,
    script: scriptText(script),
    data: jsonForScript(data),
    csp: contentSecurityPolicy(script),
  });
  return { html: finish(html), warnings };
}

/** The data embedded in the page for the filters and the search. */
export function webData(compilation: Compilation): WebData {
  const { config } = compilation;
  const inBook = new Set(compilation.parts.map((p) => p.sector.key));
  return {
    sectors: config.sectors.filter((s) => inBook.has(s.key)).map((s) => ({ key: s.key, label: s.label })),
    measures: config.measures.map((m) => ({ number: m.number, group: m.group, title: m.title })),
    mechanisms: config.mechanisms.map((m) => ({ name: m.name, system: m.system })),
    cases: compilation.cases.map(webCase),
    counts: { sectors: compilation.parts.map((p) => p.sector.key), measures: config.measures.map((m) => m.number) },
  };
}

function webCase(caseData: Case): WebCase {
  return {
    id: caseData.id,
    title: caseData.title,
    unit: caseData.unit,
    sector: caseData.sector.key,
    measures: caseData.measures.map((m) => m.number),
    mechanism: caseData.mechanism.name,
    blocks: textBlocks(caseData.document.mdast, caseData.title),
  };
}

/**
 * The text of each leaf block of a Markdown body, in reading order — what search looks through and shows as a
 * snippet. A leading `# title` equal to the case title is left out, as the rendered body leaves it out.
 */
export function textBlocks(mdast: MdastRoot, title?: string): string[] {
  const blocks: string[] = [];
  const children = mdast.children.filter((n) => n.type !== 'yaml');
  const first = children[0];
  if (title !== undefined && first?.type === 'heading' && first.depth === 1 && toString(first).trim() === title.trim()) children.shift();
  const walk = (nodes: readonly RootContent[]): void => {
    for (const node of nodes) {
      switch (node.type) {
        case 'paragraph':
        case 'heading':
        case 'tableCell':
        case 'code': {
          const text = (node.type === 'code' ? node.value : plainText(node)).replace(/\s+/g, ' ').trim();
          if (text) blocks.push(text);
          break;
        }
        case 'html':
        case 'yaml':
        case 'definition':
        case 'thematicBreak':
          break;
        default:
          if ('children' in node) walk(node.children as RootContent[]);
      }
    }
  };
  walk(children);
  return blocks;
}

/**
 * The text a reader sees in an inline tree: text, code and image alt text, but not the tags of raw HTML (`<sub>` in
 * `H<sub>2</sub>O`), which the sanitised page does not show as text either.
 */
function plainText(node: RootContent): string {
  if (node.type === 'html') return '';
  if (node.type === 'image' || node.type === 'imageReference') return node.alt ?? '';
  if (node.type === 'break') return ' ';
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('children' in node) return (node.children as RootContent[]).map(plainText).join('');
  return '';
}

/** The filter checkboxes with their static counts (the script updates them as filters combine). */
function filterView(data: WebData, compilation: Compilation) {
  const count = (test: (c: WebCase) => boolean) => data.cases.filter(test).length;
  const groups: { group: string; measures: { number: number; title: string; count: number }[] }[] = [];
  for (const m of data.measures) {
    let group = groups.find((g) => g.group === m.group);
    if (!group) groups.push((group = { group: m.group, measures: [] }));
    group.measures.push({ number: m.number, title: m.title, count: count((c) => c.measures.includes(m.number)) });
  }
  return {
    sectors: compilation.parts.map((p) => ({ key: p.sector.key, label: p.sector.label, count: p.cases.length })),
    measureGroups: groups,
    mechanisms: data.mechanisms.map((m, index) => ({ index, name: m.name, system: m.system, count: count((c) => c.mechanism === m.name) })),
  };
}

function pagedParts(book: BookView): (Omit<PartView, 'cases'> & { cases: PagedCase[] })[] {
  const all = book.parts.flatMap((p) => p.cases);
  const ref = (c: CaseView | undefined) => (c ? { anchor: c.anchor, title: c.title } : null);
  let i = 0;
  return book.parts.map((part) => ({
    ...part,
    cases: part.cases.map((c) => {
      const paged = { case: c, prev: ref(all[i - 1]), next: ref(all[i + 1]) };
      i++;
      return paged;
    }),
  }));
}

/** JSON that can sit inside `<script type="application/json">`: no `<` (so no `</script>` or `<!--`) survives. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The template's script, made safe to inline: it cannot end its own `<script>` element. */
function scriptText(script: string): string {
  return script.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
}

/**
 * No network at all (`default-src 'none'`); images only as the data: URIs the render embeds; inline styles; and
 * only the template's own script, named by its hash, so nothing in a case body could ever run even if it got past
 * the sanitiser.
 */
function contentSecurityPolicy(script: string): string {
  const hash = createHash('sha256').update(scriptText(script)).digest('base64');
  return `default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`;
}
