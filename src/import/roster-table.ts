/** Reading a roster file into rows of cells with their line numbers: .xlsx through read-excel-file, .csv/.tsv through csv-parse. */
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import readXlsxFile from 'read-excel-file/node';
import { formatBytes } from '../case/limits.js';
import { readBytes, guessEncoding } from '../shared/read-text.js';
import { openZip, zipLimits, type ZipPackage } from './zip.js';

/** One cell as the roster gives it; dates and booleans are written out as text. */
export type Cell = string | number | null;

/** A row and the line it is on: the spreadsheet's row number, or the CSV file's line. */
export interface TableRow {
  line: number;
  cells: Cell[];
}

export interface Sheet {
  /** The worksheet's name (xlsx only). */
  name?: string;
  rows: TableRow[];
}

export type TableResult = { ok: true; sheets: Sheet[] } | { ok: false; reason: string };

/** An .xlsx roster of an office is a few hundred rows; anything far bigger is a wrong file, not a roster. */
const maxRosterBytes = 20 * 1024 * 1024;

/** The sheets of a roster file, chosen by its extension. */
export async function readTable(path: string): Promise<TableResult> {
  const ext = extname(path).toLowerCase();
  if (ext === '.xls' || ext === '.et') {
    return { ok: false, reason: `不支持 ${ext} 格式（Excel 97-2003 或 WPS 表格）：请在 Excel 或 WPS 中“另存为” .xlsx 或 .csv 后再用` };
  }
  if (ext !== '.xlsx' && ext !== '.xlsm' && ext !== '.csv' && ext !== '.tsv' && ext !== '.txt') {
    return { ok: false, reason: `汇总表应为 .xlsx 或 .csv 文件，现在是“${ext || '没有扩展名'}”` };
  }
  const read = await readBytes(path, maxRosterBytes);
  if (!read.ok) return read;
  if (read.bytes.length === 0) return { ok: false, reason: '汇总表是空文件（0 字节）' };
  return ext === '.xlsx' || ext === '.xlsm' ? readXlsx(read.bytes) : readDelimited(read.bytes, ext);
}

async function readXlsx(bytes: Buffer): Promise<TableResult> {
  // An .xlsx is a zip; anything else (a renamed .xls or .csv) is told apart before the library tries.
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) {
    // An OLE compound file is either an old .xls or an .xlsx encrypted with a password (its EncryptedPackage stream).
    const compound = bytes[0] === 0xd0 && bytes[1] === 0xcf;
    const encrypted = compound && bytes.includes(Buffer.from('EncryptedPackage', 'utf16le'));
    return {
      ok: false,
      reason: encrypted
        ? '这个 .xlsx 文件加了打开密码，无法读取：请在 Excel 或 WPS 中去掉密码后重新保存'
        : compound
          ? '这个 .xlsx 文件实际是旧的 .xls（Excel 97-2003）格式：请在 Excel 或 WPS 中“另存为” .xlsx 或 .csv'
          : '这个 .xlsx 文件不是 Excel 工作簿（文件内容不是 .xlsx 格式）：请在 Excel 或 WPS 中重新保存',
    };
  }
  const bounded = await checkZipSizes(bytes);
  if (bounded) return { ok: false, reason: bounded };
  try {
    const sheets = await readXlsxFile(bytes);
    return {
      ok: true,
      sheets: sheets.map((s) => ({
        name: s.sheet,
        // read-excel-file gives every row from row 1, empty ones included, so the index is the row number.
        rows: s.data.map((cells, i) => ({ line: i + 1, cells: cells.map(cellValue) })),
      })),
    };
  } catch (error) {
    return { ok: false, reason: `无法读取这个 .xlsx 文件（${(error as Error)?.message ?? error}）：文件可能已损坏或加了密码，请在 Excel 或 WPS 中打开后重新保存` };
  }
}

/**
 * The sizes the workbook's zip declares, checked before the library inflates it all in memory: a roster is kilobytes,
 * a zip bomb gigabytes. (The same limits as a Word submission's package.)
 */
async function checkZipSizes(bytes: Buffer): Promise<string | undefined> {
  let zip: ZipPackage;
  try {
    zip = await openZip(bytes);
  } catch (error) {
    return `无法读取这个 .xlsx 文件（文件不完整或已损坏：${(error as Error).message}）：请在 Excel 或 WPS 中打开后重新保存`;
  }
  zip.close();
  let total = 0;
  for (const entry of zip.entries.values()) {
    total += entry.size;
    const bomb = entry.size > zipLimits.xmlBytes || (entry.size > 1024 * 1024 && entry.size / Math.max(1, entry.compressedSize) > zipLimits.ratio);
    if (bomb || total > zipLimits.totalBytes) {
      return `这个 .xlsx 文件解压后过大（${entry.name} 有 ${formatBytes(entry.size)}，上限为每部分 ${formatBytes(zipLimits.xmlBytes)}、共 ${formatBytes(zipLimits.totalBytes)}，压缩比不超过 ${zipLimits.ratio} 倍），不像汇总表，未读取`;
    }
  }
  return undefined;
}

function cellValue(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** CSV as Excel saves it: UTF-8 with or without BOM, GB18030 on a Chinese Windows, UTF-16 for “Unicode 文本” (tab-separated). */
function readDelimited(bytes: Buffer, ext: string): TableResult {
  const text = decodeText(bytes);
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = ext === '.tsv' || (firstLine.includes('\t') && !firstLine.includes(',')) ? '\t' : firstLine.includes(',') || !firstLine.includes(';') ? ',' : ';';
  try {
    const records = parseCsv(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      info: true,
    }) as unknown as { info: { lines: number }; record: string[] }[];
    return { ok: true, sheets: [{ rows: records.map(({ info, record }) => ({ line: info.lines, cells: record })) }] };
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    return { ok: false, reason: `无法读取这个 CSV 文件${e.lines ? `（第 ${e.lines} 行附近）` : ''}：${e.message ?? error}` };
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text of a CSV file in whatever encoding Excel or WPS wrote it. */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes.subarray(2), 'utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes.subarray(2), 'utf16be');
  try {
    return utf8.decode(bytes);
  } catch {
    // Not UTF-8: in a Chinese office that is GB18030 (GBK) unless it clearly looks like Big5.
    return iconv.decode(bytes, guessEncoding(bytes) === 'Big5' ? 'big5' : 'gb18030');
  }
}
