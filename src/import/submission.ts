/**
 * One submission → one case in memory: its bytes read as Word (converted through LibreOffice when it is an old
 * format), the body written as Markdown, the front-matter filled from the roster, the document and guesses, each
 * value with where it came from. Nothing is written here.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { imageSize } from 'image-size';
import { stringify } from 'yaml';
import { findMechanism, findSector } from '../case/taxonomy.js';
import type { ResolvedConfig } from '../config/load.js';
import { detect } from './detect.js';
import { noSofficeMessage } from './libreoffice.js';
import { readDocx, type DocxModel } from './docx.js';
import { toMarkdown, type ImportedBody } from './markdown.js';
import type { RosterRow } from './roster.js';
import { guessSector } from './sector.js';
import { ImportError } from './zip.js';

/** Where a front-matter value came from, as the intake report says it. */
export type Origin = 'roster' | 'document' | 'guessed' | 'file name' | 'missing';

export interface FieldValue {
  value?: string | number[];
  from: Origin;
  /** Why, in Chinese (the matched keyword, the roster line, the Word paragraph). */
  because?: string;
}

export interface ImportedImage {
  /** Relative to the case file: images/<id>-1.png. */
  file: string;
  data: Buffer;
  width?: number;
  height?: number;
  caption?: string;
}

export interface ImportedCase {
  /** The case file's text: front-matter and body. */
  text: string;
  /** Lines the front-matter takes (with its `---` lines), to map Markdown lines back to Word paragraphs. */
  frontMatterLines: number;
  body: ImportedBody;
  fields: Record<'title' | 'unit' | 'sector' | 'measure' | 'mechanism', FieldValue>;
  images: ImportedImage[];
  /** Problems that did not stop the import (merged cells, external images, EMF…). */
  warnings: string[];
}

export interface ConvertOld {
  /** Turn an old-format file into .docx bytes, or throw an ImportError saying what to install. */
  (path: string, what: string, signal?: AbortSignal): Promise<Buffer>;
}

/** Largest submission read at all. */
export const maxSubmissionBytes = 200 * 1024 * 1024;

/** Read one submission and make its case. Throws ImportError (a sentence for the user) when it cannot be read. */
export async function importSubmission(
  path: string,
  id: string,
  config: ResolvedConfig,
  options: { roster?: (unit?: string) => RosterRow | undefined; convert: ConvertOld; signal?: AbortSignal },
): Promise<ImportedCase> {
  return caseFrom(await readSubmission(path, options), basename(path), id, config, options.roster);
}

/** Read one submission as a document model (old formats converted first). Throws ImportError when it cannot be read. */
export async function readSubmission(path: string, options: { convert: ConvertOld; signal?: AbortSignal }): Promise<DocxModel> {
  let data: Buffer = await readFile(path);
  const kind = detect(data);
  if (kind.kind === 'bad') throw new ImportError(kind.reason);
  if (kind.kind === 'convert') data = await options.convert(path, kind.what, options.signal);
  return readDocx(data);
}

/** The note for comments (批注), which are not imported. */
export function commentsNote(count: number): string {
  return `文档中有 ${count} 条批注，批注不导入，请在 Word 中查看`;
}

/** The note for a document read with its tracked changes accepted. */
export function revisionsNote(count: number): string {
  return `文档中有 ${count} 处未处理的修订（插入、删除或移动），已按“接受全部修订”后的文字导入，请核对`;
}

/** The case made from a read document. */
export function caseFrom(model: DocxModel, fileName: string, id: string, config: ResolvedConfig, roster?: (unit?: string) => RosterRow | undefined): ImportedCase {
  const warnings = [...model.notes];
  if (model.revisions) warnings.push(revisionsNote(model.revisions));
  if (model.comments) warnings.push(commentsNote(model.comments));
  const extOf = (n: number) => imageExtension(model, n, warnings);
  const body = toMarkdown(model, id, extOf, config.lint.sections);
  warnings.push(...body.warnings);

  const docUnit = body.unit?.text;
  const row = roster?.(docUnit);
  if (roster && !row) warnings.push(`汇总表中没有这个文件的行（按文件名“${fileName}”${docUnit ? `和单位“${docUnit}”` : ''}都没有找到），领域、举措、工作机制未能从汇总表填写`);
  const fields: ImportedCase['fields'] = {
    title: body.title ? { value: body.title.text, from: 'document', because: `第 ${body.title.paragraph} 段` } : { from: 'missing' },
    unit: row?.unit
      ? { value: row.unit, from: 'roster', because: `汇总表第 ${row.line} 行` }
      : docUnit
        ? { value: docUnit, from: 'document', because: `第 ${body.unit!.paragraph} 段` }
        : { value: basename(fileName, extname(fileName)), from: 'file name' },
    sector: { from: 'missing' },
    measure: { from: 'missing' },
    mechanism: { from: 'missing' },
  };
  if (row?.sector) fields.sector = { value: row.sector, from: 'roster', because: `汇总表第 ${row.line} 行` };
  else {
    const guess = guessSector(String(fields.unit.value ?? ''), config);
    if (guess) fields.sector = { value: guess.sector, from: 'guessed', because: guess.because };
  }
  if (row?.measure?.length) fields.measure = { value: row.measure, from: 'roster', because: `汇总表第 ${row.line} 行` };
  if (row?.mechanism) {
    // The mechanism's name reads better in the case file than its key; lint accepts both.
    const mechanism = findMechanism(config, row.mechanism);
    fields.mechanism = { value: mechanism?.name ?? row.mechanism, from: 'roster', because: `汇总表第 ${row.line} 行` };
  }
  if (fields.sector.value !== undefined) fields.sector.value = findSector(config, fields.sector.value)?.key ?? fields.sector.value;
  return assembleCase(model, body, fields, { source: fileName }, warnings);
}

