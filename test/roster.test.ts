/**
 * The roster (汇总表) read from real .xlsx (written by write-excel-file here) and .csv in the encodings Excel and WPS
 * save; values checked with lint's own wording; rows matched to submissions; sectors guessed from unit names.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import { parseConfig } from '../src/config/load.js';
import { configSchema, type ParsedConfig } from '../src/config/schema.js';
import { VFile } from 'vfile';
import { makeSource } from '../src/shared/source.js';
import { findRosterRow, parseMeasures, readRoster, rosterMatcher, unusedRowMessage, type RosterRow } from '../src/import/roster.js';
import { guessSector } from '../src/import/sector.js';

const fixtures = new URL('./fixtures/lint/', import.meta.url);
const configPath = new URL('huibian.yaml', fixtures).pathname;
const loaded = parseConfig(makeSource(configPath, readFileSync(configPath, 'utf8'), false), new VFile({ path: configPath }));
if (!loaded.ok) throw new Error('the lint fixtures’ huibian.yaml should load');
const config = loaded.config;
const dir = mkdtempSync(join(tmpdir(), 'import-roster-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lint's message for a rule, from its not-ok fixture's expected output. */
function lintMessage(rule: string): string {
  const lines = readFileSync(new URL(`${rule}/expected.txt`, fixtures), 'utf8').split('\n');
  const line = lines.find((l) => l.split(' ')[2] === rule)!;
  return line.split(' ').slice(3).join(' ');
}

/** Messages as `line:column severity rule message`. */
function messages(file: VFile): string[] {
  return file.messages.map((m) => `${m.line ?? 0}:${m.column ?? 0} ${m.fatal ? 'error' : 'warn'} ${m.ruleId} ${m.reason}`);
}

const header = ['序号', '报送单位', '文件名', '所属领域', '举措编号', '工作机制'];
const body: (string | number | null)[][] = [
  [1, '北京市某某委员会', '某某委-融合案例.docx', '机关', '1、5', '六个引领工作法'],
  [2, '北京某某集团有限责任公司', '集团案例', '国企', '第2条，第8条', '“四融四促”'],
  [3, '北京某某大学', 'ＤＸ案例.doc', 'university', 3, 'empower'],
  [null, null, null, null, null, null],
  [4, '北京市某某医院', '医院.docx', '国营企业', '1,11,abc', '六个引领'],
  [5, '某某中学', null, '中小学校', '第一、五条', '四融四促'],
  [6, null, null, '机关', '1', null],
];

function expectedRows(): Partial<RosterRow>[] {
  return [
    { file: '某某委-融合案例.docx', unit: '北京市某某委员会', sector: 'agency', measure: [1, 5], mechanism: 'six-leads' },
    { file: '集团案例', unit: '北京某某集团有限责任公司', sector: 'soe', measure: [2, 8], mechanism: 'four-fusions' },
    { file: 'ＤＸ案例.doc', unit: '北京某某大学', sector: 'university', measure: [3], mechanism: 'empower' },
    { file: '医院.docx', unit: '北京市某某医院', measure: [1] },
    { unit: '某某中学', sector: 'school', measure: [1, 5], mechanism: 'four-fusions' },
  ];
}

