#!/usr/bin/env node
/**
 * A sample inbox of Word submissions, built from the sample cases in cases/ with the `docx` package, in the styles
 * real submissions come in (see issue 11): 公文 typed headings in 黑体/楷体, Word heading styles, WPS-like numeric
 * style ids without names, Word auto-numbering (chineseCounting), U+3000 and firstLineChars indents, soft breaks, runs
 * split mid-word, half-width punctuation, tables, PNG/JPEG images with `图N` captions, footnotes, lists, hyperlinks.
 * Also a roster (汇总表) as .csv and .xlsx. The binaries are never committed: tests build them into a temp folder.
 *
 *   node scripts/make-inbox.js [DIR]      (default: test/.inbox)
 *
 * `makeInbox(dir)` returns, per document, the paragraphs as they were written into Word, for the tests to compare.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { parse as parseYaml } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The styles, given out to the sample cases in turn. */
export const styles = ['gongwen', 'headings', 'wps', 'autonumber', 'halfwidth'];

const fonts = { title: '方正小标宋简体', body: '仿宋_GB2312', h1: '黑体', h2: '楷体_GB2312', unit: '楷体_GB2312' };
const sizes = { title: 44, body: 32 }; // half-points: 二号, 三号

/** A sample case as blocks: headings, paragraphs (inline bold as `**`), list items, tables, images, footnotes. */
export function readCase(path) {
  const text = readFileSync(path, 'utf8');
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  const front = parseYaml(m[1]);
  const lines = text.slice(m[0].length).split('\n');
  const blocks = [];
  const footnotes = {};
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line.trim()) continue;
    let h;
    if ((h = /^(#{2,4}) (.*)$/.exec(line))) blocks.push({ kind: 'heading', level: h[1].length, text: h[2] });
    else if ((h = /^\[\^(\w+)\]: (.*)$/.exec(line))) footnotes[h[1]] = h[2];
    else if ((h = /^!\[(.*)\]\((.*)\)$/.exec(line))) blocks.push({ kind: 'image', caption: h[1], src: h[2] });
    else if ((h = /^(\d+)\. (.*)$/.exec(line))) blocks.push({ kind: 'ordered', number: Number(h[1]), text: h[2] });
    else if ((h = /^- (.*)$/.exec(line))) blocks.push({ kind: 'bullet', text: h[1] });
    else if (line.startsWith('|')) {
      const rows = [];
      for (; i < lines.length && lines[i].startsWith('|'); i++) {
        if (/^\|[\s|:-]+\|$/.test(lines[i])) continue;
        rows.push(lines[i].slice(1, -1).split('|').map((c) => c.trim()));
      }
      i--;
      blocks.push({ kind: 'table', rows });
    } else blocks.push({ kind: 'paragraph', text: line });
  }
  return { front, blocks, footnotes };
}

/** `**bold**` and `[^1]` in a line → pieces. */
function pieces(text) {
  const out = [];
  const re = /\*\*(.+?)\*\*|\[\^(\w+)\]/g;
  let last = 0;
  for (let m; (m = re.exec(text)); last = re.lastIndex) {
    if (m.index > last) out.push({ text: text.slice(last, m.index), bold: false });
    if (m[1] !== undefined) out.push({ text: m[1], bold: true });
    else out.push({ footnote: m[2] });
  }
  if (last < text.length) out.push({ text: text.slice(last), bold: false });
  return out;
}

/** A solid PNG with a darker band, `width`×`height`, written without any image library (zlib and crc32 from Node). */
export function png(width, height, rgb = [70, 120, 180]) {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0;
    for (let x = 0; x < width; x++) {
      const o = y * (width * 3 + 1) + 1 + x * 3;
      const band = Math.abs(y - height / 2) < height / 8 ? 0.6 : 1;
      raw[o] = rgb[0] * band;
      raw[o + 1] = rgb[1] * band;
      raw[o + 2] = rgb[2] * band;
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A JPEG through ImageMagick (installed with the test tools), or undefined when it is not there. */
export function jpeg(width, height) {
  for (const tool of ['convert', 'magick']) {
    try {
      return execFileSync(tool, ['-size', `${width}x${height}`, 'gradient:#3a6ea5-#e8eef5', 'jpg:-'], { maxBuffer: 1 << 26 });
    } catch {
      // try the next name
    }
  }
  return undefined;
}

const halfWidth = { '，': ',', '；': ';', '：': ':' };

/** Build one document in `style`; returns the docx bytes and the paragraphs' text as written. */
export async function buildDocx(kase, style) {
  const expected = [];
  const children = [];
  const footnotes = {};
  let footnoteCount = 0;
  const footnoteIds = {};
  const runFont = (font) => ({ eastAsia: font, ascii: font, hAnsi: font });
  let halfDone = false;
  const body = (text) => {
    // The half-width style pastes one paragraph "from the web": its Chinese commas and semicolons become ASCII.
    if (style === 'halfwidth' && !halfDone && text.length > 60 && /，/.test(text)) {
      halfDone = true;
      return text.replace(/[，；：](?=[\u4e00-\u9fff])/g, (c) => halfWidth[c]);
    }
    return text;
  };
  const runs = (text, opts = {}) => {
    const out = [];
    for (const p of pieces(text)) {
      if (p.footnote) {
        if (!footnoteIds[p.footnote]) {
          footnoteIds[p.footnote] = ++footnoteCount;
          footnotes[footnoteCount] = { children: [new Paragraph({ children: [new TextRun(kase.footnotes[p.footnote] ?? '')] })] };
        }
        out.push(new FootnoteReferenceRun(footnoteIds[p.footnote]));
        continue;
      }
      const base = { bold: p.bold || opts.bold, font: runFont(opts.font ?? fonts.body), size: opts.size ?? sizes.body };
      if (opts.split && p.text.length > 12) {
        // Runs split mid-word, as Word's revision ids leave them.
        out.push(new TextRun({ ...base, text: p.text.slice(0, 5) }), new TextRun({ ...base, text: p.text.slice(5, 11) }), new TextRun({ ...base, text: p.text.slice(11) }));
      } else if (opts.softBreak && p.text.length > 30) {
        // A soft line break (Shift+Enter) in the middle of Chinese text.
        const at = Math.floor(p.text.length / 2);
        out.push(new TextRun({ ...base, text: p.text.slice(0, at) }), new TextRun({ ...base, text: p.text.slice(at), break: 1 }));
      } else out.push(new TextRun({ ...base, text: p.text }));
    }
    return out;
  };
  const plain = (text) => text.replace(/\*\*(.+?)\*\*/g, '$1').replace(/\[\^\w+\]/g, '');
  const numbering = [
    {
      reference: 'heads',
      levels: [
        { level: 0, format: LevelFormat.CHINESE_COUNTING, text: '%1、', alignment: AlignmentType.LEFT },
        { level: 1, format: LevelFormat.CHINESE_COUNTING, text: '（%2）', alignment: AlignmentType.LEFT },
      ],
    },
    { reference: 'bullets', levels: [{ level: 0, format: LevelFormat.BULLET, text: '•', alignment: AlignmentType.LEFT }] },
  ];
  let lists = 0;

  // Title and unit.
  const titleRuns = [new TextRun({ text: kase.front.title, font: runFont(fonts.title), size: sizes.title })];
  if (style === 'headings') children.push(new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: titleRuns }));
  else children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: titleRuns }));
  children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: kase.front.unit, font: runFont(fonts.unit), size: sizes.body })] }));
  expected.push(kase.front.title, kase.front.unit);

  let paragraphNo = 0;
  let previousOrdered = false;
  for (const b of kase.blocks) {
    if (b.kind !== 'ordered') previousOrdered = false;
    if (b.kind === 'heading') {
      const strip = b.text.replace(/^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)/, '');
      if (style === 'autonumber' && strip !== b.text && b.level <= 3) {
        // The ordinal lives only in numbering.xml.
        children.push(new Paragraph({ numbering: { reference: 'heads', level: b.level - 2 }, children: runs(strip, { font: b.level === 2 ? fonts.h1 : fonts.h2 }) }));
      } else if (style === 'headings') {
        children.push(new Paragraph({ heading: b.level === 2 ? HeadingLevel.HEADING_1 : b.level === 3 ? HeadingLevel.HEADING_2 : HeadingLevel.HEADING_3, children: runs(b.text, { font: fonts.h1 }) }));
      } else if (style === 'wps') {
        children.push(new Paragraph({ style: String(b.level), children: runs(b.text, { font: fonts.h1 }) }));
      } else {
        // 公文: typed ordinals, 一、 in 黑体 and （一） in 楷体, indented like the body.
        children.push(new Paragraph({ children: [new TextRun({ text: '\u3000\u3000', size: sizes.body }), ...runs(b.text, { font: b.level === 2 ? fonts.h1 : fonts.h2 })] }));
      }
      expected.push(plain(b.text));
    } else if (b.kind === 'paragraph') {
      paragraphNo++;
      const text = body(b.text);
      const indent = style === 'headings' || style === 'autonumber' ? { firstLineChars: 200 } : undefined;
      const lead = indent ? [] : [new TextRun({ text: '\u3000\u3000', size: sizes.body })];
      const opts = { split: paragraphNo % 3 === 1, softBreak: paragraphNo % 3 === 2 };
      let content = runs(text, opts);
      if (style === 'headings' && paragraphNo === 1) {
        // A hyperlink on the first paragraph's opening words.
        const words = plain(text).slice(0, 4);
        if (pieces(text)[0]?.text?.startsWith(words)) {
          content = [new ExternalHyperlink({ link: 'https://example.org/', children: [new TextRun({ text: words, font: runFont(fonts.body), size: sizes.body })] }), ...runs(text.slice(words.length), opts)];
        }
      }
      children.push(new Paragraph({ indent, children: [...lead, ...content] }));
      expected.push(plain(text));
    } else if (b.kind === 'bullet') {
      children.push(new Paragraph({ numbering: { reference: 'bullets', level: 0 }, children: runs(b.text) }));
      expected.push(plain(b.text));
    } else if (b.kind === 'ordered') {
      if (style === 'gongwen') {
        children.push(new Paragraph({ children: [new TextRun({ text: '\u3000\u3000', size: sizes.body }), ...runs(`${b.number}.${b.text}`)] }));
        expected.push(plain(`${b.number}.${b.text}`));
      } else {
        if (!previousOrdered) {
          lists++;
          numbering.push({ reference: `list${lists}`, levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.LEFT }] });
        }
        children.push(new Paragraph({ numbering: { reference: `list${lists}`, level: 0 }, children: runs(b.text) }));
        expected.push(plain(b.text));
      }
      previousOrdered = true;
    } else if (b.kind === 'table') {
      children.push(
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: b.rows.map((row, r) => new TableRow({ children: row.map((cell) => new TableCell({ children: [new Paragraph({ children: runs(cell, { bold: r === 0 }) })] })) })),
        }),
      );
      expected.push(...b.rows.flat().map(plain));
    } else if (b.kind === 'image') {
      const useJpeg = style === 'wps' || style === 'halfwidth';
      const data = (useJpeg && jpeg(800, 500)) || png(800, 500);
      const type = data[0] === 0xff ? 'jpg' : 'png';
      children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new ImageRun({ type, data, transformation: { width: 480, height: 300 } })] }));
      children.push(new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: b.caption, font: runFont(fonts.h2), size: 28 })] }));
      expected.push(b.caption);
    }
  }
  const paragraphStyles =
    style === 'wps'
      ? [
          // WPS-like: numeric ids, no names, only an outline level to say they are headings.
          { id: '2', run: { font: fonts.h1, size: sizes.body }, paragraph: { outlineLevel: 0 } },
          { id: '3', run: { font: fonts.h2, size: sizes.body }, paragraph: { outlineLevel: 1 } },
          { id: '4', run: { font: fonts.h2, size: sizes.body }, paragraph: { outlineLevel: 2 } },
        ]
      : [];
  const doc = new Document({
    creator: 'huibian make-inbox',
    styles: { default: { document: { run: { font: fonts.body, size: sizes.body } } }, paragraphStyles },
    numbering: { config: numbering },
    footnotes,
    sections: [{ children }],
  });
  return { data: await Packer.toBuffer(doc), expected };
}

