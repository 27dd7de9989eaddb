/**
 * The editor's roster (汇总表: file, unit, sector, measures, mechanism per submission) read from .xlsx or .csv, its values
 * checked against the taxonomy with lint's own wording, each problem a message at the row and column of the cell.
 */
import { basename, extname } from 'node:path';
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import {
  allowedMeasureNumbers,
  findMechanism,
  findSector,
  mechanismSectorMessage,
  unknownMeasureMessage,
  unknownMechanismMessage,
  unknownSectorMessage,
} from '../case/taxonomy.js';
import type { ParsedConfig } from '../config/schema.js';
import { ruleUrl } from '../shared/diagnostics.js';
import { readTable, type Cell, type Sheet, type TableRow } from './roster-table.js';

/** One submission as the roster describes it; values are resolved against the taxonomy, invalid ones left out (and reported). */
export interface RosterRow {
  /** The row's line: the spreadsheet row number, or the CSV line. */
  line: number;
  /** The submission's file name as typed (with or without extension). */
  file?: string;
  unit?: string;
  /** The sector's key. */
  sector?: string;
  measure?: number[];
  /** The mechanism's key. */
  mechanism?: string;
}

export type RosterConfig = Pick<ParsedConfig, 'sectors' | 'measures' | 'mechanisms'> & Partial<Pick<ParsedConfig, 'rules'>>;

type Field = 'file' | 'unit' | 'sector' | 'measure' | 'mechanism';

/** Column titles a person would type, after normalising (half-width, no spaces, notes in brackets dropped). */
const columnNames: Record<Field, string[]> = {
  file: ['文件', '文件名', '文件名称', '案例文件', '附件', '附件名', '附件名称', '文档', '文档名', '文档名称', '材料', '材料名称', 'file', 'filename', 'file name'],
  unit: ['单位', '单位名称', '单位全称', '报送单位', '申报单位', '推荐单位', '所在单位', '所属单位', '来稿单位', '组织名称', '党组织名称', 'unit'],
  sector: ['领域', '所属领域', '领域分类', '分类', '类别', '单位类别', '单位类型', '行业', '所属行业', '篇', '所属篇', 'sector'],
  measure: ['举措', '举措编号', '融合举措', '对应举措', '所属举措', '举措序号', '融合10条', '融合十条', '条目', 'measure', 'measures'],
  mechanism: ['工作机制', '机制', '所属机制', '对应机制', '融合机制', '机制名称', 'mechanism'],
};

/** How far down a sheet the header row is looked for (a title row or two above it is common). */
const headerSearchRows = 20;

/** Read and check a roster. Problems are messages on the returned file; rows with problems keep their valid values. */
export async function readRoster(path: string, config: RosterConfig): Promise<{ file: VFile; rows: RosterRow[] }> {
  const file = new VFile({ path });
  const table = await readTable(path);
  if (!table.ok) {
    say(file, config, table.reason, { ruleId: 'roster' });
    return { file, rows: [] };
  }
  const found = findHeader(table.sheets);
  if (!found) {
    say(
      file,
      config,
      `汇总表中没有找到表头：应有一行列名，含“文件”或“单位”一列，以及“领域”“举措”“工作机制”中的一列或几列（查看了${table.sheets.length > 1 ? '每张工作表' : '工作表'}的前 ${headerSearchRows} 行）`,
      { ruleId: 'roster' },
    );
    return { file, rows: [] };
  }
  const rows: RosterRow[] = [];
  const seenFiles = new Map<string, number>();
  for (const row of found.sheet.rows) {
    if (row.line <= found.headerLine || isEmpty(row.cells)) continue;
    const parsed = readRow(row, found.columns, file, config);
    if (parsed.file === undefined && parsed.unit === undefined) {
      say(file, config, `第 ${row.line} 行既没有文件名也没有单位名称，无法对应到来稿，已跳过`, { ruleId: 'roster', severity: 'warn', line: row.line, column: 1 });
      continue;
    }
    if (parsed.file !== undefined) {
      const key = normalizeFileName(parsed.file);
      const prior = seenFiles.get(key);
      if (prior !== undefined) {
        say(file, config, `文件“${parsed.file}”在汇总表中出现了两次：第 ${prior} 行已有；两行中只有第一行会被用到`, {
          ruleId: 'roster',
          severity: 'warn',
          line: row.line,
          column: found.columns.file! + 1,
        });
      } else seenFiles.set(key, row.line);
    }
    rows.push(parsed);
  }
  return { file, rows };
}

