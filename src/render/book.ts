/** Compilation → one self-contained HTML document (the book), or one case alone (preview, single-case PDF). */
import { relative, resolve, sep, isAbsolute } from 'node:path';
import type { ResolvedConfig } from '../config/load.js';
import type { Case } from '../case/resolve.js';
import { parseMarkdown } from '../case/parse.js';
import { buildIndex, type Compilation } from '../compile/group.js';
import { readSource } from '../shared/read-text.js';
import { fontFaceCss, fontStack } from './fonts.js';
import { missingGlyphMessage, missingGlyphs } from './glyphs.js';
import { renderMarkdown } from './markdown.js';
import { pageCssData } from './page.js';
import { createEngine, cssFiles, readTemplateFile, type Target } from './templates.js';
import { appendixView, bookMeta, caseView, partTitle, type BookView, type CaseView } from './view.js';

/** Something the reader of the book should know about, e.g. a character no font has. */
export interface RenderWarning {
  /** Absolute path of the file the problem is in (a case, the preface, or huibian.yaml). */
  casePath?: string;
  message: string;
}

export interface HtmlDocument {
  html: string;
  warnings: RenderWarning[];
}

export interface RenderOptions {
  target: Target;
  /** Where the print target's subset fonts are cached (default: fontCacheDir(), the user's cache folder). */
  fontCacheDir?: string;
}

/** The whole book: cover, 前言, 目录, the parts with their cases, 附录. Same input → byte-identical HTML. */
export async function renderBook(compilation: Compilation, options: RenderOptions): Promise<HtmlDocument> {
  const { config } = compilation;
  const { book, warnings } = await buildBookView(compilation);
  const engine = createEngine(config.templateDirs);
  const css = await stylesheet(config, options.target, engine, book.parts.map((p) => ({ id: p.id, title: p.title })));
  const html = engine.renderFileSync('book', { book, target: options.target, css });
  return { html: await withFonts(finish(html), options), warnings };
}

/** The data every book template sees (cases rendered to sanitised HTML), with the warnings rendering them raised. */
export async function buildBookView(compilation: Compilation): Promise<{ book: BookView; warnings: RenderWarning[] }> {
  const { config } = compilation;
  const warnings: RenderWarning[] = [];
  const parts = [];
  for (const part of compilation.parts) {
    const cases: CaseView[] = [];
    for (const caseData of part.cases) cases.push(await renderCaseView(caseData, config, warnings));
    const label = `${part.sector.label}篇`;
    parts.push({ id: part.id, key: part.sector.key, ordinal: part.ordinal, label, title: partTitle(part.ordinal, part.sector.label), cases });
  }
  const book: BookView = {
    ...bookMeta(config),
    preface: await renderPreface(config, warnings),
    parts,
    appendix: appendixView(buildIndex(compilation)),
  };
  await checkConfigGlyphs(config, [book.title, book.subtitle, book.publisher, ...parts.map((p) => p.title)], warnings);
  return { book, warnings };
}

/** One case on its own, with the same templates and CSS as in the book. */
export async function renderCase(caseData: Case, config: ResolvedConfig, options: RenderOptions): Promise<HtmlDocument> {
  const warnings: RenderWarning[] = [];
  const view = await renderCaseView(caseData, config, warnings);
  const engine = createEngine(config.templateDirs);
  const css = await stylesheet(config, options.target, engine, []);
  const html = engine.renderFileSync('case-page', { book: bookMeta(config), case: view, target: options.target, css });
  return { html: await withFonts(finish(html), options), warnings };
}

async function renderCaseView(caseData: Case, config: ResolvedConfig, warnings: RenderWarning[]): Promise<CaseView> {
  const path = caseData.document.source.path;
  const body = await renderMarkdown(caseData.document.mdast, {
    filePath: path,
    root: config.root,
    idPrefix: `case-${caseData.id}-`,
    headings: 'demote',
    title: caseData.title,
  });
  for (const image of body.images) warnings.push({ casePath: path, message: image.message });
  const view = caseView(caseData, body.html);
  const text = [view.unit, view.measureLine, view.mechanism.name, body.text].join('\n');
  for (const g of await missingGlyphs(view.title, 'heading')) warnings.push({ casePath: path, message: missingGlyphMessage(g, config.fonts.heading) });
  for (const g of await missingGlyphs(text, 'body')) warnings.push({ casePath: path, message: missingGlyphMessage(g, config.fonts.body) });
  return view;
}