/** The sample cases, in a stable order. */
export function sampleCases() {
  const dir = join(root, 'cases');
  const out = [];
  for (const sector of readdirSync(dir).sort()) {
    if (sector === 'images') continue;
    for (const f of readdirSync(join(dir, sector)).sort()) if (f.endsWith('.md')) out.push(join(dir, sector, f));
  }
  return out;
}

/** File names as units send them: Chinese, with spaces and brackets. */
export function submissionName(kase, style) {
  return `${kase.front.unit}（${kase.front.id ?? 'case'}）${style === 'wps' ? ' 终稿' : ''}.docx`;
}

/** Write the inbox (one .docx per sample case) and rosters; returns what each document holds. */
export async function makeInbox(dir, options = {}) {
  mkdirSync(dir, { recursive: true });
  const docs = [];
  for (const [i, path] of sampleCases().entries()) {
    const kase = readCase(path);
    kase.front.id ??= basename(path, '.md');
    const style = styles[i % styles.length];
    const name = submissionName(kase, style);
    const { data, expected } = await buildDocx(kase, style);
    writeFileSync(join(dir, name), data);
    docs.push({ name, style, source: relative(root, path), front: kase.front, expected });
  }
  if (options.roster !== false) await writeRosters(dir, docs);
  return docs;
}

/** 汇总表.csv and 汇总表.xlsx: 文件, 单位, 领域, 举措, 工作机制 for every document. */
export async function writeRosters(dir, docs, names = { csv: '汇总表.csv', xlsx: '汇总表.xlsx' }) {
  const header = ['序号', '文件', '单位', '领域', '举措', '工作机制'];
  const rows = docs.map((d, i) => [String(i + 1), d.name.replace(/\.docx$/, ''), d.front.unit, d.front.sector, [].concat(d.front.measure).join('、'), d.front.mechanism]);
  const csv = [header, ...rows].map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n');
  if (names.csv) writeFileSync(join(dir, names.csv), `\uFEFF${csv}\r\n`);
  if (names.xlsx) {
    const { default: writeXlsxFile } = await import('write-excel-file/node');
    await writeXlsxFile([header, ...rows].map((r) => r.map((value) => ({ value, type: String })))).toFile(join(dir, names.xlsx));
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? join(root, 'test', '.inbox');
  const docs = await makeInbox(dir);
  process.stdout.write(`${docs.length} 个 Word 文件和汇总表已写到 ${dir}\n`);
}
