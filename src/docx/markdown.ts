/** A case body (mdast) → Word paragraphs and tables: styles for headings and text, real numbering, footnotes, images. */
import {
  AlignmentType,
  BorderStyle,
  ExternalHyperlink,
  FootnoteReferenceRun,
  ImageRun,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IRunOptions,
  type ParagraphChild,
} from 'docx';
import type { FootnoteDefinition, Nodes, PhrasingContent, Root, RootContent, Table as MdTable } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { dirname } from 'node:path';
import { fitToWidth, loadDocxImage, type DocxImage } from './images.js';
import { bulletReference, orderedReferenceFor, type PageGeometry } from './styles.js';

/** What the whole book's conversion shares: footnote and list numbers run through the book. */
export interface BookState {
  geometry: PageGeometry;
  /** Word footnotes by id (1, 2, …), for the Document's `footnotes`. */
  footnotes: Record<number, { children: Paragraph[] }>;
  nextFootnote: number;
  /** Each list gets its own numbering instance, so its numbers restart at its start. */
  nextList: number;
  /** Start values of ordered lists, for the numbering definitions. */
  listStarts: Set<number>;
  warnings: { casePath?: string; message: string }[];
  /** Images already loaded, by folder and src: a picture used in many cases is read and drawn once. */
  images: Map<string, Promise<DocxImage>>;
}

export function newBookState(geometry: PageGeometry): BookState {
  return { geometry, footnotes: {}, nextFootnote: 1, nextList: 1, listStarts: new Set([1]), warnings: [], images: new Map() };
}

export interface BodyOptions {
  /** The Markdown file, for relative image paths and messages. */
  filePath: string;
  root: string;
  /** `demote`: `#`/`##` → 标题 3, `###` → 标题 4 …; `paragraph`: headings become bold paragraphs (front matter). */
  headings: 'demote' | 'paragraph';
  /** Drop a leading `# …` equal to this: the title is already written above the body. */
  title?: string;
}

type Block = Paragraph | Table;

interface Marks {
  bold?: boolean;
  italics?: boolean;
  strike?: boolean;
  style?: string;
}

/** Per body: its footnote definitions by label and the Word ids given to them on first reference. */
interface BodyState {
  book: BookState;
  options: BodyOptions;
  definitions: Map<string, FootnoteDefinition>;
  footnoteIds: Map<string, number>;
}

export async function bodyToDocx(mdast: Root, book: BookState, options: BodyOptions): Promise<Block[]> {
  const children = mdast.children.filter((n) => n.type !== 'yaml');
  const first = children[0];
  if (options.title !== undefined && first?.type === 'heading' && first.depth === 1 && toString(first).trim() === options.title.trim()) {
    children.shift();
  }
  const definitions = new Map<string, FootnoteDefinition>();
  for (const node of children) if (node.type === 'footnoteDefinition') definitions.set(node.identifier, node);
  const state: BodyState = { book, options, definitions, footnoteIds: new Map() };
  return blocks(children, state, {});
}

interface BlockContext {
  style?: string;
  /** Inside a list item: level and numbering of its first paragraph. */
  list?: { level: number; reference: string; instance: number; first: boolean };
}

async function blocks(nodes: readonly RootContent[], state: BodyState, context: BlockContext): Promise<Block[]> {
  const out: Block[] = [];
  for (const node of nodes) out.push(...(await block(node, state, context)));
  return out;
}

