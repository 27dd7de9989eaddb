// `huibian import` as a process: usage errors exit 2, a bad file makes exit 1 while the others are imported, --format
// json prints the report's data on stdout (progress and messages stay on stderr). Needs `npm run build`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildDocx, readCase, sampleCases } from '../scripts/make-inbox.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bin = join(repo, 'bin', 'huibian.js');

function run(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [bin, 'import', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

describe('huibian import (the command)', () => {
  it('exits 2 for a path that does not exist, and without paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
    copyFileSync(join(repo, 'huibian.yaml'), join(dir, 'huibian.yaml'));
    const missing = run(dir, '没有这个文件夹');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('路径“没有这个文件夹”不存在');
    const none = run(dir);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/缺少参数/);
  });

  it('imports the good file, reports the bad one, exits 1; --format json on stdout', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
    copyFileSync(join(repo, 'huibian.yaml'), join(dir, 'huibian.yaml'));
    mkdirSync(join(dir, 'cases'));
    mkdirSync(join(dir, '收件箱'));
    writeFileSync(join(dir, '收件箱', '好.docx'), (await buildDocx(readCase(sampleCases()[3]!), 'gongwen')).data);
    writeFileSync(join(dir, '收件箱', '坏.docx'), 'plain text, not Word\n');
    const r = run(dir, '收件箱', '--format', 'json');
    expect(r.status).toBe(1);
    const data = JSON.parse(r.stdout);
    expect(data.submissions.map((s: { source: string; status: string }) => [s.source, s.status])).toEqual([
      ['收件箱/坏.docx', 'failed'],
      ['收件箱/好.docx', 'imported'],
    ]);
    expect(data.submissions[1].output).toBe('cases/好.md');
    expect(data.reportPath).toMatch(/收件报告\.html$/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/); // no stack trace
    const stylish = run(dir, '收件箱');
    expect(stylish.status).toBe(1);
    expect(stylish.stderr).toMatch(/✖ 收件箱\/坏\.docx：不是 Word 文件/);
    expect(stylish.stderr).toMatch(/- 收件箱\/好\.docx：cases\/好\.md( 等 \d+ 个文件)?已存在，未覆盖（确认要覆盖请加 --force）/);
  });
});