describe('readRoster', () => {
  it('reads an .xlsx whose header sits under a title row, on the second sheet, and checks every value with lint’s wording', async () => {
    const path = join(dir, '汇总表.xlsx');
    const cells = (rows: (string | number | null)[][]) => rows.map((r) => r.map((v) => (v === null ? null : { value: v })));
    await writeXlsxFile([
      { sheet: '说明', data: cells([['本表由编辑填写'], ['请勿改动表头']]) },
      { sheet: '汇总', data: cells([['党建和业务深度融合案例汇总表'], header, ...body]) },
    ]).toFile(path);
    const { file, rows } = await readRoster(path, config);
    expect(rows.map(({ line, ...rest }) => rest)).toEqual(expectedRows());
    expect(rows.map((r) => r.line)).toEqual([3, 4, 5, 7, 8]);
    expect(messages(file)).toEqual([
      `7:4 error unknown-sector ${lintMessage('unknown-sector')}`,
      '7:5 error field-type 举措“abc”不是编号，应为 1–10 中的编号，几条用顿号或逗号分开，如 1、5',
      `7:5 error unknown-measure ${lintMessage('unknown-measure')}`,
      `7:6 error unknown-mechanism ${lintMessage('unknown-mechanism')}`,
      '8:6 warn mechanism-sector 工作机制“四融四促”属于国有企业（市国资系统），与本案例的领域“中小学校”不符；中小学校的工作机制为：赋权赋责赋能',
      '9:1 warn roster 第 9 行既没有文件名也没有单位名称，无法对应到来稿，已跳过',
    ]);
    // The unknown-measure message is lint's, for the same value.
    expect(lintMessage('unknown-measure')).toContain('11');
  });

  it.each([
    ['UTF-8', (text: string) => Buffer.from(text, 'utf8')],
    ['UTF-8 with BOM', (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')])],
    ['GB18030 (Excel on a Chinese Windows)', (text: string) => iconv.encode(text, 'gb18030')],
  ])('reads a .csv in %s with the same rows and messages as the .xlsx', async (name, encode) => {
    const quote = (v: string | number | null) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
    const csv = ['党建和业务深度融合案例汇总表', header.join(','), ...body.map((r) => r.map(quote).join(','))].join('\r\n') + '\r\n';
    const path = join(dir, `汇总表-${name.length}.csv`);
    writeFileSync(path, encode(csv));
    const { file, rows } = await readRoster(path, config);
    expect(rows.map(({ line, ...rest }) => rest)).toEqual(expectedRows());
    expect(rows.map((r) => r.line)).toEqual([3, 4, 5, 7, 8]);
    expect(messages(file).map((m) => m.split(' ')[2])).toEqual(['unknown-sector', 'field-type', 'unknown-measure', 'unknown-mechanism', 'mechanism-sector', 'roster']);
  });

  it('reads a tab-separated UTF-16 “Unicode 文本” and column titles typed with spaces, full-width letters and notes', async () => {
    const text = '单 位\t文件\t领域（机关/国企/高校…）\t融合举措*\n北京某某大学\t案例.docx\t高校\t4；6\n';
    const path = join(dir, 'unicode.txt');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf16le')]));
    const { file, rows } = await readRoster(path, config);
    expect(messages(file)).toEqual([]);
    expect(rows).toEqual([{ line: 2, unit: '北京某某大学', file: '案例.docx', sector: 'university', measure: [4, 6] }]);
  });

  it('a file that is not a roster gets one clear message and no rows; a duplicate file is warned at its cell', async () => {
    const cases: [string, string | Buffer, RegExp][] = [
      ['empty.csv', '', /汇总表是空文件/],
      ['no-header.csv', '甲,乙\n1,2\n', /汇总表中没有找到表头：应有一行列名，含“文件”或“单位”一列/],
      ['old.xls', 'x', /不支持 \.xls 格式.*另存为/],
      ['renamed.xlsx', 'a,b\n', /不是 Excel 工作簿/],
      ['truncated.xlsx', Buffer.from('PK\u0003\u0004 broken'), /无法读取这个 \.xlsx 文件/],
      ['roster.pdf', 'x', /汇总表应为 \.xlsx 或 \.csv 文件，现在是“\.pdf”/],
    ];
    for (const [name, content, expected] of cases) {
      const path = join(dir, name);
      writeFileSync(path, content);
      const { file, rows } = await readRoster(path, config);
      expect(rows, name).toEqual([]);
      expect(file.messages.length, name).toBe(1);
      expect(file.messages[0]!.reason, name).toMatch(expected);
      expect(file.messages[0]!.fatal).toBe(true);
    }
    // A password-protected .xlsx is an OLE compound file holding an EncryptedPackage stream (header and name as Office writes them).
    const ole = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504), Buffer.from('EncryptedPackage', 'utf16le')]);
    writeFileSync(join(dir, 'locked.xlsx'), ole);
    expect((await readRoster(join(dir, 'locked.xlsx'), config)).file.messages[0]!.reason).toMatch(/加了打开密码/);
    writeFileSync(join(dir, 'legacy.xlsx'), ole.subarray(0, 512));
    expect((await readRoster(join(dir, 'legacy.xlsx'), config)).file.messages[0]!.reason).toMatch(/实际是旧的 \.xls/);
    // A zip bomb: a sheet that declares 64 MB inflated in a file of a few hundred KB is refused before it is inflated.
    const real = join(dir, 'real.xlsx');
    await writeXlsxFile([[{ value: '文件' }, { value: '单位' }]]).toFile(real);
    const parts = unzipSync(readFileSync(real));
    parts['xl/worksheets/sheet1.xml'] = Buffer.alloc(64 * 1024 * 1024, 0x20);
    const bomb = Buffer.from(zipSync(parts, { level: 9 }));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    writeFileSync(join(dir, 'bomb.xlsx'), bomb);
    const refused = await readRoster(join(dir, 'bomb.xlsx'), config);
    expect(refused.rows).toEqual([]);
    expect(refused.file.messages[0]!.reason).toMatch(/^这个 \.xlsx 文件解压后过大（xl\/worksheets\/sheet1\.xml 有 64/);

    const { file } = await readRoster(join(dir, 'missing.csv'), config);
    expect(file.messages[0]!.reason).not.toMatch(/ENOENT|\n\s+at /);

    const dup = join(dir, 'dup.csv');
    writeFileSync(dup, '文件,单位\na.docx,甲\nA .DOCX,乙\n');
    const again = await readRoster(dup, config);
    expect(messages(again.file)).toEqual(['3:1 warn roster 文件“A .DOCX”在汇总表中出现了两次：第 2 行已有；两行中只有第一行会被用到']);
  });

  it('takes the severity huibian.yaml gives a rule, and none when the rule is off', async () => {
    const path = join(dir, 'sev.csv');
    writeFileSync(path, '单位,领域,工作机制\n某某中学,中小学校,四融四促\n某某医院,国营,\n');
    const { file } = await readRoster(path, { ...config, rules: { 'mechanism-sector': 'error', 'unknown-sector': 'off' } });
    expect(messages(file).map((m) => m.split(' ').slice(0, 3).join(' '))).toEqual(['2:3 error mechanism-sector']);
  });
});