async function block(node: RootContent, state: BodyState, context: BlockContext): Promise<Block[]> {
  switch (node.type) {
    case 'heading': {
      const children = await inlines(node.children, state, {});
      if (state.options.headings === 'paragraph') return [new Paragraph({ style: 'HuibianIndexHeading', children })];
      const level = node.depth <= 2 ? 3 : Math.min(6, node.depth + 1);
      return [new Paragraph({ style: `Heading${level}`, children })];
    }
    case 'paragraph':
      return paragraph(node.children, state, context);
    case 'list': {
      const ordered = !!node.ordered;
      const start = node.start ?? 1;
      if (ordered) state.book.listStarts.add(start);
      const reference = ordered ? orderedReferenceFor(start) : bulletReference;
      const level = context.list ? Math.min(8, context.list.level + 1) : 0;
      const instance = state.book.nextList++;
      const out: Block[] = [];
      for (const item of node.children) {
        const itemContext: BlockContext = { style: context.style, list: { level, reference, instance, first: true } };
        const check = item.checked === true ? '☑ ' : item.checked === false ? '☐ ' : '';
        const content = item.children.length ? item.children : [{ type: 'paragraph', children: [] } as RootContent];
        for (const [i, child] of content.entries()) {
          if (i === 0 && check && child.type === 'paragraph') {
            out.push(...(await paragraph([{ type: 'text', value: check }, ...child.children], state, itemContext)));
          } else {
            out.push(...(await block(child, state, itemContext)));
          }
          if (child.type !== 'list') itemContext.list!.first = false;
        }
      }
      return out;
    }
    case 'table':
      return [await table(node, state)];
    case 'blockquote':
      return blocks(node.children, state, { ...context, style: 'HuibianQuote' });
    case 'code':
      return node.value.split('\n').map((line) => new Paragraph({ style: 'HuibianCode', children: [new TextRun({ text: line })] }));
    case 'thematicBreak':
      return [new Paragraph({ alignment: AlignmentType.CENTER, indent: { firstLineChars: 0, firstLine: 0 }, children: [new TextRun('＊　＊　＊')] })];
    case 'html': {
      const text = htmlText(node.value);
      return text.trim() ? [new Paragraph({ style: context.style, children: [new TextRun(text)] })] : [];
    }
    case 'footnoteDefinition':
    case 'definition':
    case 'yaml':
      return [];
    default:
      // Anything else a Markdown extension may add: its text, so nothing the author wrote is lost.
      return [new Paragraph({ style: context.style, children: [new TextRun(toString(node))] })];
  }
}

/** A paragraph; one holding only an image becomes a centred figure, with its alt text as the caption below. */
async function paragraph(nodes: readonly PhrasingContent[], state: BodyState, context: BlockContext): Promise<Block[]> {
  const content = nodes.filter((n) => !(n.type === 'text' && n.value.trim() === ''));
  const only = content[0];
  if (content.length === 1 && only?.type === 'image' && !context.list) {
    const image = await imageRun(only.url, only.alt ?? '', state);
    const out: Block[] = [new Paragraph({ style: 'HuibianFigure', children: [image] })];
    const alt = only.alt?.trim();
    // A picture that could not be embedded is replaced by a note that already quotes the alt text.
    if (alt && image instanceof ImageRun) out.push(new Paragraph({ style: 'Caption', children: [new TextRun(alt)] }));
    return out;
  }
  const children = await inlines(nodes, state, {});
  const list = context.list;
  if (!list) return [new Paragraph({ style: context.style, children })];
  if (list.first) {
    return [new Paragraph({ style: context.style ?? 'ListParagraph', numbering: { reference: list.reference, level: list.level, instance: list.instance }, children })];
  }
  // A second paragraph of a list item: under the item's text, without a number.
  return [new Paragraph({ style: context.style ?? 'ListParagraph', indent: { left: 420 * (list.level + 2), firstLineChars: 0, firstLine: 0 }, children })];
}

async function inlines(nodes: readonly PhrasingContent[], state: BodyState, marks: Marks): Promise<ParagraphChild[]> {
  const out: ParagraphChild[] = [];
  for (const node of nodes) out.push(...(await inline(node, state, marks)));
  return out;
}

function run(text: string, marks: Marks, extra: IRunOptions = {}): TextRun {
  return new TextRun({ text, bold: marks.bold, italics: marks.italics, strike: marks.strike, style: marks.style, ...extra });
}

async function inline(node: PhrasingContent, state: BodyState, marks: Marks): Promise<ParagraphChild[]> {
  switch (node.type) {
    case 'text':
      return [run(softBreaks(node.value), marks)];
    case 'strong':
      return inlines(node.children, state, { ...marks, bold: true });
    case 'emphasis':
      return inlines(node.children, state, { ...marks, italics: true });
    case 'delete':
      return inlines(node.children, state, { ...marks, strike: true });
    case 'inlineCode':
      return [run(node.value, { ...marks, style: 'HuibianInlineCode' })];
    case 'break':
      return [new TextRun({ break: 1 })];
    case 'link': {
      const href = node.url.trim();
      // Web and mail links stay links; a local file or in-page target means nothing in Word: keep the text only.
      if (!/^(https?:|mailto:)/i.test(href)) return inlines(node.children, state, marks);
      const children = (await inlines(node.children, state, { ...marks, style: 'Hyperlink' })).filter((c): c is TextRun => c instanceof TextRun);
      return [new ExternalHyperlink({ link: href, children })];
    }
    case 'linkReference':
      return inlines(node.children, state, marks);
    case 'image':
      return [await imageRun(node.url, node.alt ?? '', state)];
    case 'imageReference':
      return node.alt ? [run(node.alt, marks)] : [];
    case 'footnoteReference':
      return [footnote(node.identifier, state)];
    case 'html': {
      if (/^<br\s*\/?>$/i.test(node.value.trim())) return [new TextRun({ break: 1 })];
      const text = htmlText(node.value);
      return text ? [run(text, marks)] : [];
    }
    default:
      return [run(toString(node), marks)];
  }
}

