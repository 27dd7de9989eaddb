// `huibian lint --fix` and `--fix-dry-run` end to end on a temp copy: only fixed ranges change, BOM and CRLF survive,
// GB18030 becomes UTF-8 with identical characters, a second run fixes nothing, and a failed write leaves the file.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { applyFixes, writeAtomically } from '../src/lint/fix.js';

const repo = fileURLToPath(new URL('../', import.meta.url));
const bin = join(repo, 'bin', 'huibian.js');

const body = [
  '---',
  'title: 以党建引领推动业务工作提质增效',
  'unit: 某区机关工委',
  'sector: 机关',
  'measure: [1, 5]',
  'mechanism: 六个引领工作法',
  '---',
  '',
  '## 一、基本情况',
  '',
  '党建和业务融合,是一个重要问题.推动党建和业(yè)务(wù)工作深度融合。',
  '',
  '## 二、主要做法',
  '',
  '坚持"四同步"--网址 https://example.com/a,b 和 `code, here.` 不变。',
  '',
  '```',
  '代码块,不改.',
  '```',
  '',
  '## 三、工作成效',
  '',
  '２０２３年党員们發挥作用，，重点项目按期推进。',
  '',
  '## 四、经验启示',
  '',
  '党建与业务只有记在一本账上，才能真正做到相互促进、共同提高。',
  '',
];
const fixedBody = body.map((line) =>
  line
    .replace('融合,是一个重要问题.推动党建和业(yè)务(wù)', '融合，是一个重要问题。推动党建和业务')
    .replace('坚持"四同步"--网址', '坚持“四同步”——网址')
    .replace('２０２３年党員们發挥', '2023年党员们发挥'),
);

function compilation(): string {
  const dir = mkdtempSync(join(tmpdir(), 'huibian-fix-'));
  copyFileSync(join(repo, 'test/fixtures/text/huibian.yaml'), join(dir, 'huibian.yaml'));
  mkdirSync(join(dir, 'cases'));
  writeFileSync(join(dir, 'huibian.yaml'), readFileSync(join(dir, 'huibian.yaml'), 'utf8').replace('cases: .', 'cases: cases'));
  return dir;
}

function run(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, 'lint', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('huibian lint --fix', () => {
  it('--fix-dry-run prints a unified diff and writes nothing', () => {
    const dir = compilation();
    const path = join(dir, 'cases', 'a.md');
    writeFileSync(path, body.join('\n'));
    const r = run(dir, '--fix-dry-run');
    expect(readFileSync(path, 'utf8')).toBe(body.join('\n'));
    expect(r.stdout).toContain('--- a/cases/a.md');
    expect(r.stdout).toContain('+++ b/cases/a.md');
    expect(r.stdout).toContain('-党建和业务融合,是一个重要问题.推动党建和业(yè)务(wù)工作深度融合。');
    expect(r.stdout).toContain('+党建和业务融合，是一个重要问题。推动党建和业务工作深度融合。');
  });

  it('--fix rewrites only the fixed ranges, keeps BOM and CRLF, reports what remains, and a second run fixes nothing', () => {
    const dir = compilation();
    const path = join(dir, 'cases', 'a.md');
    writeFileSync(path, '\ufeff' + body.join('\r\n'));
    const r = run(dir, '--fix');
    expect(readFileSync(path, 'utf8')).toBe('\ufeff' + fixedBody.join('\r\n'));
    expect(r.stderr).toContain('已修复 cases/a.md');
    // The doubled ，， cannot be fixed safely: it is what remains.
    expect(r.stdout).toContain('重复的标点“，，”');
    expect(r.stdout).not.toContain('text-punctuation-width');
    const before = readFileSync(path);
    const again = run(dir, '--fix');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(again.stderr).not.toContain('已修复');
    expect(run(dir, '--fix-dry-run').stdout).not.toContain('+++');
  });

  it('converts a GB18030 file to UTF-8 with identical characters, then applies the other fixes', () => {
    const dir = compilation();
    const path = join(dir, 'cases', 'gbk.md');
    const clean = fixedBody.join('\r\n').replace('，，', '，');
    writeFileSync(path, iconv.encode(clean, 'gb18030'));
    expect(run(dir).stdout).toContain('GB18030');
    const r = run(dir, '--fix');
    expect(r.stderr).toContain('已从 GB18030 转为 UTF-8');
    expect(readFileSync(path, 'utf8')).toBe(clean);
    expect(run(dir).code).toBe(0);

    writeFileSync(path, iconv.encode(body.join('\n'), 'gb18030'));
    run(dir, '--fix');
    expect(readFileSync(path, 'utf8')).toBe(fixedBody.join('\n'));
  });
});

describe('huibian lint --fix on a file over the size limit', () => {
  it('refuses it as lint does, and leaves it byte-identical', () => {
    const dir = compilation();
    const path = join(dir, 'cases', 'big.md');
    const bytes = Buffer.from(body.join('\n') + '\n' + '党建和业务融合,是一个重要问题.\n'.repeat(40_000));
    writeFileSync(path, bytes);
    const r = run(dir, '--fix');
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(r.code).toBe(1);
    expect(r.stderr + r.stdout).toMatch(/文件有 \d\.\d MB，超过上限 1 MB/);
  });
});

describe('applyFixes', () => {
  it('applies non-overlapping fixes and leaves everything else as it was', () => {
    const text = 'ab,cd.ef';
    const out = applyFixes(text, [
      { range: { start: 2, end: 3 }, text: '，' },
      { range: { start: 2, end: 4 }, text: 'X' }, // overlaps the first: waits for the next pass
      { range: { start: 5, end: 6 }, text: '。' },
      { range: { start: 8, end: 8 }, text: '!' },
    ]);
    expect(out).toEqual({ text: 'ab，cd。ef!', applied: 3 });
  });
});

describe('writeAtomically', () => {
  it('a failed write leaves the target as it was and no temp file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huibian-atomic-'));
    // A folder cannot be replaced by a file: the rename fails after the temp file is written.
    const target = join(dir, 'case.md');
    mkdirSync(target);
    writeFileSync(join(target, 'inside.txt'), 'keep');
    await expect(writeAtomically(target, Buffer.from('new'))).rejects.toThrow();
    expect(readFileSync(join(target, 'inside.txt'), 'utf8')).toBe('keep');
    expect(readdirSync(dir)).toEqual(['case.md']);
  });

  it('replaces the file when the write succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huibian-atomic-'));
    const target = join(dir, 'case.md');
    writeFileSync(target, 'old');
    await writeAtomically(target, Buffer.from('new'));
    expect(readFileSync(target, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['case.md']);
  });
});
