/**
 * The document model → the body of a case in one canonical Markdown form: headings at the book's levels, paragraphs
 * with Word's indents and soft breaks undone, bold kept, lists, GFM tables, images with their `图N` captions, and
 * footnotes. Also finds the title and the unit, and remembers which Word paragraph each Markdown line came from.
 */
import type { DocxModel, Inline, Paragraph, Table } from './docx.js';

/** What the body writer found and made. */
export interface ImportedBody {
  title?: { text: string; paragraph: number };
  unit?: { text: string; paragraph: number };
  /** The Markdown body, ending with one newline. */
  markdown: string;
  /** For each line of `markdown` (0-based), the Word paragraph it came from (0: none) and that paragraph's text. */
  lines: { paragraph: number; text: string }[];
  /** Image numbers in the order the body uses them, each with the file name it gets. */
  images: { image: number; file: string; caption?: string }[];
  warnings: string[];
  /** Headings written, by level (2 = ##). */
  headings: { level: number; text: string }[];
}

/** A date on a line of its own: 2024年12月, 2024年12月5日, 二〇二四年十二月. */
const dateLine = /^[（(]?\s*[\d〇○零一二三四五六七八九]{4}\s*年\s*[\d一二三四五六七八九十]{1,3}\s*月(\s*[\d一二三四五六七八九十]{1,3}\s*日)?\s*[）)]?$/;

/** How Word paragraphs are told apart from headings. */
const typed: { level: number; pattern: RegExp }[] = [
  { level: 2, pattern: /^(?:[一二三四五六七八九十百零〇]+[、．.]|第[一二三四五六七八九十]+(?:部分|章)\s*)/ },
  { level: 3, pattern: /^[（(][一二三四五六七八九十百零〇]+[）)]/ },
  { level: 4, pattern: /^\d{1,2}[.．、](?!\d)/ },
  { level: 5, pattern: /^[（(]\d{1,2}[）)]/ },
];
const headingFonts = /黑体|楷体|楷|hei|kai|simhei|小标宋|标宋/i;
const cjk = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’—…·]/;

interface Block {
  kind: 'heading' | 'paragraph' | 'bullet' | 'ordered' | 'table' | 'image';
  level?: number;
  number?: number;
  text: string;
  paragraph: number;
  source: string;
  /** Set in a caption style (题注): the picture's caption whatever its words. */
  caption?: boolean;
}

export interface MarkdownOptions {
  /**
   * The blocks are one case of a book huibian exported (import/book.ts): no title or unit to find (the book has them
   * in their own styles), headings only from the heading styles (标题 3 is `##`), captions from the caption style.
   */
  book?: boolean;
}