/** A reference to a footnote: the first reference to a label makes the Word footnote; a later one points at it too. */
function footnote(label: string, state: BodyState): ParagraphChild {
  let id = state.footnoteIds.get(label);
  if (id === undefined) {
    id = state.book.nextFootnote++;
    state.footnoteIds.set(label, id);
    const definition = state.definitions.get(label);
    const paragraphs: Paragraph[] = [];
    const text = definition ? footnoteText(definition) : [`［脚注“${label}”没有内容］`];
    for (const line of text) paragraphs.push(new Paragraph({ style: 'FootnoteText', children: [new TextRun(line)] }));
    state.book.footnotes[id] = { children: paragraphs.length ? paragraphs : [new Paragraph({ style: 'FootnoteText' })] };
  }
  return new FootnoteReferenceRun(id);
}

/** A footnote's paragraphs as text (Word footnotes hold paragraphs; marks inside are rare and kept as text). */
function footnoteText(definition: FootnoteDefinition): string[] {
  return definition.children.map((child) => softBreaks(toString(child as Nodes))).filter((t) => t.trim() !== '');
}

async function imageRun(src: string, alt: string, state: BodyState): Promise<ParagraphChild> {
  const key = `${dirname(state.options.filePath)}\0${src}`;
  let loading = state.book.images.get(key);
  if (!loading) {
    loading = loadDocxImage(src, { filePath: state.options.filePath, root: state.options.root });
    state.book.images.set(key, loading);
  }
  const loaded = await loading;
  if (!loaded.ok) {
    state.book.warnings.push({ casePath: state.options.filePath, message: loaded.reason });
    return new TextRun(`［图片未能嵌入${alt ? `：${alt}` : ''}。${loaded.reason}］`);
  }
  const transformation = fitToWidth(loaded, state.book.geometry.textWidth);
  const altText = { name: alt || src, description: alt, title: alt };
  if (loaded.svg) {
    return new ImageRun({ type: 'svg', data: loaded.svg, fallback: { type: 'png', data: loaded.data }, transformation, altText });
  }
  return new ImageRun({ type: loaded.type, data: loaded.data, transformation, altText });
}

async function table(node: MdTable, state: BodyState): Promise<Table> {
  const columns = Math.max(1, ...node.children.map((r) => r.children.length));
  const width = state.book.geometry.textWidth;
  const columnWidth = Math.floor(width / columns);
  const alignments = { left: AlignmentType.LEFT, center: AlignmentType.CENTER, right: AlignmentType.RIGHT } as const;
  const rows: TableRow[] = [];
  for (const [r, row] of node.children.entries()) {
    const cells: TableCell[] = [];
    for (let c = 0; c < columns; c++) {
      const cell = row.children[c];
      const align = node.align?.[c];
      const children = cell ? await inlines(cell.children, state, r === 0 ? { bold: true } : {}) : [];
      cells.push(
        new TableCell({
          width: { size: columnWidth, type: WidthType.DXA },
          children: [new Paragraph({ style: 'HuibianTableText', alignment: r === 0 ? AlignmentType.CENTER : align ? alignments[align] : undefined, children })],
        }),
      );
    }
    // The header row repeats at the top of every page the table runs onto.
    rows.push(new TableRow({ tableHeader: r === 0, cantSplit: true, children: cells }));
  }
  const border = { style: BorderStyle.SINGLE, size: 4, color: '666666' };
  return new Table({
    rows,
    width: { size: width, type: WidthType.DXA },
    columnWidths: Array.from({ length: columns }, () => columnWidth),
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
  });
}

/** A soft line break: nothing between two CJK characters (as a Chinese reader expects), a space elsewhere. */
function softBreaks(text: string): string {
  return text.replace(/([\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef])/g, '$1').replace(/\n/g, ' ');
}

/** The text of raw HTML: tags, comments, scripts and styles dropped, the common entities decoded. */
function htmlText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    // A tag, with `>` allowed inside its quoted attribute values.
    .replace(/<(?:[^>"']|"[^"]*"|'[^']*')*>/g, '')
    .replace(/&nbsp;/g, '\u00a0')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
