// `huibian lint` end to end: the real CLI in a child process, for each output format and each exit code.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeData, escapeProperty } from '../src/report/github.js';
import { rules } from '../src/lint/rules/index.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'huibian.js');
const fixtures = join(repo, 'test', 'fixtures', 'lint');
/** A case that passes every rule (the shared ok fixture). */
const okCase = readFileSync(join(fixtures, 'body-empty', 'ok.md'), 'utf8');
const config = readFileSync(join(fixtures, 'huibian.yaml'), 'utf8');

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A compilation in a temporary folder: the fixture huibian.yaml (cases: .) and the given files. */
function book(files: Record<string, string | Buffer>, yaml = config): string {
  const dir = mkdtempSync(join(tmpdir(), 'huibian-cli-lint-'));
  temps.push(dir);
  writeFileSync(join(dir, 'huibian.yaml'), yaml);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

function huibian(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, [bin, 'lint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const withError = okCase.replace('sector: 机关', 'sector: 国营企业'); // unknown-sector at 4:9-4:13
const withWarning = okCase.replace('## 四、经验启示', '## 四、下一步打算'); // section-missing at 9:1
const mixed = () => book({ 'a,甲.md': withError, 'warn.md': withWarning, 'clean.md': okCase });

describe('exit codes', () => {
  it('0 when clean, with a summary line', () => {
    const r = huibian(book({ 'a.md': okCase, 'b.md': okCase.replace('---\n', '---\nid: b2\n') }));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('✓ 2 个文件，没有问题\n');
  });

  it('0 with warnings only, 1 when they exceed --max-warnings', () => {
    const dir = book({ 'warn.md': withWarning });
    expect(huibian(dir).code).toBe(0);
    expect(huibian(dir, '--max-warnings', '1').code).toBe(0);
    const over = huibian(dir, '--max-warnings', '0');
    expect(over.code).toBe(1);
    expect(over.stdout).toContain('section-missing');
  });

  it('1 with errors', () => {
    const r = huibian(book({ 'bad.md': withError }));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('4:9');
    expect(r.stdout).toContain('未知的领域“国营企业”，是不是“国有企业”？');
    expect(r.stdout).toContain('1 个错误');
  });

  it('2 with a malformed huibian.yaml, reported at its line and column', () => {
    const yaml = config.replace('minLength: 50', 'minLength: 五十');
    const r = huibian(book({ 'a.md': okCase }, yaml));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('huibian.yaml');
    expect(r.stderr).toMatch(/5:14\s+错误\s+“lint\.minLength”的值是“五十”，应为/);
    const json = JSON.parse(huibian(book({}, yaml), '--format', 'json').stdout);
    expect(json).toEqual([expect.objectContaining({ file: 'huibian.yaml', line: 5, column: 14, severity: 'error', rule: 'config' })]);
  });

  it('2 for a path that does not exist, named on stderr', () => {
    const r = huibian(book({ 'a.md': okCase }), 'nowhere.md');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('路径“nowhere.md”不存在');
  });

  it('2 for a bad flag value, without a stack trace', () => {
    const r = huibian(book({ 'a.md': okCase }), '--max-warnings', 'many');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('应为不小于 0 的整数');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('formats', () => {
  it('json: a stable array of rows, files relative to cwd with /', () => {
    const dir = mixed();
    const r = huibian(dir, '--format', 'json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        file: 'a,甲.md',
        line: 4,
        column: 9,
        endLine: 4,
        endColumn: 13,
        severity: 'error',
        rule: 'unknown-sector',
        message: '未知的领域“国营企业”，是不是“国有企业”？应为：机关、国有企业、高校、中小学校、公立医院（也可写 key 或别名）',
      },
      {
        file: 'warn.md',
        line: 9,
        column: 1,
        endLine: 9,
        endColumn: 10,
        severity: 'warning',
        rule: 'section-missing',
        message: '缺少小节“经验启示”：案例通常应有 基本情况、主要做法、工作成效、经验启示 这些小节（标题可带“一、”等序号）',
      },
    ]);
    // From a parent folder, paths stay relative to the working directory.
    const fromParent = JSON.parse(huibian(dirname(dir), '--format', 'json', '--config', join(dir, 'huibian.yaml'), dir).stdout);
    expect(fromParent[0].file).toBe(`${dir.split('/').pop()}/a,甲.md`);
  });

  it('--quiet leaves warnings out of every format but not out of --max-warnings', () => {
    const dir = mixed();
    const json = JSON.parse(huibian(dir, '--format', 'json', '--quiet').stdout);
    expect(json.map((row: { rule: string }) => row.rule)).toEqual(['unknown-sector']);
    expect(huibian(dir, '--format', 'github', '--quiet').stdout).not.toContain('::warning');
    const sarif = JSON.parse(huibian(dir, '--format', 'sarif', '--quiet').stdout);
    expect(sarif.runs[0].results).toHaveLength(1);
    expect(huibian(dir, '--quiet').stdout).not.toContain('section-missing');
    const warnOnly = book({ 'warn.md': withWarning });
    expect(huibian(warnOnly, '--quiet', '--max-warnings', '0', '--format', 'json')).toMatchObject({ code: 1, stdout: '[]\n' });
  });

  it('github: one workflow command per message, properties and data escaped', () => {
    const r = huibian(mixed(), '--format', 'github');
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      '::error file=a%2C甲.md,line=4,col=9,endLine=4,endColumn=13,title=huibian unknown-sector::未知的领域“国营企业”，是不是“国有企业”？应为：机关、国有企业、高校、中小学校、公立医院（也可写 key 或别名）',
      '::warning file=warn.md,line=9,col=1,endLine=9,endColumn=10,title=huibian section-missing::缺少小节“经验启示”：案例通常应有 基本情况、主要做法、工作成效、经验启示 这些小节（标题可带“一、”等序号）',
      '',
    ]);
  });

  it('github escaping follows the runner: %, CR, LF everywhere; also : and , in properties', () => {
    expect(escapeData('100% 完成\r\n下一行: a,b')).toBe('100%25 完成%0D%0A下一行: a,b');
    expect(escapeProperty('c:/甲,乙%.md')).toBe('c%3A/甲%2C乙%25.md');
  });

  it('sarif: 2.1.0 with rule metadata, relative URIs under %SRCROOT%, columns ≥ 1 in code points', () => {
    const dir = mixed();
    const r = huibian(dir, '--format', 'sarif');
    expect(r.code).toBe(1);
    const log = JSON.parse(r.stdout);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run.columnKind).toBe('unicodeCodePoints');
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${dir}/`);
    const ruleIds = run.tool.driver.rules.map((x: { id: string }) => x.id);
    expect(ruleIds).toEqual(expect.arrayContaining(rules.map((x) => x.id)));
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text).toBeTruthy();
      expect(rule.helpUri).toContain(`#${rule.id}`);
      expect(['error', 'warning']).toContain(rule.defaultConfiguration.level);
    }
    expect(run.results).toHaveLength(2);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      const { artifactLocation, region } = result.locations[0].physicalLocation;
      expect(artifactLocation.uriBaseId).toBe('%SRCROOT%');
      expect(region.startColumn).toBeGreaterThanOrEqual(1);
      expect(region.endColumn).toBeGreaterThanOrEqual(1);
    }
    expect(run.results[0]).toMatchObject({
      ruleId: 'unknown-sector',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'a%2C%E7%94%B2.md' }, region: { startLine: 4, startColumn: 9, endLine: 4, endColumn: 13 } } }],
    });
    expect(run.results[1]).toMatchObject({ ruleId: 'section-missing', level: 'warning' });
  });
});