/** The roster row for a submission: by file name (extension, width and spaces ignored), else by unit name. */
export function findRosterRow(rows: readonly RosterRow[], by: { fileName: string; unit?: string }): RosterRow | undefined {
  const name = normalizeFileName(by.fileName);
  const byFile = rows.find((r) => r.file !== undefined && normalizeFileName(r.file) === name);
  if (byFile) return byFile;
  const units = by.unit ? rows.filter((r) => r.unit !== undefined && normalizeName(r.unit) === normalizeName(by.unit!)) : [];
  // A unit with several rows (several submissions) cannot say which one this is.
  if (units.length === 1) return units[0];
  if (units.length > 1) return undefined;
  // A file named after its unit (北京大学-案例.docx) for a row that gives only the unit: the longest unit that fits, if it is the only one.
  const inName = rows.filter((r) => r.file === undefined && r.unit !== undefined && normalizeName(r.unit).length >= 2 && name.includes(normalizeName(r.unit)));
  const longest = Math.max(0, ...inName.map((r) => normalizeName(r.unit!).length));
  const best = inName.filter((r) => normalizeName(r.unit!).length === longest);
  return best.length === 1 ? best[0] : undefined;
}

/**
 * `findRosterRow` that remembers which rows it handed out, so the caller can report the rows no submission matched
 * (`unused()`, in roster order).
 */
export function rosterMatcher(rows: readonly RosterRow[]): {
  find(by: { fileName: string; unit?: string }): RosterRow | undefined;
  unused(): RosterRow[];
} {
  const used = new Set<RosterRow>();
  return {
    find(by) {
      const row = findRosterRow(rows, by);
      if (row) used.add(row);
      return row;
    },
    unused: () => rows.filter((r) => !used.has(r)),
  };
}

/** A roster row that no submission matched, worded for the roster's file (the caller adds it where it reports). */
export function unusedRowMessage(row: RosterRow): string {
  return `汇总表第 ${row.line} 行（${row.file ? `文件“${row.file}”` : `单位“${row.unit}”`}）没有对应的来稿文件`;
}

/** Names compared as a person sees them: full-width letters, digits and brackets as half-width, no spaces, case ignored. */
export function normalizeName(value: string): string {
  return value.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();
}

/** A file name without folder and extension (.docx, .doc, .wps, .md …), normalised. */
export function normalizeFileName(value: string): string {
  let name = basename(value.trim().replace(/\\/g, '/'));
  const ext = extname(name);
  if (/^\.[A-Za-z0-9]{1,5}$/.test(ext)) name = name.slice(0, -ext.length);
  return normalizeName(name);
}

// ——— header ———

interface Header {
  sheet: Sheet;
  headerLine: number;
  /** Field → column index (0-based). */
  columns: Partial<Record<Field, number>>;
}

/** The first sheet with a header row among its first rows: a row naming the file or unit column and at least one other. */
function findHeader(sheets: readonly Sheet[]): Header | undefined {
  for (const sheet of sheets) {
    for (const row of sheet.rows.filter((r) => !isEmpty(r.cells)).slice(0, headerSearchRows)) {
      const columns: Partial<Record<Field, number>> = {};
      row.cells.forEach((cell, i) => {
        const field = fieldOfTitle(cell);
        if (field && columns[field] === undefined) columns[field] = i;
      });
      const known = Object.keys(columns).length;
      if ((columns.file !== undefined || columns.unit !== undefined) && known >= 2) return { sheet, headerLine: row.line, columns };
    }
  }
  return undefined;
}

function fieldOfTitle(cell: Cell): Field | undefined {
  if (typeof cell !== 'string') return undefined;
  const title = normalizeName(cell)
    .replace(/[*＊]/g, '')
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '')
    .replace(/[:：]$/, '');
  for (const field of Object.keys(columnNames) as Field[]) {
    if (columnNames[field].some((n) => normalizeName(n) === title)) return field;
  }
  return undefined;
}

// ——— rows ———

