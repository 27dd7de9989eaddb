/**
 * A book huibian exported as Word (`compile --format docx`), come back from a review: recognised by its case titles
 * (标题 2 with a `case-<id>` bookmark) and its metadata lines (案例信息), and split into one case per title. The
 * front-matter comes from the book (title, unit, the metadata line's measures and mechanism, the part's sector, the
 * bookmark's id), the body from the case's own paragraphs through the one Markdown writer (markdown.ts). The cover,
 * 前言, 目录, part titles, running heads and the appendix are not cases and are left out. See docs/docx-export.md.
 */
import { findMeasure, findMechanism, findSector } from '../case/taxonomy.js';
import type { ResolvedConfig } from '../config/load.js';
import type { DocxModel, Paragraph, Table } from './docx.js';
import { toMarkdown } from './markdown.js';
import { idFor } from './names.js';
import { assembleCase, commentsNote, imageExtension, revisionsNote, type ImportedCase } from './submission.js';

/** One case read back from a book. */
export interface BookCase {
  id: string;
  /** The sector's key, from the part the case is in (the folder it is written to), when known. */
  sector?: string;
  made: ImportedCase;
}

/** Paragraph styles huibian gives the case's lines, by id and by the name LibreOffice keeps when it renames ids. */
const caseUnitStyle = { id: 'HuibianCaseUnit', name: '案例单位' };
const caseMetaStyle = { id: 'HuibianCaseMeta', name: '案例信息' };

function hasStyle(p: Paragraph, style: { id: string; name: string }): boolean {
  return p.styleId === style.id || p.styleName === style.name || p.styleName === style.id;
}

/** The `case-<id>` bookmark of a case title, if the paragraph is one. */
function caseBookmark(p: Paragraph): string | undefined {
  if (!isHeading(p, 2)) return undefined;
  return p.bookmarks?.find((b) => b.startsWith('case-') && b.length > 5);
}

/** 标题 1 (a part, the appendix) or 标题 2 (a case title, an appendix section): by outline level. */
function isHeading(p: Paragraph, level: 1 | 2): boolean {
  return p.outline === level - 1;
}

/** Is this document a book huibian exported? Both marks must be there: a bookmarked case title and a metadata line. */
export function isHuibianBook(model: DocxModel): boolean {
  const paragraphs = model.blocks.filter((b): b is Paragraph => b.type === 'paragraph');
  return paragraphs.some((p) => caseBookmark(p) !== undefined) && paragraphs.some((p) => hasStyle(p, caseMetaStyle));
}