describe('parseMeasures', () => {
  it.each([
    ['1、5', [1, 5]],
    ['1,5', [1, 5]],
    ['1，5', [1, 5]],
    ['1; 5 ；7', [1, 5, 7]],
    ['第1条', [1]],
    ['第1、5条', [1, 5]],
    ['第一条、第十条', [1, 10]],
    ['举措3和举措4', [3, 4]],
    ['１０', [10]],
    ['5、5', [5]],
  ])('%s → %j', (typed, numbers) => {
    expect(parseMeasures(typed)).toEqual({ numbers, bad: [] });
  });

  it('a number cell from Excel is one measure; text that is not a number is reported, not guessed', () => {
    expect(parseMeasures(8)).toEqual({ numbers: [8], bad: [] });
    expect(parseMeasures(2.5)).toEqual({ numbers: [], bad: ['2.5'] });
    expect(parseMeasures('1-3')).toEqual({ numbers: [], bad: ['1-3'] });
    expect(parseMeasures('全部')).toEqual({ numbers: [], bad: ['全部'] });
  });
});

describe('findRosterRow', () => {
  const rows: RosterRow[] = [
    { line: 2, file: '某某委-融合案例.docx', unit: '北京市某某委员会' },
    { line: 3, file: 'ＤＸ 案例', unit: '北京某某大学' },
    { line: 4, unit: '北京市某某医院' },
    { line: 5, unit: '北京某某大学第一医院' },
    { line: 6, file: 'x.docx', unit: '重复单位' },
    { line: 7, file: 'y.docx', unit: '重复单位' },
  ];

  it('matches by file name without extension, width, spaces or case; else by unit; else by a unit the file is named after', () => {
    expect(findRosterRow(rows, { fileName: '某某委-融合案例.doc' })?.line).toBe(2);
    expect(findRosterRow(rows, { fileName: '/inbox/dx案例.DOCX' })?.line).toBe(3);
    expect(findRosterRow(rows, { fileName: '改了名字.docx', unit: '北京市某某医院' })?.line).toBe(4);
    expect(findRosterRow(rows, { fileName: '北京某某大学第一医院-案例.docx' })?.line).toBe(5);
    expect(findRosterRow(rows, { fileName: '北京市某某医院 案例.docx' })?.line).toBe(4);
  });

  it('a unit with several rows, or no match at all, gives no row rather than a guess', () => {
    expect(findRosterRow(rows, { fileName: 'z.docx', unit: '重复单位' })).toBeUndefined();
    expect(findRosterRow(rows, { fileName: '无关.docx', unit: '无关单位' })).toBeUndefined();
  });

  it('rosterMatcher tells which rows no submission matched', () => {
    const matcher = rosterMatcher(rows);
    matcher.find({ fileName: 'x.docx' });
    matcher.find({ fileName: 'y.docx' });
    matcher.find({ fileName: '某某委-融合案例.docx' });
    expect(matcher.unused().map((r) => r.line)).toEqual([3, 4, 5]);
    expect(unusedRowMessage(rows[2]!)).toBe('汇总表第 4 行（单位“北京市某某医院”）没有对应的来稿文件');
  });
});

