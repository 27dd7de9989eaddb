/**
 * A .docx package → a small document model: paragraphs (with style, outline level, rendered numbering, alignment,
 * size, fonts and bold runs), tables, images, footnotes and links, each paragraph numbered as Word's reader counts
 * them (第 N 段). Everything after this works on the model, not on XML.
 */
import { posix } from 'node:path';
import { formatBytes } from '../case/limits.js';
import { nextLabel, readNumbering, type NumberLabel, type Numbering } from './numbering.js';
import { child, childrenNamed, descendants, parseXml, textOf, val, type XmlElement } from './xml.js';
import { ImportError, openZip, zipLimits, type ZipPackage } from './zip.js';

export type Inline =
  | { type: 'text'; text: string; bold: boolean; font?: string; size?: number }
  | { type: 'break' }
  | { type: 'image'; image: number }
  | { type: 'footnote'; id: string }
  | { type: 'link'; href: string; children: Inline[] };

export interface Paragraph {
  type: 'paragraph';
  /** 第 N 段: the N-th paragraph with text or an image, counted through the body (table cells included). */
  index: number;
  styleId?: string;
  styleName?: string;
  /** 0-based outline level from the paragraph or its style (Heading 1 → 0). */
  outline?: number;
  label?: NumberLabel;
  align?: string;
  inlines: Inline[];
  /** Names of the bookmarks that start in it (huibian's book marks each case title `case-<id>`). */
  bookmarks?: string[];
  /** Tracked changes in it (w:ins, w:del, moves, a deleted mark): its text is read as if they were all accepted. */
  revisions?: number;
  /** Comments (批注) anchored in it: not imported, only counted so the editor is told to read them in Word. */
  comments?: number;
}

export interface TableCell {
  paragraphs: Paragraph[];
  span: number;
  vMerge?: 'restart' | 'continue';
}

export interface Table {
  type: 'table';
  rows: TableCell[][];
}

export interface DocImage {
  /** Where it is in the package (word/media/image1.png), or the external target. */
  target: string;
  external: boolean;
  data?: Buffer;
  /** Why it was not read (too big, missing). */
  problem?: string;
}

export interface DocxModel {
  blocks: (Paragraph | Table)[];
  footnotes: Map<string, Paragraph[]>;
  images: DocImage[];
  /** Things the reader noticed that the user should hear about (unsafe names, external links…). */
  notes: string[];
  /** The body text's usual size in half-points (docDefaults or Normal), to tell a larger title apart. */
  bodySize?: number;
  /** Tracked changes met in the body (insertions, deletions, moves): the text is read with them accepted. */
  revisions: number;
  /** Comments (批注) anchored in the body. */
  comments: number;
}

interface Style {
  name?: string;
  /** Numbering the style carries (Word links heading styles to a list this way). */
  numId?: string;
  ilvl?: number;
  basedOn?: string;
  outline?: number;
  bold?: boolean;
  size?: number;
  font?: string;
  align?: string;
}

/** Read a .docx held in memory. Rejects with an ImportError for anything that is not a readable Word document. */
export async function readDocx(data: Buffer): Promise<DocxModel> {
  const zip = await openZip(data);
  try {
    return await readPackage(zip);
  } finally {
    zip.close();
  }
}