/** Build the body (and title, unit) from a model. `id` names the images (`images/<id>-1.png`). */
export function toMarkdown(
  model: DocxModel,
  id: string,
  imageExt: (image: number) => string | undefined,
  sections: readonly string[] = [],
  options: MarkdownOptions = {},
): ImportedBody {
  const book = options.book === true;
  const warnings: string[] = [];
  const paragraphs = model.blocks;
  const plain = (p: Paragraph) => plainText(p);
  // Title and unit: the Title style, else the first centred paragraph larger than the body; the unit is the short line under it.
  const all = paragraphs.filter((b): b is Paragraph => b.type === 'paragraph' && b.index > 0);
  // 公文 put “附件2” (or “案例3”) above the title: a label for the mailing, not part of the case.
  const preamble = new Set<Paragraph>();
  for (const p of book ? [] : all.slice(0, 2)) {
    if (/^(?:附件|附|案例|典型案例)\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?$/.test(plain(p).trim())) preamble.add(p);
    else break;
  }
  const flat = all.filter((p) => !preamble.has(p));
  const bodySize = commonSize(flat, model.bodySize);
  let titleP = book ? undefined : flat.find((p) => /^(title|标题)$/i.test(p.styleName ?? p.styleId ?? ''));
  if (!titleP && !book) {
    const first = flat.slice(0, 3).find((p) => p.align === 'center' && !hasImage(p));
    if (first && (sizeOf(first) ?? 0) > (bodySize ?? 0)) titleP = first;
    else if (first && !/[。；]$/.test(plain(first))) titleP = first;
    else {
      // Not centred: the first paragraph still is the title when it is larger or bold, short, and not a sentence.
      const p = flat[0];
      const text = p ? plain(p) : '';
      // A heading style used for the title alone (Heading 1 once, Heading 2 for the sections) counts as the title too.
      const onlyAtItsLevel = p?.outline !== undefined && !flat.some((q) => q !== p && q.outline !== undefined && q.outline <= p.outline!);
      if (p && !hasImage(p) && text.length <= 60 && !/[。；]$/.test(text) && (onlyAtItsLevel || !levelOf(p, text)) && ((sizeOf(p) ?? 0) > (bodySize ?? 0) || headingCue(p) || onlyAtItsLevel)) titleP = p;
    }
  }
  // A title in two lines (main title, then a subtitle that starts with —— or is set as large): one title.
  let subtitleP: Paragraph | undefined;
  if (titleP) {
    const next = flat[flat.indexOf(titleP) + 1];
    const text = next ? plain(next) : '';
    if (next && !hasImage(next) && (/^[—－-]{1,2}/.test(text) || (next.align === titleP.align && (sizeOf(next) ?? 0) >= (sizeOf(titleP) ?? 1) && (sizeOf(next) ?? 0) > (bodySize ?? 0))) && !levelOf(next, text)) subtitleP = next;
  }
  const title = titleP ? { text: joinBreaks(plain(titleP) + (subtitleP ? plain(subtitleP) : '')), paragraph: titleP.index } : undefined;
  let unitP: Paragraph | undefined;
  let dateP: Paragraph | undefined;
  if (titleP) {
    const next = flat[flat.indexOf(subtitleP ?? titleP) + 1];
    const text = next ? plain(next).trim() : '';
    if (next && !hasImage(next) && text.length <= 40 && !/[。；，]/.test(text) && !levelOf(next, text) && (next.align === 'center' || next.align === 'right' || text.length <= 30)) unitP = next;
  }
  if (unitP) {
    // A date line under the unit (2024年12月) belongs to the heading block, not the body.
    const next = flat[flat.indexOf(unitP) + 1];
    if (next && dateLine.test(plain(next).trim())) dateP = next;
  }
  const isDate = (p: Paragraph | undefined) => !!p && dateLine.test(plain(p).trim());
  let signDateP: Paragraph | undefined;
  if (!unitP && !book) {
    // No unit under the title: a 公文 signs at the end, the unit right-aligned above the date (落款).
    const topLevel = paragraphs.filter((b): b is Paragraph => b.type === 'paragraph' && b.index > 0);
    const last = topLevel[topLevel.length - 1];
    const sign = isDate(last) ? topLevel[topLevel.length - 2] : last;
    const text = sign ? plain(sign).trim() : '';
    if (sign && sign !== titleP && (sign.align === 'right' || sign.align === 'end') && text.length <= 40 && !/[。；，]/.test(text)) {
      unitP = sign;
      if (sign !== last) signDateP = last;
    }
  }
  const unit = unitP ? { text: cleanUnit(plain(unitP)), paragraph: unitP.index } : undefined;

  // Heading styles: the shallowest outline level in the body becomes ##.
  const outlines = flat.filter((p) => p !== titleP && p !== unitP && p.outline !== undefined).map((p) => p.outline!);
  const topOutline = book ? 2 : outlines.length ? Math.min(...outlines) : 0;

  const blocks: Block[] = [];
  const images: ImportedBody['images'] = [];
  const footnoteOrder: string[] = [];
  const render = (inlines: Inline[], inHeading = false) => renderInlines(inlines, { images, id, imageExt, footnoteOrder, inHeading, warnings, model });
  let mergedWarned = false;
  for (const block of paragraphs) {
    if (block.type === 'table') {
      // The header row is bold when printed anyway: its bold runs are not marked.
      const table = renderTable(block, render);
      if (table.merged && !mergedWarned) {
        warnings.push('表格有合并单元格：Markdown 表格不能合并，已在每个被合并的格中重复其文字，请核对');
        mergedWarned = true;
      }
      if (table.text) blocks.push({ kind: 'table', text: table.text, paragraph: table.paragraph, source: table.source });
      continue;
    }
    if (block === titleP || block === subtitleP || block === unitP || block === dateP || block === signDateP || preamble.has(block) || block.index === 0) continue;
    const text = plain(block).trim();
    const level = book ? (text && block.outline !== undefined ? Math.max(2, Math.min(6, block.outline - topOutline + 2)) : undefined) : levelOf(block, text, topOutline, sections, bodySize);
    if (hasImage(block)) {
      // Pictures get a block of their own; text in the same paragraph (often the 图N caption) follows as a paragraph.
      blocks.push({ kind: 'image', text: render(block.inlines.filter((i) => i.type === 'image')), paragraph: block.index, source: '' });
      if (!text) continue;
      const rest = block.inlines.filter((i) => i.type !== 'image');
      blocks.push({ kind: 'paragraph', text: render(rest), paragraph: block.index, source: inlineText(rest).trim() });
      continue;
    }
    if (level !== undefined) {
      const headingRuns = book ? undefined : runInHeading(block);
      if (headingRuns) {
        blocks.push({ kind: 'heading', level, text: oneLine(render(headingRuns.heading, true)), paragraph: block.index, source: text });
        blocks.push({ kind: 'paragraph', text: render(headingRuns.rest), paragraph: block.index, source: text });
      } else blocks.push({ kind: 'heading', level, text: oneLine(render(withLabel(block), true)), paragraph: block.index, source: text });
      continue;
    }
    if (block.label && !block.label.bullet && block.label.format !== 'none' && /^\d+[.)．、]?$/.test(block.label.text.trim()) === false && block.label.text) {
      // A numbered paragraph whose number is not a plain list number (e.g. 第一条): keep the number as text.
      blocks.push({ kind: 'paragraph', text: render(withLabel(block)), paragraph: block.index, source: text });
      continue;
    }
    if (block.label?.bullet) blocks.push({ kind: 'bullet', level: block.label.level, text: render(block.inlines), paragraph: block.index, source: text });
    else if (block.label && block.label.format !== 'none') blocks.push({ kind: 'ordered', level: block.label.level, number: Number(block.label.text.replace(/\D/g, '')) || 1, text: render(block.inlines), paragraph: block.index, source: text });
    else if (!book && typedBullet.test(text)) blocks.push({ kind: 'bullet', level: 0, text: render(withoutTypedBullet(block.inlines)), paragraph: block.index, source: text });
    else blocks.push({ kind: 'paragraph', text: render(block.inlines), paragraph: block.index, source: text, caption: book && isCaption(block) });
  }

  // Captions: a paragraph `图N …` right after (or before) an image paragraph becomes that image's alt text.
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    if (b.kind !== 'paragraph' || !(b.caption || /^图\s*\d+/.test(b.source))) continue;
    const image = blocks[i - 1]?.kind === 'image' ? blocks[i - 1] : blocks[i + 1]?.kind === 'image' ? blocks[i + 1] : undefined;
    if (!image || !/^!\[\]\(/.test(image.text)) continue;
    const caption = b.source.replace(/\s+/g, ' ');
    image.text = image.text.replace(/^!\[\]/, `![${escapeAlt(caption)}]`);
    const entry = images.find((im) => image.text.includes(im.file));
    if (entry) entry.caption = caption;
    blocks.splice(i, 1);
    i--;
  }

  const out: string[] = [];
  const lines: ImportedBody['lines'] = [];
  const push = (text: string, paragraph: number, source: string) => {
    for (const line of text.split('\n')) {
      out.push(line);
      lines.push({ paragraph, text: source });
    }
  };
  let previous: Block | undefined;
  for (const b of blocks) {
    if (!b.text.trim()) continue;
    const listContinues = previous && (b.kind === 'bullet' || b.kind === 'ordered') && previous.kind === b.kind;
    if (out.length && !listContinues) push('', 0, '');
    if (b.kind === 'heading') push(`${'#'.repeat(Math.min(6, b.level!))} ${b.text}`, b.paragraph, b.source);
    else if (b.kind === 'bullet') push(`${'  '.repeat(b.level ?? 0)}- ${b.text}`, b.paragraph, b.source);
    else if (b.kind === 'ordered') push(`${'   '.repeat(b.level ?? 0)}${b.number}. ${b.text}`, b.paragraph, b.source);
    else if (b.kind === 'paragraph') push(escapeLineStart(b.text), b.paragraph, b.source);
    else push(b.text, b.paragraph, b.source);
    previous = b;
  }
  // Footnotes, numbered in the order the text cites them.
  for (const [n, fid] of footnoteOrder.entries()) {
    const note = model.footnotes.get(fid) ?? [];
    const text = note.map((p) => render(p.inlines).replace(/\n/g, ' ').trim()).filter(Boolean).join(' ');
    if (n === 0) push('', 0, '');
    push(`[^${n + 1}]: ${text || '（空脚注）'}`, 0, '');
  }
  const headings = blocks.filter((b) => b.kind === 'heading').map((b) => ({ level: b.level!, text: b.text }));
  return { title, unit, markdown: `${out.join('\n')}\n`, lines, images, warnings, headings };
}

