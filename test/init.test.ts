/** `huibian init`: the starter book lints clean and compiles with the real CLI; existing files are never overwritten without --force. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { defaultSectorKeywords } from '../src/config/schema.js';
import { initFiles } from '../src/workflows/init.js';

const bin = fileURLToPath(new URL('../bin/huibian.js', import.meta.url));
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'import-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('huibian init', () => {
  it('writes a new book that lints with no message and compiles to HTML', () => {
    const made = run(dir, 'init', '新汇编');
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const root = join(dir, '新汇编');
    for (const { target } of initFiles) {
      expect(existsSync(join(root, target)), target).toBe(true);
      expect(made.stdout).toContain(target);
    }
    expect(made.stdout).toContain('cd 新汇编');
    expect(readFileSync(join(root, '.gitignore'), 'utf8')).toMatch(/^out\/$/m);
    // The taxonomy is there, commented for editing; the date is filled in.
    const yamlText = readFileSync(join(root, 'huibian.yaml'), 'utf8');
    expect(yamlText).toMatch(/^# 领域：/m);
    const config = parse(yamlText);
    expect(config.sectors.map((s: { label: string }) => s.label)).toEqual(['机关', '国有企业', '高校', '中小学校', '公立医院']);
    expect(config.measures).toHaveLength(10);
    expect(String(config.date)).toMatch(/^\d{4}-\d{2}$/);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies.huibian).toMatch(/^\^\d+\.\d+\.\d+$/);
    // The workflow is the README's, with `npm install` since a new book has no lock file yet.
    const workflow = readFileSync(join(root, '.github/workflows/huibian.yml'), 'utf8');
    const fromReadme = /## 在 CI 中检查[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    expect(workflow.replace(/^#.*\n/, '')).toBe(fromReadme.replaceAll('npm ci', 'npm install'));

    const lint = run(root, 'lint', '--format', 'json');
    expect(lint.stderr).toBe('');
    expect(JSON.parse(lint.stdout)).toEqual([]);
    expect(lint.code).toBe(0);

    const compile = run(root, 'compile', '--format', 'html');
    expect(compile.code, compile.stderr).toBe(0);
    const html = readFileSync(join(root, 'out', '案例汇编.html'), 'utf8');
    expect(html).toContain('党员先锋岗亮在窗口');
    expect(html).toContain('前言');
  }, 60_000);

  it('refuses to write over any existing file, changing nothing; --force overwrites', () => {
    const root = join(dir, 'existing');
    mkdirSync(join(root, 'cases'), { recursive: true });
    writeFileSync(join(root, 'huibian.yaml'), 'title: 我的书\n');
    writeFileSync(join(root, 'cases', '示例案例.md'), '我的案例');
    const refused = run(root, 'init');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('huibian init：当前文件夹中已有下列文件，没有改动任何文件：\n  huibian.yaml\n  cases/示例案例.md\n要在别处新建汇编，请给出一个新的文件夹名（huibian init 新汇编）；确要用模板覆盖这些文件，加上 --force。\n');
    expect(readFileSync(join(root, 'huibian.yaml'), 'utf8')).toBe('title: 我的书\n');
    expect(existsSync(join(root, 'preface.md'))).toBe(false);

    const forced = run(root, 'init', '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('覆盖了 huibian.yaml、cases/示例案例.md');
    expect(readFileSync(join(root, 'huibian.yaml'), 'utf8')).toContain('sectors:');
  }, 30_000);

  it('a file where the book folder or one of its folders should be is refused, even with --force', () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = run(dir, 'init', 'a-file', '--force');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('“a-file”已存在且不是文件夹');
    const root = join(dir, 'blocked');
    mkdirSync(root);
    writeFileSync(join(root, '.github'), 'x');
    const blocked = run(root, 'init', '--force');
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toContain('“.github”是一个文件，但 huibian init 要在那里建文件夹');
    expect(existsSync(join(root, 'huibian.yaml'))).toBe(false);
  }, 30_000);

  it('the starter taxonomy is the sample book’s, and its import keywords are the defaults, so neither drifts', () => {
    const starter = parse(readFileSync(new URL('../templates/init/huibian.yaml', import.meta.url), 'utf8'));
    const sample = parse(readFileSync(new URL('../huibian.yaml', import.meta.url), 'utf8'));
    for (const key of ['sectors', 'measures', 'mechanisms']) expect(starter[key], key).toEqual(sample[key]);
    expect(starter.import.sectorKeywords).toEqual(defaultSectorKeywords);
  });

  it('--help teaches with examples', () => {
    const help = run(dir, 'init', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('示例');
    expect(help.stdout).toContain('--force');
  });
});