describe('scenarios', () => {
  it('a GB18030 file: an encoding error naming GB18030, nothing garbled', () => {
    const r = huibian(book({ 'gbk.md': iconv.encode(okCase, 'gb18030'), 'ok.md': okCase }), '--format', 'json');
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ file: 'gbk.md', line: 1, column: 1, rule: 'encoding', severity: 'error' });
    expect(rows[0].message).toContain('GB18030');
    expect(rows[0].message).not.toContain('\uFFFD');
  });

  it('a file with a BOM and CRLF line ends: no message, and a later error at its real line', () => {
    const crlf = (text: string) => '\uFEFF' + text.replace(/\n/g, '\r\n');
    const clean = huibian(book({ 'bom.md': crlf(okCase) }), '--format', 'json');
    expect(clean).toMatchObject({ code: 0, stdout: '[]\n' });
    const bad = okCase.replace('## 三、工作成效', '![图](images/没有.png)\n\n## 三、工作成效');
    const r = huibian(book({ 'bom.md': crlf(bad) }), '--format', 'json');
    expect(JSON.parse(r.stdout)).toEqual([
      expect.objectContaining({ rule: 'image-path', line: 17, column: 6, endLine: 17, endColumn: 19 }),
    ]);
  });

  it('a YAML syntax error at its real line', () => {
    const text = okCase.replace('mechanism: 六个引领工作法', 'mechanism: 六个引领工作法: 试点');
    const r = huibian(book({ 'yaml.md': text }), '--format', 'json');
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: { rule: string; line: number }) => `${x.rule}@${x.line}`)).toEqual(['yaml-syntax@6']);
  });

  it('a duplicate id: an error on the later file, pointing at the first', () => {
    const r = huibian(book({ 'a.md': okCase.replace('---\n', '---\nid: 同一个\n'), 'b.md': okCase.replace('---\n', '---\nid: 同一个\n') }), '--format', 'json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      expect.objectContaining({ file: 'b.md', line: 2, column: 5, endColumn: 8, rule: 'duplicate-id', message: 'id“同一个”与另一个案例重复，id 在汇编中应唯一（另一个案例：a.md:2:5）' }),
    ]);
  });

  it('a missing image, and one that leaves the root through a symlink', () => {
    const outside = mkdtempSync(join(tmpdir(), 'huibian-outside-'));
    temps.push(outside);
    writeFileSync(join(outside, 'secret.png'), 'not really a png');
    const text = okCase.replace('## 三、工作成效', '![图1](images/图1.png)\n\n![图2](images/link.png)\n\n## 三、工作成效');
    const dir = book({ 'img.md': text });
    mkdirSync(join(dir, 'images'));
    symlinkSync(join(outside, 'secret.png'), join(dir, 'images', 'link.png'));
    const r = huibian(dir, '--format', 'json');
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.stdout);
    expect(rows.map((x: { line: number; column: number; message: string }) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      '17:7 图片“images/图1.png”不存在（找的是 images/图1.png）',
      '19:7 图片“images/link.png”是指向汇编根目录之外的链接；请把图片本身复制到根目录之内',
    ]);
    writeFileSync(join(dir, 'images', '图1.png'), 'png');
    rmSync(join(dir, 'images', 'link.png'));
    writeFileSync(join(dir, 'images', 'link.png'), 'png');
    expect(huibian(dir).code).toBe(0);
  });

  it('an unknown rule id in huibian.yaml: a warning on huibian.yaml with the nearest id', () => {
    const yaml = config.replace('title: 规则测试', 'title: 规则测试\nrules:\n  image-paths: off');
    const r = huibian(book({ 'a.md': okCase }, yaml), '--format', 'json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      expect.objectContaining({ file: 'huibian.yaml', line: 4, column: 3, severity: 'warning', rule: 'unknown-rule', message: expect.stringContaining('是不是“image-path”？') }),
    ]);
  });
});
