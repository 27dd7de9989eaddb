// Big inputs are bounded: 1,000 cases lint clean, a 5 MB case and a 50 MB image stop with a clear limit message, a
// 10,000-row table goes through lint and the HTML stage. The time and memory ceilings of the first and third
// (≤ 300 s, < 2 GB) are checked by bench/ceilings.js (`npm run bench`), not here, since #12.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCompilation } from '../bench/generate.js';
import { buildCompilation } from '../src/compile/group.js';
import { lint } from '../src/index.js';
import { renderBook } from '../src/render/book.js';

const small = fileURLToPath(new URL('./fixtures/hostile/small/', import.meta.url));

let base: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'huibian-limits-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** The small compilation with one case whose body is `body`, and an optional config addition. */
function withCase(name: string, body: string, configExtra = ''): string {
  const root = join(base, name);
  mkdirSync(join(root, 'cases', 'agency'), { recursive: true });
  writeFileSync(join(root, 'huibian.yaml'), readFileSync(join(small, 'huibian.yaml'), 'utf8') + configExtra);
  const head = readFileSync(join(small, 'cases', 'agency', 'a.md'), 'utf8');
  writeFileSync(join(root, 'cases', 'agency', 'a.md'), `${head}\n${body}\n`);
  return root;
}

function reasons(result: Awaited<ReturnType<typeof lint>>): string[] {
  return result.files.flatMap((f) => f.messages.map((m) => `${m.ruleId} ${m.reason}`));
}

describe('big inputs', () => {
  it('1,000 generated cases lint without an error', async () => {
    const { root } = generateCompilation(join(base, 'thousand'), 1000, { seed: 7 });
    const result = await lint({ cwd: root });
    expect(result.exitCode).toBe(0);
    expect(result.linted).toHaveLength(1000);
    expect(result.files.flatMap((f) => f.messages.filter((m) => m.fatal))).toEqual([]);
  }, 400_000);

  it('a 5 MB case stops at the 1 MB limit with a clear message', async () => {
    const root = withCase('five-mb', '党建与业务深度融合。'.repeat(180_000));
    const result = await lint({ cwd: root });
    expect(result.exitCode).toBe(1);
    expect(reasons(result)).toEqual([expect.stringMatching(/^file-unreadable 文件有 5(\.\d)? MB，超过上限 1 MB；请拆分文件/)]);
  });

  it('a 10,000-row table goes through lint and the HTML stage', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `| ${i + 1} | 第${i + 1}项工作 | 已完成 |`);
    const root = withCase('table', ['| 序号 | 事项 | 进度 |', '| --- | --- | --- |', ...rows].join('\n'));
    const result = await lint({ cwd: root });
    expect(result.exitCode).toBe(0);
    const cases = result.linted.flatMap((l) => (l.case ? [l.case] : []));
    const { html } = await renderBook(buildCompilation(cases, result.config!), { target: 'print' });
    expect((html.match(/已完成<\/td>/g) ?? []).length).toBe(10_000);
    expect(html).toContain('第10000项工作');
  }, 300_000);

  it('a 50 MB image is refused by lint and, with the rule off, not embedded by the renderer', async () => {
    const body = '![图1 巨大的图片](../images/huge.png)';
    const root = withCase('image', body);
    mkdirSync(join(root, 'cases', 'images'));
    // A sparse file: 50 MB long, a PNG header, nearly no disk.
    const file = await open(join(root, 'cases', 'images', 'huge.png'), 'w');
    await file.write(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    await file.truncate(50 * 1024 * 1024);
    await file.close();
    const result = await lint({ cwd: root });
    expect(result.exitCode).toBe(1);
    expect(reasons(result)).toEqual(['image-path 图片“../images/huge.png”有 50 MB，超过上限 10 MB；请压缩或缩小后再用']);

    const off = withCase('image-off', body, 'lint:\n  minLength: 1\n');
    const configPath = join(off, 'huibian.yaml');
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('  body-length: off\n', '  body-length: off\n  image-path: off\n'));
    mkdirSync(join(off, 'cases', 'images'));
    const f2 = await open(join(off, 'cases', 'images', 'huge.png'), 'w');
    await f2.truncate(50 * 1024 * 1024);
    await f2.close();
    const quiet = await lint({ cwd: off });
    expect(quiet.exitCode).toBe(0);
    const cases = quiet.linted.flatMap((l) => (l.case ? [l.case] : []));
    const doc = await renderBook(buildCompilation(cases, quiet.config!), { target: 'web' });
    expect(doc.html.length).toBeLessThan(1024 * 1024);
    expect(doc.warnings.map((w) => w.message)).toContain('图片“../images/huge.png”有 50 MB，超过上限 10 MB，未嵌入');
  }, 120_000);
});
