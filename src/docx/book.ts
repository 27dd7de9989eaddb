/** The book's structure in Word: cover, 前言, 目录 (a TOC field), one section per part, 附录; running heads and page numbers. */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import {
  AlignmentType,
  Bookmark,
  Footer,
  Header,
  InternalHyperlink,
  PageNumber,
  PageReference,
  Paragraph,
  SectionType,
  Tab,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
  BorderStyle,
  LeaderType,
  TabStopType,
  type ISectionOptions,
  type ParagraphChild,
} from 'docx';
import type { Case } from '../case/resolve.js';
import { parseMarkdown } from '../case/parse.js';
import { buildIndex, type Compilation } from '../compile/group.js';
import { readSource } from '../shared/read-text.js';
import { appendixView, bookMeta, caseView, partTitle, type CaseRef } from '../render/view.js';
import { bodyToDocx, type BookState } from './markdown.js';
import type { PageGeometry } from './styles.js';

type Block = Paragraph | Table | TableOfContents;

/** One entry of the 目录 and of the Word TOC field: what Word writes when it updates the field itself. */
interface TocEntry {
  level: 1 | 2;
  text: string;
  bookmark: string;
}

/** The sections of the document, in order. Page numbers start at 1 on the first part; front matter has none. */
export async function bookSections(
  compilation: Compilation,
  state: BookState,
  options: { signal?: AbortSignal; onStage?: (text: string) => void } = {},
): Promise<ISectionOptions[]> {
  const { signal, onStage } = options;
  const { config } = compilation;
  const meta = bookMeta(config);
  const geometry = state.geometry;
  const startType = config.page.partsOnRight ? SectionType.ODD_PAGE : SectionType.NEXT_PAGE;
  const page = pageProperties(geometry);
  const numberStyle = config.page.numberStyle;

  const toc: TocEntry[] = [];
  const partSections: { title: string; titlePage: Block[]; children: Block[] }[] = [];
  for (const part of compilation.parts) {
    const title = partTitle(part.ordinal, part.sector.label);
    onStage?.(`生成 Word 文档：${title}，${part.cases.length} 个案例`);
    toc.push({ level: 1, text: title, bookmark: part.id });
    const children: Block[] = [];
    for (const [i, caseData] of part.cases.entries()) {
      signal?.throwIfAborted();
      toc.push({ level: 2, text: caseData.title, bookmark: `case-${caseData.id}` });
      // The first case starts its section, which starts a page already.
      children.push(...(await caseBlocks(caseData, compilation, state, i > 0)));
    }
    partSections.push({ title, titlePage: [new Paragraph({ style: 'Heading1', children: [bookmarked(part.id, title)] })], children });
  }
  const appendix = appendixBlocks(compilation, geometry);
  toc.push({ level: 1, text: '附录', bookmark: 'appendix' }, ...appendix.toc);

  const cover: Block[] = [
    new Paragraph({ style: 'Title', children: [new TextRun(meta.title)] }),
    ...[meta.subtitle].filter((s): s is string => !!s).map((s) => new Paragraph({ style: 'HuibianCoverLine', children: [new TextRun(s)] })),
    new Paragraph({ style: 'HuibianCoverLine', spacing: { before: 4800 }, children: [new TextRun(meta.publisher ?? '')] }),
    ...[meta.date].filter((s): s is string => !!s).map((s) => new Paragraph({ style: 'HuibianCoverLine', children: [new TextRun(s)] })),
  ];
  const preface = await prefaceBlocks(compilation, state);
  const contents: Block[] = [new Paragraph({ style: 'HuibianFrontHeading', children: [new TextRun('目录')] }), tocField(toc, geometry)];

  const empty = { default: new Header({ children: [] }), even: new Header({ children: [] }), first: new Header({ children: [] }) };
  const emptyFoot = { default: new Footer({ children: [] }), even: new Footer({ children: [] }), first: new Footer({ children: [] }) };
  const front = (children: Block[]): ISectionOptions => ({
    properties: { page, type: startType },
    headers: empty,
    footers: emptyFoot,
    children,
  });
  // A part is two sections: its title page, counted but showing neither running head nor number (as in the PDF),
  // then its cases. (A first-page header would do in Word, but LibreOffice carries it onto the next page too.)
  const partTitlePage = (children: Block[], first: boolean): ISectionOptions => ({
    properties: { type: startType, page: { ...page, pageNumbers: first ? { start: 1 } : undefined } },
    headers: empty,
    footers: emptyFoot,
    children,
  });
  const numbered = (title: string, children: Block[], type: (typeof SectionType)[keyof typeof SectionType]): ISectionOptions => ({
    properties: { type, page },
    headers: { default: runningHead(title, AlignmentType.RIGHT), even: runningHead(config.title, AlignmentType.LEFT) },
    footers: { default: pageNumberFooter(numberStyle), even: pageNumberFooter(numberStyle) },
    children,
  });
  return [
    { properties: { page }, headers: empty, footers: emptyFoot, children: cover },
    ...(preface.length ? [front(preface)] : []),
    front(contents),
    ...partSections.flatMap((p, i) => [partTitlePage(p.titlePage, i === 0), numbered(p.title, p.children, SectionType.NEXT_PAGE)]),
    {
      ...numbered('附录', appendix.children, startType),
      properties: { type: startType, page: { ...page, pageNumbers: partSections.length === 0 ? { start: 1 } : undefined } },
    },
  ];
}