describe('guessSector', () => {
  it.each([
    ['北京大学', 'university', '大学'],
    ['北京协和医学院', 'university', '学院'],
    ['首都医科大学附属北京同仁医院', 'hospital', '医院'],
    ['北京大学附属中学', 'school', '中学'],
    ['北京市海淀区中关村第一小学', 'school', '小学'],
    ['北京首都旅游集团有限责任公司', 'soe', '公司'],
    ['北京市教育委员会', 'agency', '委员会'],
    ['北京市财政局', 'agency', '局'],
    ['中共北京大学委员会', 'university', '大学'],
    ['北京大学党委', 'university', '大学'],
    ['中共北京市委组织部', 'agency', '委'],
    ['北京市某某医院党总支', 'hospital', '医院'],
    ['某某国企', 'soe', '国企'],
    ['ＸＸ医院', 'hospital', '医院'],
  ])('%s → %s', (unit, sector, keyword) => {
    const guess = guessSector(unit, config);
    expect(guess?.sector).toBe(sector);
    expect(guess?.because).toContain(`“${keyword}”`);
  });

  it('no keyword, or two sectors ending at the same place, gives no guess', () => {
    expect(guessSector('中关村一小', config)).toBeUndefined();
    expect(guessSector('', config)).toBeUndefined();
    const tie: ParsedConfig = configSchema.parse({
      title: 't',
      sectors: [
        { key: 'a', label: '甲' },
        { key: 'b', label: '乙' },
      ],
      measures: [{ number: 1, group: 'g', title: 't' }],
      import: { sectorKeywords: { a: ['中心'], b: ['服务中心'] } },
    });
    expect(guessSector('某某服务中心', tie)).toBeUndefined();
    expect(guessSector('某某中心站', tie)?.sector).toBe('a');
  });

  it('uses the configured keywords, and the default ones only for sector keys that exist', () => {
    const custom: ParsedConfig = configSchema.parse({
      title: 't',
      sectors: [{ key: 'clinic', label: '卫生服务中心' }, { key: 'hospital', label: '医院系统' }],
      measures: [{ number: 1, group: 'g', title: 't' }],
    });
    // The default keywords of agency, university … do not apply: those sectors do not exist here.
    expect(guessSector('北京大学', custom)).toBeUndefined();
    expect(guessSector('某某社区卫生服务中心', custom)?.sector).toBe('clinic');
    expect(guessSector('某某医院', custom)?.sector).toBe('hospital');
    const configured = configSchema.parse({ ...custom, import: { sectorKeywords: { clinic: ['卫生院'] } } });
    expect(guessSector('某某乡卫生院', configured)).toEqual({ sector: 'clinic', because: '单位名称中的“卫生院”（卫生服务中心的关键词）' });
    // Written keywords replace the defaults entirely.
    expect(guessSector('某某医院', configured)).toBeUndefined();
  });
});