/** The unit as written under a title: （某某大学党委）, 报送单位：某某, 某某 供稿 → 某某. */
function cleanUnit(text: string): string {
  return text
    .trim()
    .replace(/^[（(](.*)[）)]$/, '$1')
    .replace(/^(?:报送单位|申报单位|推荐单位|单位)[:：]\s*/, '')
    .replace(/^[—－-]+\s*/, '')
    .replace(/\s*(?:供稿|报送|撰稿)$/, '')
    .trim();
}

/** Heading level (2 = ##) of a paragraph, or undefined for body text. */
function levelOf(p: Paragraph, text: string, topOutline = 0, sections: readonly string[] = [], bodySize?: number): number | undefined {
  if (!text) return undefined;
  const labelled = text; // plainText already starts with the rendered number
  const byStyle = p.outline !== undefined ? Math.min(6, p.outline - topOutline + 2) : undefined;
  const t = typed.find((t) => t.pattern.test(labelled));
  const cue = headingCue(p, bodySize);
  // A heading is short and one phrase; an item of a typed list ends with ；or ，and stays text.
  const short = labelled.length <= 40 && !/[。；]./.test(labelled) && !/[；;，,]$/.test(labelled);
  if (t) {
    if (t.level <= 3 && (short || cue || byStyle !== undefined || runInHeading(p))) return t.level;
    // `1.` under a heading style is the style's level (Word's outline numbering 1, 1.1 …); typed, it is a deeper heading.
    if (t.level > 3 && byStyle !== undefined) return byStyle;
    if (t.level > 3 && (cue || runInHeading(p)) && (short || runInHeading(p))) return t.level === 5 ? 5 : 4;
  }
  if (byStyle !== undefined && labelled.length <= 80) return byStyle;
  // No number and no style, but set apart (bold, 黑体) and named like one of the usual sections (基本情况…): a section.
  const name = labelled.replace(/(?<![\s:：])[\s:：]+$/u, '').replace(/\s+/gu, '');
  if (!t && cue && name.length <= 20 && sections.some((s) => name.startsWith(s.replace(/\s+/gu, '')))) return 2;
  return undefined;
}