function pageProperties(g: PageGeometry) {
  // left/right are the inside/outside margins; settings' mirrorMargins (package.ts) swaps them on left-hand pages.
  return {
    size: { width: g.width, height: g.height },
    margin: { top: g.top, bottom: g.bottom, left: g.inside, right: g.outside, header: Math.round(g.top / 2), footer: Math.round(g.bottom / 2), gutter: 0 },
  };
}

function runningHead(text: string, alignment: (typeof AlignmentType)[keyof typeof AlignmentType]): Header {
  return new Header({
    children: [
      new Paragraph({
        style: 'HuibianHeader',
        alignment,
        border: { bottom: { style: BorderStyle.SINGLE, size: 4, color: '999999', space: 4 } },
        children: [new TextRun(text)],
      }),
    ],
  });
}

/** `1`, or `— 1 —` as 公文 number their pages (GB/T 9704). */
function pageNumberFooter(style: 'plain' | 'gongwen'): Footer {
  const children = style === 'gongwen' ? ['— ', PageNumber.CURRENT, ' —'] : [PageNumber.CURRENT];
  return new Footer({ children: [new Paragraph({ style: 'HuibianHeader', alignment: AlignmentType.CENTER, children: [new TextRun({ children })] })] });
}

function bookmarked(id: string, text: string): Bookmark {
  return new Bookmark({ id, children: [new TextRun(text)] });
}

/**
 * One case: its title (标题 2, bookmarked `case-<id>`, on a new page), the unit, the metadata line, then the body.
 * The metadata line has its own style (案例信息, id HuibianCaseMeta) so a reader of the file (huibian import) finds it.
 */
async function caseBlocks(caseData: Case, compilation: Compilation, state: BookState, pageBreakBefore: boolean): Promise<Block[]> {
  const view = caseView(caseData, '');
  const body = await bodyToDocx(caseData.document.mdast, state, {
    filePath: caseData.document.source.path,
    root: compilation.config.root,
    headings: 'demote',
    title: caseData.title,
  });
  return [
    new Paragraph({ style: 'Heading2', pageBreakBefore, children: [bookmarked(view.anchor, view.title)] }),
    new Paragraph({ style: 'HuibianCaseUnit', children: [new TextRun(view.unit)] }),
    new Paragraph({ style: 'HuibianCaseMeta', children: [new TextRun(metaLine(caseData))] }),
    ...body,
  ];
}

/** `举措1　…；举措5　…　工作机制：四融四促（市国资系统）` — the line import reads the case's taxonomy back from. */
export function metaLine(caseData: Case): string {
  const view = caseView(caseData, '');
  return `${view.measureLine}\u3000工作机制：${view.mechanism.name}（${view.mechanism.system}）`;
}

async function prefaceBlocks(compilation: Compilation, state: BookState): Promise<Block[]> {
  const { config } = compilation;
  if (!config.preface) return [];
  // The same rules as the HTML's preface (render/book.ts): only a readable file inside the compilation folder.
  const path = resolve(config.root, config.preface);
  const rel = relative(config.root, path);
  if (rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel)) {
    state.warnings.push({ casePath: config.configPath, message: `前言文件“${config.preface}”不在汇编文件夹内，不予读取；前言从略` });
    return [];
  }
  const read = await readSource(path);
  if (!read.ok) {
    state.warnings.push({ casePath: path, message: `前言文件“${config.preface}”无法读取：${read.reason}；前言从略` });
    return [];
  }
  const body = await bodyToDocx(parseMarkdown(read.source.text), state, { filePath: path, root: config.root, headings: 'paragraph', title: '前言' });
  return [new Paragraph({ style: 'HuibianFrontHeading', children: [bookmarked('preface', '前言')] }), ...body];
}