async function readPackage(zip: ZipPackage): Promise<DocxModel> {
  const notes: string[] = [];
  if (zip.unsafeNames.length) notes.push(`zip 包中有 ${zip.unsafeNames.length} 个条目名指向包外（如“${zip.unsafeNames[0]}”），已忽略，不会写出`);
  const xml = async (name: string) => (zip.entries.has(name) ? parseXml((await zip.read(name, zipLimits.xmlBytes)).toString('utf8'), name) : undefined);
  const types = await xml('[Content_Types].xml');
  const main = mainPart(types, zip);
  if (!main) {
    if (zip.entries.has('content.xml')) throw new ImportError('这是 OpenDocument（.odt）文件而不是 Word 文件；请在 WPS 或 Word 中另存为 .docx');
    throw new ImportError('zip 包中没有 Word 正文（word/document.xml），不是 Word 文件');
  }
  const dir = posix.dirname(main);
  const relsOf = async (part: string) => readRels(await xml(posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`)));
  const rels = await relsOf(main);
  const styles = readStyles(await xml(posix.join(dir, 'styles.xml')));
  const numbering = readNumbering(await xml(posix.join(dir, 'numbering.xml')));
  const images: DocImage[] = [];
  const imageIds = new Map<string, number>();
  const reader: Reader = { pendingBoxes: [], styles, numbering, images, imageIds, notes, zip, dir, rels, counter: { n: 0 }, revisions: { n: 0 }, comments: { n: 0 } };

  const document = await xml(main);
  const body = child(child(document, 'w:document'), 'w:body');
  if (!body) throw new ImportError(`${main} 中没有正文（w:body）`);
  const blocks = readBlocks(body, reader);

  // Footnotes and endnotes (尾注) both become Markdown footnotes; endnote ids are kept apart with an `e`.
  const footnotes = new Map<string, Paragraph[]>();
  for (const kind of ['footnote', 'endnote'] as const) {
    const target = [...rels.values()].find((r) => r.type.endsWith(`/${kind}s`));
    if (!target || target.external) continue;
    const part = posix.join(dir, target.target);
    const root = await xml(part);
    const noteReader: Reader = { ...reader, rels: await relsOf(part), counter: { n: 0 } };
    for (const note of childrenNamed(child(root, `w:${kind}s`), `w:${kind}`)) {
      const type = note.attrs['w:type'];
      if (type === 'separator' || type === 'continuationSeparator' || type === 'continuationNotice') continue;
      const id = `${kind === 'endnote' ? 'e' : ''}${note.attrs['w:id'] ?? ''}`;
      footnotes.set(id, readBlocks(note, noteReader).filter((b): b is Paragraph => b.type === 'paragraph'));
    }
  }

  // Images last, once their count is known: each is bounded on its own and by the package total.
  for (const image of images) {
    if (image.external) continue;
    const entry = zip.entries.get(image.target);
    if (!entry) {
      image.problem = `图片 ${image.target} 不在文件中`;
      continue;
    }
    if (entry.size > zipLimits.imageBytes) {
      image.problem = `图片 ${posix.basename(image.target)} 有 ${formatBytes(entry.size)}，超过单张图片 ${formatBytes(zipLimits.imageBytes)} 的上限，未导入`;
      continue;
    }
    try {
      image.data = await zip.read(image.target, zipLimits.imageBytes);
    } catch (error) {
      if (!(error instanceof ImportError)) throw error;
      image.problem = error.message;
    }
  }
  return { blocks, footnotes, images, notes, bodySize: styles.get('#default')?.size, revisions: reader.revisions.n, comments: reader.comments.n };
}

function mainPart(types: XmlElement | undefined, zip: ZipPackage): string | undefined {
  for (const o of childrenNamed(child(types, 'Types'), 'Override')) {
    const type = o.attrs.ContentType ?? '';
    // .docx, .docm (macro-enabled: its macros are a separate part that is never read), .dotx, .dotm.
    if (/wordprocessingml\.document\.main\+xml$|ms-word\.(document|template)\.macroEnabled(?:Template)?\.main\+xml$|wordprocessingml\.template\.main\+xml$/.test(type)) {
      const name = (o.attrs.PartName ?? '').replace(/^\//, '');
      if (zip.entries.has(name)) return name;
    }
  }
  return zip.entries.has('word/document.xml') ? 'word/document.xml' : undefined;
}

interface Rel {
  type: string;
  target: string;
  external: boolean;
}

function readRels(root: XmlElement | undefined): Map<string, Rel> {
  const rels = new Map<string, Rel>();
  for (const r of childrenNamed(child(root, 'Relationships'), 'Relationship')) {
    rels.set(r.attrs.Id ?? '', { type: r.attrs.Type ?? '', target: r.attrs.Target ?? '', external: r.attrs.TargetMode === 'External' });
  }
  return rels;
}

function readStyles(root: XmlElement | undefined): Map<string, Style> {
  const styles = new Map<string, Style>();
  const top = child(root, 'w:styles');
  const defaults = child(child(child(top, 'w:docDefaults'), 'w:rPrDefault'), 'w:rPr');
  styles.set('#default', { size: numberVal(defaults, 'w:sz'), font: fontOf(defaults) });
  for (const s of childrenNamed(top, 'w:style')) {
    const id = s.attrs['w:styleId'];
    if (!id) continue;
    const pPr = child(s, 'w:pPr');
    const rPr = child(s, 'w:rPr');
    const name = val(s, 'w:name');
    // Word's built-in headings carry an outline level; a copy saved by other programs may only have the name.
    const named = /^(?:heading|标题)\s*([1-9])$/i.exec(name ?? '');
    const outline = numberVal(pPr, 'w:outlineLvl') ?? (named ? Number(named[1]) - 1 : undefined);
    const numPr = child(pPr, 'w:numPr');
    styles.set(id, {
      name,
      numId: val(numPr, 'w:numId'),
      ilvl: numberVal(numPr, 'w:ilvl'),
      basedOn: val(s, 'w:basedOn'),
      outline: outline !== undefined && outline < 9 ? outline : undefined,
      bold: onOff(rPr, 'w:b'),
      size: numberVal(rPr, 'w:sz'),
      font: fontOf(rPr),
      align: val(pPr, 'w:jc'),
    });
    if (s.attrs['w:default'] === '1' && s.attrs['w:type'] === 'paragraph') {
      const base = styles.get('#default')!;
      styles.set('#default', { size: numberVal(rPr, 'w:sz') ?? base.size, font: fontOf(rPr) ?? base.font });
    }
  }
  return styles;
}

/** A style property, looked up through basedOn (with a bound: a loop of basedOn must not hang). */
function styleProp<K extends keyof Style>(styles: Map<string, Style>, id: string | undefined, key: K): Style[K] | undefined {
  for (let i = 0; id && i < 20; i++) {
    const s = styles.get(id);
    if (!s) return undefined;
    if (s[key] !== undefined) return s[key];
    id = s.basedOn;
  }
  return undefined;
}

function numberVal(element: XmlElement | undefined, name: string): number | undefined {
  const v = val(element, name);
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

function onOff(element: XmlElement | undefined, name: string): boolean | undefined {
  const e = child(element, name);
  if (!e) return undefined;
  const v = e.attrs['w:val'];
  return v === undefined || !['0', 'false', 'off'].includes(v);
}

function fontOf(rPr: XmlElement | undefined): string | undefined {
  const f = child(rPr, 'w:rFonts');
  return f?.attrs['w:eastAsia'] ?? f?.attrs['w:ascii'] ?? f?.attrs['w:hAnsi'];
}

interface Reader {
  /** Text-box contents read inside the paragraph just read, to be placed after it. */
  pendingBoxes: (Paragraph | Table)[];
  styles: Map<string, Style>;
  numbering: Numbering;
  images: DocImage[];
  imageIds: Map<string, number>;
  notes: string[];
  zip: ZipPackage;
  dir: string;
  rels: Map<string, Rel>;
  counter: { n: number };
  /** Tracked changes seen, shared by the body and the notes. */
  revisions: { n: number };
  /** Comment references seen. */
  comments: { n: number };
}

function readBlocks(container: XmlElement, r: Reader): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  // A paragraph whose mark was deleted with tracking on runs on into the next one once the change is accepted.
  let joined: Paragraph | undefined;
  for (const c of container.children) {
    if (typeof c === 'string') continue;
    if (c.name === 'w:p') {
      let paragraph = readParagraph(c, r);
      if (joined) paragraph = joinParagraphs(joined, paragraph, r);
      joined = undefined;
      if (child(child(child(c, 'w:pPr'), 'w:rPr'), 'w:del')) {
        r.revisions.n++;
        joined = { ...paragraph, revisions: (paragraph.revisions ?? 0) + 1 };
        continue;
      }
      // A 目录 line (TOC 1…, 目录 1…, the TOC heading) repeats the headings: counted as Word counts it, not kept.
      if (tocStyle.test(paragraph.styleName ?? '')) r.pendingBoxes.splice(0);
      else out.push(paragraph, ...r.pendingBoxes.splice(0));
    }
    else if (c.name === 'w:tbl') {
      // A table of one cell is a frame around text (some units put the whole case in one), not a table.
      const rows = childrenNamed(c, 'w:tr');
      const cells = rows.length === 1 ? childrenNamed(rows[0], 'w:tc') : [];
      if (cells.length === 1) out.push(...readBlocks(cells[0]!, r));
      else out.push(readTable(c, r));
    }
    // Content controls, custom XML and tracked insertions wrap ordinary blocks.
    else if (c.name === 'w:sdt') {
      const content = readBlocks(child(c, 'w:sdtContent') ?? c, r);
      // Word's 目录 (a Table of Contents building block) is read for the paragraph count and left out.
      const gallery = val(child(child(c, 'w:sdtPr'), 'w:docPartObj'), 'w:docPartGallery');
      if (gallery !== 'Table of Contents') out.push(...content);
    }
    else if (c.name === 'w:customXml' || c.name === 'w:ins' || c.name === 'w:smartTag') out.push(...readBlocks(c, r));
  }
  if (joined) out.push(joined, ...r.pendingBoxes.splice(0));
  return out;
}

/** `first` with its mark deleted, run on into `next`: one paragraph, counted once, with `first`'s style. */
function joinParagraphs(first: Paragraph, next: Paragraph, r: Reader): Paragraph {
  const inlines = [...first.inlines, ...next.inlines];
  const bookmarks = [...(first.bookmarks ?? []), ...(next.bookmarks ?? [])];
  const counted = [first, next].filter((p) => p.index > 0).length;
  r.counter.n -= counted;
  const index = counted ? ++r.counter.n : 0;
  const comments = (first.comments ?? 0) + (next.comments ?? 0);
  return { ...first, index, inlines, bookmarks: bookmarks.length ? bookmarks : undefined, revisions: (first.revisions ?? 0) + (next.revisions ?? 0), comments: comments || undefined };
}

/** The styles of a table of contents, in Word's English and Chinese names ("toc 1", "TOC Heading", "目录 1", "目录标题"). */
const tocStyle = /^(?:toc\s*[1-9]|toc heading|目录\s*[1-9]|目录标题)$/i;

function readTable(tbl: XmlElement, r: Reader): Table {
  const rows: TableCell[][] = [];
  for (const tr of childrenNamed(tbl, 'w:tr')) {
    const row: TableCell[] = [];
    for (const tc of childrenNamed(tr, 'w:tc')) {
      const tcPr = child(tc, 'w:tcPr');
      const vm = child(tcPr, 'w:vMerge');
      row.push({
        paragraphs: readBlocks(tc, r).flatMap((b) => (b.type === 'paragraph' ? [b] : b.rows.flat().flatMap((cell) => cell.paragraphs))),
        span: Math.max(1, Math.min(64, numberVal(tcPr, 'w:gridSpan') ?? 1)),
        vMerge: vm ? (vm.attrs['w:val'] === 'restart' ? 'restart' : 'continue') : undefined,
      });
    }
    rows.push(row);
  }
  return { type: 'table', rows };
}

function readParagraph(p: XmlElement, r: Reader): Paragraph {
  const pPr = child(p, 'w:pPr');
  const styleId = val(pPr, 'w:pStyle');
  const style = styleId ? r.styles.get(styleId) : undefined;
  const ownOutline = numberVal(pPr, 'w:outlineLvl');
  const outline = ownOutline !== undefined ? (ownOutline < 9 ? ownOutline : undefined) : styleProp(r.styles, styleId, 'outline');
  let label: NumberLabel | undefined;
  const numPr = child(pPr, 'w:numPr');
  const styleNum = styleProp(r.styles, styleId, 'numId');
  const fromStyle = styleNum !== undefined ? { numId: styleNum, ilvl: styleProp(r.styles, styleId, 'ilvl') ?? 0 } : styleId ? r.numbering.styleNumbering.get(styleId) : undefined;
  const numId = val(numPr, 'w:numId') ?? fromStyle?.numId;
  if (numId !== undefined) label = nextLabel(r.numbering, numId, Number(val(numPr, 'w:ilvl') ?? fromStyle?.ilvl ?? 0));
  const context: RunContext = { bold: styleProp(r.styles, styleId, 'bold') ?? false, size: styleProp(r.styles, styleId, 'size'), font: styleProp(r.styles, styleId, 'font'), field: [], bookmarks: [], revisions: 0, comments: 0 };
  const inlines = readInlines(p, r, context);
  if (context.boxes?.length) r.pendingBoxes.push(...context.boxes);
  const paragraph: Paragraph = { type: 'paragraph', index: 0, styleId, styleName: style?.name, outline, label, align: val(pPr, 'w:jc') ?? styleProp(r.styles, styleId, 'align'), inlines };
  if (context.bookmarks.length) paragraph.bookmarks = context.bookmarks;
  if (context.revisions) {
    paragraph.revisions = context.revisions;
    r.revisions.n += context.revisions;
  }
  if (context.comments) {
    paragraph.comments = context.comments;
    r.comments.n += context.comments;
  }
  if (inlines.some((i) => i.type === 'image' || (i.type === 'text' && i.text.trim()) || i.type === 'link')) paragraph.index = ++r.counter.n;
  return paragraph;
}

interface RunContext {
  /** Paragraphs of text boxes met in this paragraph: they follow it in the body. */
  boxes?: (Paragraph | Table)[];
  bold: boolean;
  size?: number;
  font?: string;
  /** Complex fields open around this point: 'code' until w:fldChar separate, then 'result'. */
  field: ('code' | 'result')[];
  /** Bookmarks starting in the paragraph, by name. */
  bookmarks: string[];
  /** Tracked insertions, deletions and moves met in the paragraph. */
  revisions: number;
  comments: number;
}

function readInlines(container: XmlElement, r: Reader, ctx: RunContext): Inline[] {
  const out: Inline[] = [];
  for (const c of container.children) {
    if (typeof c === 'string') continue;
    switch (c.name) {
      case 'w:r':
        out.push(...readRun(c, r, ctx));
        break;
      case 'w:hyperlink': {
        const children = readInlines(c, r, ctx);
        const rel = c.attrs['r:id'] ? r.rels.get(c.attrs['r:id']) : undefined;
        if (rel?.external && /^(https?:|mailto:)/i.test(rel.target)) out.push({ type: 'link', href: rel.target, children });
        else out.push(...children);
        break;
      }
      case 'w:ins':
      case 'w:moveTo':
        // Tracked insertions are read as accepted: their text is the paragraph's text.
        ctx.revisions++;
        out.push(...readInlines(c, r, ctx));
        break;
      case 'w:del':
      case 'w:moveFrom':
        // Tracked deletions (and text moved away) are read as accepted: gone.
        ctx.revisions++;
        break;
      case 'w:bookmarkStart':
        if (c.attrs['w:name'] && !c.attrs['w:name'].startsWith('_')) ctx.bookmarks.push(c.attrs['w:name']);
        break;
      case 'w:fldSimple':
      case 'w:smartTag':
      case 'w:customXml':
      case 'w:dir':
      case 'w:bdo':
        out.push(...readInlines(c, r, ctx));
        break;
      case 'w:sdt':
        out.push(...readInlines(child(c, 'w:sdtContent') ?? c, r, ctx));
        break;
      // w:pPr, bookmark ends, comments, proofing marks: nothing to show.
    }
  }
  return out;
}

function readRun(run: XmlElement, r: Reader, ctx: RunContext): Inline[] {
  const rPr = child(run, 'w:rPr');
  const charStyle = val(rPr, 'w:rStyle');
  const bold = onOff(rPr, 'w:b') ?? onOff(rPr, 'w:bCs') ?? (charStyle ? styleProp(r.styles, charStyle, 'bold') : undefined) ?? ctx.bold;
  const size = numberVal(rPr, 'w:sz') ?? ctx.size;
  const font = fontOf(rPr) ?? ctx.font;
  const out: Inline[] = [];
  const hidden = onOff(rPr, 'w:vanish') === true;
  for (const c of run.children) {
    if (typeof c === 'string') continue;
    if (c.name === 'w:fldChar') {
      const type = c.attrs['w:fldCharType'];
      if (type === 'begin') ctx.field.push('code');
      else if (type === 'separate' && ctx.field.length) ctx.field[ctx.field.length - 1] = 'result';
      else if (type === 'end') ctx.field.pop();
      continue;
    }
    if (ctx.field.includes('code') || hidden) continue;
    switch (c.name) {
      case 'w:t':
        out.push({ type: 'text', text: textOf(c), bold, font, size });
        break;
      case 'w:tab':
        out.push({ type: 'text', text: ' ', bold, font, size });
        break;
      case 'w:br':
      case 'w:cr':
        if (c.attrs['w:type'] !== 'page' && c.attrs['w:type'] !== 'column') out.push({ type: 'break' });
        break;
      case 'w:noBreakHyphen':
        out.push({ type: 'text', text: '-', bold, font, size });
        break;
      case 'w:footnoteReference':
        out.push({ type: 'footnote', id: c.attrs['w:id'] ?? '' });
        break;
      case 'w:commentReference':
        ctx.comments++;
        break;
      case 'w:endnoteReference':
        out.push({ type: 'footnote', id: `e${c.attrs['w:id'] ?? ''}` });
        break;
      case 'w:drawing':
      case 'w:pict':
      case 'w:object':
      case 'mc:AlternateContent':
        out.push(...imagesIn(c, r));
        textBoxes(c, r, ctx);
        break;
    }
  }
  return out;
}

/** Text boxes (w:txbxContent) in a drawing: their paragraphs are read once (Word stores them twice, in Choice and Fallback). */
function textBoxes(element: XmlElement, r: Reader, ctx: RunContext): void {
  const branches = element.name === 'mc:AlternateContent' ? element.children.filter((b): b is XmlElement => typeof b !== 'string') : [element];
  for (const branch of branches) {
    const boxes = descendants(branch, 'w:txbxContent');
    if (!boxes.length) continue;
    // A text box inside a text box is found by descendants() too: only the outermost ones are read.
    const outer = boxes.filter((b) => !boxes.some((o) => o !== b && descendants(o, 'w:txbxContent').includes(b)));
    const saved = r.pendingBoxes.splice(0);
    for (const box of outer) (ctx.boxes ??= []).push(...readBlocks(box, r));
    r.pendingBoxes.push(...saved);
    return;
  }
}

/** The pictures inside a drawing (DrawingML a:blip or VML v:imagedata), as references into the model's image list. */
function imagesIn(element: XmlElement, r: Reader): Inline[] {
  // mc:AlternateContent holds the same picture twice (Choice and Fallback): read the first that has one.
  if (element.name === 'mc:AlternateContent') {
    for (const branch of element.children) {
      if (typeof branch === 'string') continue;
      const found = imagesIn(branch, r);
      if (found.length) return found;
    }
    return [];
  }
  const ids: string[] = [];
  for (const blip of descendants(element, 'a:blip')) {
    // An SVG inserted in Word 2016+ (and huibian's book) is the a:blip's extension; the blip itself is a PNG drawn from it.
    const svg = descendants(blip, 'asvg:svgBlip')[0];
    const id = svg?.attrs['r:embed'] ?? blip.attrs['r:embed'] ?? blip.attrs['r:link'];
    if (id) ids.push(id);
  }
  for (const v of descendants(element, 'v:imagedata')) if (v.attrs['r:id']) ids.push(v.attrs['r:id']);
  const out: Inline[] = [];
  for (const id of ids) {
    const rel = r.rels.get(id);
    if (!rel) continue;
    const key = rel.external ? `external:${rel.target}` : posix.normalize(posix.join(r.dir, rel.target));
    let n = r.imageIds.get(key);
    if (n === undefined) {
      n = r.images.length;
      r.images.push({ target: rel.external ? rel.target : key, external: rel.external });
      r.imageIds.set(key, n);
      if (rel.external) r.notes.push(`图片链接到文件外的“${rel.target}”（TargetMode="External"），不会去取，请把图片插入文档本身`);
    }
    out.push({ type: 'image', image: n });
  }
  return out;
}