/**
 * The case file's text and images from its body and front-matter values: the one place a case file is written, for a
 * submission and for each case of a book read back. `id` is written when given (a book names its cases).
 */
export function assembleCase(model: DocxModel, body: ImportedBody, fields: ImportedCase['fields'], names: { source: string; id?: string }, warnings: string[]): ImportedCase {
  const images: ImportedImage[] = body.images.map((im) => {
    const data = model.images[im.image]!.data!;
    let size: { width?: number; height?: number } = {};
    try {
      size = imageSize(data);
    } catch {
      // An image whose size cannot be read is still kept; the report shows no size for it.
    }
    return { file: im.file, data, width: size.width, height: size.height, caption: im.caption };
  });
  const front: string[] = ['---'];
  const scalar = (v: string) => stringify(v, { lineWidth: 0 }).trimEnd();
  for (const key of ['title', 'unit', 'sector', 'measure', 'mechanism'] as const) {
    const v = fields[key].value;
    if (v === undefined) continue;
    front.push(`${key}: ${Array.isArray(v) ? (v.length === 1 ? String(v[0]) : `[${v.join(', ')}]`) : scalar(v)}`);
  }
  if (names.id) front.push(`id: ${scalar(names.id)}`);
  front.push(`source: ${scalar(names.source.normalize('NFC'))}`, '---');
  const text = `${front.join('\n')}\n\n${body.markdown}`;
  return { text, frontMatterLines: front.length + 1, body, fields, images, warnings };
}

const imageTypes: [Buffer, string][] = [
  [Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'png'],
  [Buffer.from([0xff, 0xd8, 0xff]), 'jpg'],
  [Buffer.from('GIF8'), 'gif'],
  [Buffer.from('BM'), 'bmp'],
];

/** The extension an image is written with, or undefined (with a warning) when it cannot go into the book. */
export function imageExtension(model: DocxModel, n: number, warnings: string[]): string | undefined {
  const image = model.images[n]!;
  if (image.external) return undefined; // reported by the reader, once
  if (!image.data) {
    if (image.problem && !warnings.includes(image.problem)) warnings.push(image.problem);
    return undefined;
  }
  const found = imageTypes.find(([magic]) => image.data!.subarray(0, magic.length).equals(magic));
  if (found) return found[1];
  const name = basename(image.target);
  if (/\.(emf|wmf)$/i.test(name) || image.data.readUInt32LE(0) === 1 || image.data.readUInt32LE(0) === 0x9ac6cdd7) {
    const message = `图片 ${name} 是 Windows 图元文件（EMF/WMF），浏览器和 PDF 不能显示，未导入；请在 Word 中把它另存为 PNG 或 JPEG 后重新插入`;
    if (!warnings.includes(message)) warnings.push(message);
    return undefined;
  }
  if (/\.svg$/i.test(name)) return 'svg';
  const message = `图片 ${name} 的格式无法识别，未导入`;
  if (!warnings.includes(message)) warnings.push(message);
  return undefined;
}

/** Convert through LibreOffice into a temporary folder; the caller gets the .docx bytes. */
export async function convertWith(
  convert: (input: string, opts: { soffice: string; outDir: string; signal?: AbortSignal; timeoutMs?: number }) => Promise<string>,
  soffice: string | undefined,
  path: string,
  what: string,
  signal?: AbortSignal,
): Promise<Buffer> {
  if (!soffice) {
    throw new ImportError(`这是${what}，要先用 LibreOffice 转为 .docx。${noSofficeMessage}`);
  }
  const outDir = await mkdtemp(join(tmpdir(), 'huibian-import-'));
  try {
    const docx = await convert(path, { soffice, outDir, signal, timeoutMs: 120_000 }).catch((error: Error) => {
      throw new ImportError(error.message);
    });
    return await readFile(docx);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}