/** A TOC field over 标题 1–2, already filled in with its entries (page numbers as PAGEREF fields), updated on open. */
function tocField(entries: TocEntry[], geometry: PageGeometry): TableOfContents {
  return new TableOfContents('目录', {
    hyperlink: true,
    headingStyleRange: '1-2',
    contentChildren: entries.map((e) => new Paragraph({ style: `TOC${e.level}`, tabStops: dotTab(geometry), children: [entryLink(e.text, e.bookmark)] })),
  });
}

/** A right tab at the text's edge with a dotted leader, before the page number. */
function dotTab(geometry: PageGeometry) {
  return [{ type: TabStopType.RIGHT, position: geometry.textWidth, leader: LeaderType.DOT }];
}

function entryLink(text: string, bookmark: string, extra: ParagraphChild[] = []): InternalHyperlink {
  return new InternalHyperlink({ anchor: bookmark, children: [new TextRun(text), ...extra, new TextRun({ children: [new Tab()] }), new PageReference(bookmark) as unknown as TextRun] });
}

/** 附录: by measure, by mechanism (entries with PAGEREF page numbers), and the sector × measure count table. */
function appendixBlocks(compilation: Compilation, geometry: PageGeometry): { children: Block[]; toc: TocEntry[] } {
  const view = appendixView(buildIndex(compilation));
  const entry = (c: CaseRef) =>
    new Paragraph({ style: 'HuibianIndexEntry', tabStops: dotTab(geometry), children: [entryLink(c.title, c.anchor, [new TextRun({ text: `（${c.unit}）`, size: 18 })])] });
  const none = () => new Paragraph({ style: 'HuibianIndexEntry', children: [new TextRun('（暂无案例）')] });
  const children: Block[] = [new Paragraph({ style: 'Heading1', children: [bookmarked('appendix', '附录')] })];
  const toc: TocEntry[] = [];
  const section = (id: string, title: string, pageBreakBefore: boolean) => {
    toc.push({ level: 2, text: title, bookmark: id });
    children.push(new Paragraph({ style: 'Heading2', pageBreakBefore, children: [bookmarked(id, title)] }));
  };
  section('index-by-measure', '按举措索引', true);
  for (const group of view.byMeasure) {
    children.push(new Paragraph({ style: 'Heading3', children: [new TextRun(group.group)] }));
    for (const measure of group.measures) {
      children.push(new Paragraph({ style: 'HuibianIndexHeading', children: [new TextRun(measure.label)] }));
      children.push(...(measure.cases.length ? measure.cases.map(entry) : [none()]));
    }
  }
  section('index-by-mechanism', '按工作机制索引', true);
  for (const mechanism of view.byMechanism) {
    children.push(new Paragraph({ style: 'HuibianIndexHeading', children: [new TextRun(`${mechanism.name}（${mechanism.system}）`)] }));
    children.push(...(mechanism.cases.length ? mechanism.cases.map(entry) : [none()]));
  }
  section('index-counts', '各领域案例数统计', true);
  const { counts } = view;
  const header = ['领域', ...counts.measures.map((m) => `举措${m.number}`), '案例数'];
  const rows = [
    header,
    ...counts.rows.map((r) => [r.label, ...r.counts.map(String), String(r.total)]),
    ['合计', ...counts.totals.map(String), String(counts.total)],
  ];
  const columnWidth = Math.floor(geometry.textWidth / header.length);
  const border = { style: BorderStyle.SINGLE, size: 4, color: '666666' };
  children.push(
    new Table({
      width: { size: columnWidth * header.length, type: WidthType.DXA },
      columnWidths: header.map(() => columnWidth),
      borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
      rows: rows.map(
        (cells, r) =>
          new TableRow({
            tableHeader: r === 0,
            children: cells.map(
              (text, c) =>
                new TableCell({
                  width: { size: columnWidth, type: WidthType.DXA },
                  children: [
                    new Paragraph({
                      style: 'HuibianTableText',
                      alignment: c === 0 ? AlignmentType.LEFT : AlignmentType.CENTER,
                      children: [new TextRun({ text, bold: r === 0 || r === rows.length - 1 })],
                    }),
                  ],
                }),
            ),
          }),
      ),
    }),
    new Paragraph({
      style: 'HuibianTableText',
      children: [new TextRun('注：一个案例对应多条举措的，在每条举措下各计一次；“案例数”一栏为实际案例数。')],
    }),
  );
  return { children, toc };
}