/** The preface, rendered like a case body but with its headings as paragraphs (front matter has one heading, 前言). */
async function renderPreface(config: ResolvedConfig, warnings: RenderWarning[]): Promise<string | null> {
  if (!config.preface) return null;
  const path = resolve(config.root, config.preface);
  const rel = relative(config.root, path);
  if (rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) {
    warnings.push({ casePath: config.configPath, message: `前言文件“${config.preface}”不在汇编文件夹内，不予读取；前言从略` });
    return null;
  }
  const read = await readSource(path);
  if (!read.ok) {
    warnings.push({ casePath: path, message: `前言文件“${config.preface}”无法读取：${read.reason}；前言从略` });
    return null;
  }
  const rendered = await renderMarkdown(parseMarkdown(read.source.text), {
    filePath: path,
    root: config.root,
    idPrefix: 'preface-',
    headings: 'paragraph',
    title: '前言',
  });
  for (const image of rendered.images) warnings.push({ casePath: path, message: image.message });
  for (const g of await missingGlyphs(rendered.text, 'body')) warnings.push({ casePath: path, message: missingGlyphMessage(g, config.fonts.body) });
  return rendered.html;
}

/** Text from huibian.yaml that the book shows (title, taxonomy names), checked once. */
async function checkConfigGlyphs(config: ResolvedConfig, extra: (string | null)[], warnings: RenderWarning[]): Promise<void> {
  const text = [
    ...extra,
    ...config.measures.map((m) => m.title),
    ...config.mechanisms.map((m) => `${m.name}${m.system}`),
  ].join('\n');
  for (const g of await missingGlyphs(text, 'heading')) warnings.push({ casePath: config.configPath, message: missingGlyphMessage(g, config.fonts.heading) });
}

/**
 * Where the print target's @font-face rules go: they are cut to the finished document's characters, so they are
 * written in last (withFonts). A CSS comment, so a stylesheet used without them is still valid CSS.
 */
export const fontFacePlaceholder = '/*huibian:font-faces*/';

/** The print document with its @font-face rules in place of the placeholder (the web target has none). */
async function withFonts(html: string, options: RenderOptions): Promise<string> {
  const at = html.indexOf(fontFacePlaceholder);
  if (options.target !== 'print' || at < 0) return html;
  const css = await fontFaceCss(html, options.fontCacheDir);
  return html.slice(0, at) + css + html.slice(at + fontFacePlaceholder.length);
}

/** All CSS of the document, inlined: fonts (print, as a placeholder), font stacks, the template's CSS files, the generated page rules (print). */
export async function stylesheet(
  config: ResolvedConfig,
  target: Target,
  engine: ReturnType<typeof createEngine>,
  parts: { id: string; title: string }[],
): Promise<string> {
  const chunks: string[] = [];
  if (target === 'print') chunks.push(fontFacePlaceholder);
  chunks.push(`:root{--font-body:${fontStack('body', config.fonts, target)};--font-heading:${fontStack('heading', config.fonts, target)}}`);
  for (const name of cssFiles(target)) {
    const text = await readTemplateFile(config.templateDirs, name);
    if (text !== undefined) chunks.push(text.trim());
  }
  if (target === 'print') {
    chunks.push((engine.renderFileSync('page.css.liquid', pageCssData(config, parts))).trim());
  }
  // Nothing in the CSS may end the <style> element it is inlined into.
  return chunks.join('\n').replace(/<\/style/gi, '<\\/style');
}

/** Exactly one trailing newline (the text inside is left as rendered: a `<pre>` keeps its spaces). */
export function finish(html: string): string {
  return html.trimEnd() + '\n';
}