/** The whole paragraph is bold, set in 黑体/楷体, or larger than the body: how 公文 marks a typed heading. */
function headingCue(p: Paragraph, bodySize?: number): boolean {
  const runs = p.inlines.filter((i): i is Extract<Inline, { type: 'text' }> => i.type === 'text' && !!i.text.trim());
  return runs.length > 0 && runs.every((r) => r.bold || headingFonts.test(r.font ?? '') || (!!bodySize && !!r.size && r.size > bodySize));
}

/**
 * 公文's run-in heading: `（一）加强领导。全市……`, its first sentence in 黑体/楷体/bold and the rest in the body font.
 * Returns the heading runs and the rest when the paragraph is one.
 */
function runInHeading(p: Paragraph): { heading: Inline[]; rest: Inline[] } | undefined {
  // An item of a Word-numbered list (1. 2. 3.) with a bold lead-in is a list item, not a heading.
  if (p.label && !/^[（(]?[一二三四五六七八九十百零〇]/.test(p.label.text)) return undefined;
  const inlines = withLabel(p);
  let split = 0;
  for (; split < inlines.length; split++) {
    const i = inlines[split]!;
    if (i.type !== 'text') break;
    if (!(i.bold || headingFonts.test(i.font ?? '')) && i.text.trim()) break;
  }
  if (split === 0 || split === inlines.length) return undefined;
  let head = inlines.slice(0, split);
  let rest = inlines.slice(split);
  // “（一）加强领导” in 楷体 and its full stop in the body font: the stop still ends the heading.
  const next = rest[0];
  if (next?.type === 'text' && /^[。：:]/.test(next.text)) {
    head = [...head, { ...next, text: next.text[0]! }];
    rest = [{ ...next, text: next.text.slice(1) }, ...rest.slice(1)];
  }
  const restText = rest.map((i) => (i.type === 'text' ? i.text : '')).join('').trim();
  const headText = head.map((i) => (i.type === 'text' ? i.text : '')).join('').trim();
  // Only a heading that ends a sentence and is followed by body text, not a bold phrase inside a sentence.
  if (!restText || !/[。：:！？]$/.test(headText) || !typed.some((t) => t.pattern.test(headText))) return undefined;
  return { heading: head, rest };
}

function withLabel(p: Paragraph): Inline[] {
  if (!p.label || p.label.bullet || !p.label.text) return trimStart(p.inlines);
  const first = p.inlines.find((i): i is Extract<Inline, { type: 'text' }> => i.type === 'text');
  return [{ type: 'text', text: labelText(p.label.text), bold: first?.bold ?? false, font: first?.font }, ...trimStart(p.inlines)];
}

/** Drop Word's typed indents (U+3000, spaces, tabs) at the start of a paragraph. */
/**
 * A bullet typed as a character (• or ● then a tab or space, as RTF writers, web pages and many units leave them)
 * rather than Word list formatting: still a list item.
 */
const typedBullet = /^[•●▪■◆◇►➢➤][\s\u3000\u00a0]*\S/u;

function withoutTypedBullet(inlines: Inline[]): Inline[] {
  const out = trimStart(inlines);
  const first = out[0];
  if (first?.type === 'text') out[0] = { ...first, text: first.text.replace(/^[•●▪■◆◇►➢➤]/u, '') };
  return trimStart(out);
}

function trimStart(inlines: Inline[]): Inline[] {
  const out = [...inlines];
  while (out.length) {
    const first = out[0]!;
    if (first.type === 'break') out.shift();
    else if (first.type === 'text') {
      const text = first.text.replace(/^[\s\u3000\u00a0]+/, '');
      if (text) {
        out[0] = { ...first, text };
        break;
      }
      out.shift();
    } else break;
  }
  return out;
}

/** A number ending in a digit or letter (1.1, A) is set apart from the text by a space, where Word shows a tab. */
function labelText(label: string): string {
  return /[0-9A-Za-z]$/.test(label) ? `${label} ` : label;
}

function plainText(p: Paragraph): string {
  const label = p.label && !p.label.bullet && p.label.text ? labelText(p.label.text) : '';
  return label + inlineText(p.inlines).trim();
}

function inlineText(inlines: Inline[]): string {
  return inlines.map((i) => (i.type === 'text' ? i.text : i.type === 'break' ? '\n' : i.type === 'link' ? inlineText(i.children) : '')).join('');
}

/** Word's caption style (题注), by id or by name: LibreOffice renames the id when it saves (Caption1). */
function isCaption(p: Paragraph): boolean {
  return p.styleId === 'Caption' || /^(caption|题注)$/i.test(p.styleName ?? '');
}

function hasImage(p: Paragraph): boolean {
  return p.inlines.some((i) => i.type === 'image');
}

function sizeOf(p: Paragraph): number | undefined {
  const sizes = p.inlines.flatMap((i) => (i.type === 'text' && i.size ? [i.size] : []));
  return sizes.length ? Math.max(...sizes) : undefined;
}

/** The body's size: the size most of the text is set in (runs without a size of their own have the default). */
function commonSize(ps: Paragraph[], fallback?: number): number | undefined {
  const chars = new Map<number, number>();
  for (const p of ps) {
    for (const i of p.inlines) {
      const size = i.type === 'text' ? (i.size ?? fallback) : undefined;
      if (size !== undefined) chars.set(size, (chars.get(size) ?? 0) + (i as { text: string }).text.length);
    }
  }
  let best: number | undefined;
  for (const [size, n] of chars) if (best === undefined || n > chars.get(best)!) best = size;
  return best ?? fallback;
}

/**
 * Soft breaks, with the spaces and tabs around them: nothing between two Chinese characters, one space otherwise. Found
 * by hand: the regular expression for it (spaces, a line break, spaces) tried a long run of spaces from each of them
 * (quadratic: 200,000 spaces in a paragraph took a minute).
 */
function joinBreaks(text: string): string {
  const pad = (c: string | undefined) => c === ' ' || c === '\t' || c === '\u3000';
  let out = '';
  let done = 0;
  for (let br = text.indexOf('\n'); br >= 0; br = text.indexOf('\n', done)) {
    let start = br;
    while (start > done && pad(text[start - 1])) start--;
    let end = br + 1;
    while (end < text.length && pad(text[end])) end++;
    out += text.slice(done, start) + (cjk.test(text[start - 1] ?? '') || cjk.test(text[end] ?? '') ? '' : ' ');
    done = end;
  }
  return (out + text.slice(done)).trim();
}

function oneLine(text: string): string {
  return text.replace(/\n/g, '').trimEnd();
}

interface RenderContext {
  images: ImportedBody['images'];
  id: string;
  imageExt: (image: number) => string | undefined;
  footnoteOrder: string[];
  inHeading: boolean;
  warnings: string[];
  model: DocxModel;
}

/** Inline content → Markdown: runs merged, bold as `**`, soft breaks joined, images and footnote marks in place. */
function renderInlines(inlines: Inline[], ctx: RenderContext): string {
  // Merge neighbouring runs of the same weight first (Word splits runs mid-word for revision ids and spell checks).
  const merged: (Inline | { type: 'text'; text: string; bold: boolean })[] = [];
  for (const i of trimStart(inlines)) {
    const last = merged[merged.length - 1];
    if (i.type === 'text' && last?.type === 'text' && (last.bold === i.bold || !i.text.trim())) last.text += i.text;
    else merged.push(i.type === 'text' ? { type: 'text', text: i.text, bold: i.bold } : i);
  }
  let out = '';
  for (const i of merged) {
    if (i.type === 'text') {
      const text = escapeInline(i.text);
      if (i.bold && !ctx.inHeading && text.trim()) {
        // `**` must hug the text: spaces go outside it.
        const core = text.trim();
        const lead = text.slice(0, text.length - text.trimStart().length);
        out += `${lead}**${core}**${text.slice(lead.length + core.length)}`;
      } else out += text;
    } else if (i.type === 'break') out += '\n';
    else if (i.type === 'footnote') {
      let n = ctx.footnoteOrder.indexOf(i.id);
      if (n < 0) n = ctx.footnoteOrder.push(i.id) - 1;
      out += `[^${n + 1}]`;
    } else if (i.type === 'link') {
      const text = renderInlines(i.children, ctx).replace(/\n/g, '');
      out += text ? `[${text}](<${i.href.replace(/[<>\s]/g, encodeURIComponent)}>)` : '';
    } else if (i.type === 'image') {
      const ext = ctx.imageExt(i.image);
      if (!ext) continue;
      let entry = ctx.images.find((im) => im.image === i.image);
      if (!entry) {
        entry = { image: i.image, file: `images/${ctx.id}-${ctx.images.length + 1}.${ext}` };
        ctx.images.push(entry);
      }
      out += `${out && !out.endsWith('\n') ? '\n' : ''}![](${entry.file})\n`;
    }
  }
  return joinBreaks(out.replace(/\*\*\*\*/g, ''));
}

function renderTable(table: Table, render: (inlines: Inline[], plain?: boolean) => string): { text: string; merged: boolean; paragraph: number; source: string } {
  let merged = false;
  const grid: string[][] = [];
  let paragraph = 0;
  const source: string[] = [];
  for (const [r, row] of table.rows.entries()) {
    const cells: string[] = [];
    for (const cell of row) {
      let text = cell.paragraphs
        .map((p) => render(p.label && !p.label.bullet ? withLabel(p) : p.inlines, r === 0).replace(/\n+/g, ' ').trim())
        .filter(Boolean)
        .join('<br>');
      paragraph ||= cell.paragraphs.find((p) => p.index)?.index ?? 0;
      if (cell.vMerge === 'continue') {
        text = grid[r - 1]?.[cells.length] ?? '';
        merged = true;
      }
      source.push(cell.paragraphs.map(plainText).join(''));
      for (let s = 0; s < cell.span; s++) cells.push(text.replace(/\|/g, '\\|'));
      if (cell.span > 1) merged = true;
    }
    grid.push(cells);
  }
  const width = Math.max(0, ...grid.map((r) => r.length));
  if (!width) return { text: '', merged, paragraph, source: '' };
  const line = (cells: string[]) => `| ${Array.from({ length: width }, (_, i) => cells[i] ?? '').join(' | ')} |`;
  const rows = [line(grid[0]!), `|${' --- |'.repeat(width)}`, ...grid.slice(1).map(line)];
  return { text: rows.join('\n'), merged, paragraph, source: source.join(' ') };
}

/** Characters that would turn text into Markdown syntax. */
function escapeInline(text: string): string {
  return text.replace(/[\\`*_[\]<]/g, (c) => `\\${c}`);
}

/** A paragraph that starts like a heading, quote, list or table must not become one. */
function escapeLineStart(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/^(#{1,6}(?=\s|$)|>|[-+](?=\s)|\|)/, '\\$1').replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2'))
    .join('\n');
}

function escapeAlt(text: string): string {
  return text.replace(/[\\[\]]/g, (c) => `\\${c}`);
}