/** The book's cases, in the book's order. `fileName` is written as each case's `source`. */
export function casesFromBook(model: DocxModel, fileName: string, config: ResolvedConfig): BookCase[] {
  interface Open {
    title: Paragraph;
    bookmark: string;
    sector?: string;
    unit?: Paragraph;
    meta?: Paragraph;
    blocks: (Paragraph | Table)[];
    warnings: string[];
  }
  const found: Open[] = [];
  let sector: string | undefined;
  let open: Open | undefined;
  for (const block of model.blocks) {
    if (block.type === 'paragraph') {
      if (isHeading(block, 1)) {
        // A part title (第一篇 …, bookmarked part-<key>) sets the sector; 附录 ends the cases.
        sector = partSector(block, config);
        open = undefined;
        continue;
      }
      if (isHeading(block, 2)) {
        const bookmark = caseBookmark(block);
        open = bookmark ? { title: block, bookmark, sector, blocks: [], warnings: [] } : undefined;
        if (open) found.push(open);
        continue;
      }
      if (open && !open.blocks.length) {
        // The unit and metadata lines come right under the title, before any of the body.
        if (!open.unit && !open.meta && hasStyle(block, caseUnitStyle)) {
          open.unit = block;
          continue;
        }
        if (!open.meta && hasStyle(block, caseMetaStyle)) {
          open.meta = block;
          continue;
        }
      }
      if (open?.blocks.length && (hasStyle(block, caseUnitStyle) || hasStyle(block, caseMetaStyle))) {
        // Another case's unit or metadata line, with no case title above it (deleted, or its bookmark lost): what
        // follows is not this case's; it is left out and said, rather than added to the case before it.
        open.warnings.push(
          `第 ${block.index} 段“${text(block)}”是另一个案例的${hasStyle(block, caseUnitStyle) ? '单位' : '案例信息'}一行，但它上面没有带书签（case-<id>）的案例标题；其后直到下一个案例标题的内容未导入，请在 Word 中恢复那个案例的标题`,
        );
        open = undefined;
        continue;
      }
    }
    open?.blocks.push(block);
  }

  const taken = new Set<string>();
  return found.map((c, i) => {
    // The id is the bookmark's: made safe as a file name (a document can carry any bookmark) and unique in the book.
    const base = idFor(`${c.bookmark.slice(5)}.md`);
    let id = base;
    for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${base}-${n}`;
    taken.add(id.toLowerCase());
    // What the reader noticed about the file as a whole (unsafe zip names…) is said once, on the first case.
    return { id, sector: c.sector, made: bookCase(model, c, id, fileName, config, [...(i === 0 ? model.notes : []), ...c.warnings]) };
  });
}

/** One case's file: the front-matter from the book's lines, the body from its paragraphs. */
function bookCase(
  model: DocxModel,
  c: { title: Paragraph; sector?: string; unit?: Paragraph; meta?: Paragraph; blocks: (Paragraph | Table)[] },
  id: string,
  fileName: string,
  config: ResolvedConfig,
  notes: readonly string[],
): ImportedCase {
  const warnings: string[] = [...notes];
  const paragraphs = [c.title, c.unit, c.meta, ...c.blocks.flatMap((b) => (b.type === 'paragraph' ? [b] : b.rows.flat().flatMap((cell) => cell.paragraphs)))];
  const revisions = paragraphs.reduce((n, p) => n + (p?.revisions ?? 0), 0);
  if (revisions) warnings.push(revisionsNote(revisions).replace('文档中', '本案例中'));
  const comments = paragraphs.reduce((n, p) => n + (p?.comments ?? 0), 0);
  if (comments) warnings.push(commentsNote(comments).replace('文档中', '本案例中'));
  const body = toMarkdown({ ...model, blocks: c.blocks }, id, (n) => imageExtension(model, n, warnings), config.lint.sections, { book: true });
  warnings.push(...body.warnings);
  const at = (p: Paragraph) => `第 ${p.index} 段`;
  const title = text(c.title);
  const unit = c.unit ? text(c.unit) : '';
  const fields: ImportedCase['fields'] = {
    title: title ? { value: title, from: 'document', because: at(c.title) } : { from: 'missing' },
    unit: unit ? { value: unit, from: 'document', because: at(c.unit!) } : { from: 'missing' },
    sector: c.sector ? { value: c.sector, from: 'document', because: '所在的篇' } : { from: 'missing' },
    measure: { from: 'missing' },
    mechanism: { from: 'missing' },
  };
  if (!unit) warnings.push('标题下没有“案例单位”一行，unit 未能填写');
  if (!c.sector) warnings.push('没有找到案例所在的篇，sector 未能填写');
  if (c.meta) {
    const meta = readMetaLine(text(c.meta), config);
    if (meta.measure.length) fields.measure = { value: meta.measure, from: 'document', because: at(c.meta) };
    if (meta.mechanism) fields.mechanism = { value: meta.mechanism, from: 'document', because: at(c.meta) };
    warnings.push(...meta.problems);
  } else warnings.push('标题下没有“案例信息”一行（举措与工作机制），measure 和 mechanism 未能填写');
  return assembleCase(model, body, fields, { source: fileName, id }, warnings);
}

/**
 * The metadata line, `举措1　名称；举措5　名称　工作机制：四融四促（市国资系统）` (docx/book.ts metaLine): measure
 * numbers and the mechanism's name, each checked against huibian.yaml; what does not match is said, not guessed.
 */
export function readMetaLine(line: string, config: ResolvedConfig): { measure: number[]; mechanism?: string; problems: string[] } {
  const problems: string[] = [];
  const measure: number[] = [];
  for (const m of line.matchAll(/举措\s*(\d+)/g)) {
    const n = Number(m[1]);
    if (!findMeasure(config, n)) problems.push(`案例信息一行中的“举措${n}”不在 huibian.yaml 的举措中，未填入 measure`);
    else if (!measure.includes(n)) measure.push(n);
  }
  if (!measure.length && !problems.length) problems.push(`案例信息一行“${line}”中没有“举措N”，measure 未能填写`);
  const named = mechanismNamed(line);
  let mechanism: string | undefined;
  if (named === undefined) problems.push(`案例信息一行“${line}”中没有“工作机制：”，mechanism 未能填写`);
  else {
    const found = findMechanism(config, named);
    if (found) mechanism = found.name;
    else problems.push(`案例信息一行中的工作机制“${named}”不在 huibian.yaml 中，未填入 mechanism`);
  }
  return { measure, mechanism, problems };
}

/**
 * What follows “工作机制：” on the line, less a closing note in brackets (“（试行）”) and the spaces around it. Taken
 * apart step by step: one regular expression for all of it (a lazy name, then optional spaces and note) retried the
 * name at every space of a long run, and a line with 5,000 spaces in it took 22 s.
 */
function mechanismNamed(line: string): string | undefined {
  const label = /工作机制\s*[:：]\s*/.exec(line);
  if (!label) return undefined;
  let name = line.slice(label.index + label[0].length).trimEnd();
  const note = /[（(][^（）()]*[）)]$/.exec(name);
  if (note && note.index > 0) name = name.slice(0, note.index).trimEnd();
  return name && !/[\n\r\u2028\u2029]/.test(name) ? name : undefined;
}

/** A part title's sector: its `part-<key>` bookmark, else its words (`一、机关篇`) against the sectors' labels. */
function partSector(p: Paragraph, config: ResolvedConfig): string | undefined {
  for (const b of p.bookmarks ?? []) {
    if (b.startsWith('part-')) {
      const sector = findSector(config, b.slice(5));
      if (sector) return sector.key;
    }
  }
  const label = text(p).replace(/^[一二三四五六七八九十百零〇]+[、．.]\s*/, '').replace(/篇$/, '');
  return findSector(config, label)?.key;
}

function text(p: Paragraph): string {
  return p.inlines
    .map((i) => (i.type === 'text' ? i.text : i.type === 'link' ? i.children.map((c) => (c.type === 'text' ? c.text : '')).join('') : ''))
    .join('')
    .trim();
}