function readRow(row: TableRow, columns: Header['columns'], file: VFile, config: RosterConfig): RosterRow {
  const out: RosterRow = { line: row.line };
  const text = (field: Field) => {
    const i = columns[field];
    if (i === undefined) return undefined;
    const cell = row.cells[i];
    const value = cell === null || cell === undefined ? '' : String(cell).replace(/\s+/gu, ' ').trim();
    return value === '' ? undefined : { value, cell, column: i + 1 };
  };
  const at = (column: number) => ({ line: row.line, column });

  const f = text('file');
  if (f) out.file = f.value;
  const u = text('unit');
  if (u) out.unit = u.value;

  const s = text('sector');
  if (s) {
    const sector = findSector(config, s.value);
    if (sector) out.sector = sector.key;
    else say(file, config, unknownSectorMessage(config, s.value), { ruleId: 'unknown-sector', ...at(s.column) });
  }

  const m = text('measure');
  if (m) {
    const { numbers, bad } = parseMeasures(m.cell);
    for (const token of bad) {
      say(file, config, `举措“${token}”不是编号，应为 ${allowedMeasureNumbers(config)} 中的编号，几条用顿号或逗号分开，如 1、5`, {
        ruleId: 'field-type',
        ...at(m.column),
      });
    }
    const known = numbers.filter((n) => {
      if (config.measures.some((x) => x.number === n)) return true;
      say(file, config, unknownMeasureMessage(config, n), { ruleId: 'unknown-measure', ...at(m.column) });
      return false;
    });
    if (known.length) out.measure = known;
  }

  const k = text('mechanism');
  if (k) {
    const mechanism = findMechanism(config, k.value);
    if (mechanism) {
      out.mechanism = mechanism.key;
      const sector = out.sector ? config.sectors.find((x) => x.key === out.sector) : undefined;
      if (sector && !mechanism.sectors.includes(sector.key)) {
        say(file, config, mechanismSectorMessage(config, mechanism, sector), { ruleId: 'mechanism-sector', severity: 'warn', ...at(k.column) });
      }
    } else {
      say(file, config, unknownMechanismMessage(config, k.value), { ruleId: 'unknown-mechanism', ...at(k.column) });
    }
  }
  return out;
}

const chineseDigits: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 十, 十二, 二十, 二十三 → numbers; anything else undefined. */
function chineseNumber(text: string): number | undefined {
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/u.exec(text);
  if (!m || text === '') return undefined;
  const [, tens, ten, ones] = m;
  if (!ten) return tens && !ones ? chineseDigits[tens] : undefined;
  return (tens ? chineseDigits[tens]! : 1) * 10 + (ones ? chineseDigits[ones]! : 0);
}

/**
 * Measure numbers as people type them in a cell: 1、5 / 1,5 / 1，5 / 1;5 / 1 5 / 第1条 / 第一、五条 / 举措1 / ①.
 * Numbers come back in the order typed, without repeats.
 */
export function parseMeasures(cell: Cell | undefined): { numbers: number[]; bad: string[] } {
  if (cell === null || cell === undefined) return { numbers: [], bad: [] };
  if (typeof cell === 'number') return Number.isInteger(cell) && cell >= 1 ? { numbers: [cell], bad: [] } : { numbers: [], bad: [String(cell)] };
  const numbers: number[] = [];
  const bad: string[] = [];
  const tokens = cell
    .normalize('NFKC')
    .split(/[、,;；/|和及与\s]+/u)
    .map((t) => t.trim())
    .filter(Boolean);
  for (const token of tokens) {
    const bare = token.replace(/^(?:融合)?(?:举措|第)+/u, '').replace(/(?:条|项)$/u, '').replace(/^[(（]|[)）.]$/gu, '').trim();
    let n: number | undefined;
    if (/^\d+$/.test(bare)) n = Number(bare);
    else if (/^\d+\.0+$/.test(bare)) n = Number.parseFloat(bare);
    else n = chineseNumber(bare);
    if (n === undefined || n < 1) bad.push(token);
    else if (!numbers.includes(n)) numbers.push(n);
  }
  return { numbers, bad };
}

/** As unknown-measure says it: “1–10” when the numbers run without gaps, else “1、2、5”. */
function isEmpty(cells: readonly Cell[]): boolean {
  return cells.every((c) => c === null || c === undefined || String(c).trim() === '');
}

/** A message at a cell (line = row, column = spreadsheet column), with lint's rule id and the severity huibian.yaml gives it. */
function say(
  file: VFile,
  config: RosterConfig,
  reason: string,
  where: { ruleId: string; severity?: 'error' | 'warn'; line?: number; column?: number },
): VFileMessage | undefined {
  const configured = config.rules?.[where.ruleId];
  if (configured === 'off') return undefined;
  const severity = configured ?? where.severity ?? 'error';
  const message = file.message(reason, {
    place: where.line ? { line: where.line, column: where.column ?? 1 } : undefined,
    ruleId: where.ruleId,
    source: 'huibian',
  });
  message.fatal = severity === 'error';
  if (where.ruleId !== 'roster') message.url = ruleUrl(where.ruleId);
  return message;
}
