// Every rule's ok and not-ok fixtures, in one table: test/fixtures/lint/<rule-id>/{ok,not-ok}.{md,yaml} and expected.txt.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/index.js';
import { rules } from '../src/lint/rules/index.js';

const root = fileURLToPath(new URL('./fixtures/lint/', import.meta.url));
const textRoot = fileURLToPath(new URL('./fixtures/text/', import.meta.url));
const ruleDirs = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** A fixture folder holds cases (`*.md`, checked with the shared huibian.yaml) or, for config rules, huibian.yaml variants (`*.yaml`). */
function fixture(id: string, variant: 'ok' | 'not-ok') {
  const dir = join(root, id);
  const yaml = join(dir, `${variant}.yaml`);
  if (existsSync(yaml)) return { cwd: root, configPath: yaml, paths: undefined, target: yaml };
  // not-ok may need companions (duplicate-id's first.md): every case in the folder but ok.md.
  const paths =
    variant === 'ok'
      ? [join(id, 'ok.md')]
      : readdirSync(dir)
          .filter((f) => f.endsWith('.md') && f !== 'ok.md')
          .map((f) => join(id, f));
  return { cwd: root, configPath: join(root, 'huibian.yaml'), paths, target: join(dir, 'not-ok.md') };
}

/** One line per message: `line:column-endLine:endColumn severity rule reason`, then its cause indented. A message about the whole file is at 1:1-1:1. */
function formatMessages(file: VFile): string {
  return file.messages
    .map((m) => {
      const place = m.place && 'start' in m.place ? m.place : undefined;
      const at = place ? `${place.start.line}:${place.start.column}-${place.end.line}:${place.end.column}` : '1:1-1:1';
      const cause = m.cause instanceof Error ? `\n  ${m.cause.message}` : '';
      return `${at} ${m.fatal ? 'error' : 'warn'} ${m.ruleId} ${m.reason}${cause}`;
    })
    .join('\n');
}

describe('rule fixtures', () => {
  it('every rule has a fixture folder with ok, not-ok and expected.txt', () => {
    // The Chinese-text rules keep theirs in test/fixtures/text/, run by test/text-rules.test.ts.
    const lacking = rules
      .map((r) => r.id)
      .filter((id) => {
        const dir = [join(root, id), join(textRoot, id)].find((d) => existsSync(d));
        if (!dir) return true;
        const has = (name: string) => existsSync(join(dir, `${name}.md`)) || existsSync(join(dir, `${name}.yaml`));
        return !has('ok') || !has('not-ok') || !existsSync(join(dir, 'expected.txt'));
      });
    expect(lacking).toEqual([]);
  });

  it('every fixture folder belongs to a rule', () => {
    const ids = new Set(rules.map((r) => r.id));
    expect(ruleDirs.filter((d) => !ids.has(d))).toEqual([]);
  });
});

describe.each(ruleDirs)('%s', (id) => {
  it('ok gives no message of any rule', async () => {
    const { cwd, configPath, paths } = fixture(id, 'ok');
    const result = await lint({ cwd, configPath, paths });
    expect(result.files.map((f) => formatMessages(f)).join('\n')).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('not-ok gives exactly the expected messages', async () => {
    const { cwd, configPath, paths, target } = fixture(id, 'not-ok');
    const result = await lint({ cwd, configPath, paths });
    const own = result.files.filter((f) => f.path === target);
    const others = result.files.filter((f) => f.path !== target);
    expect(others.map((f) => formatMessages(f)).join('')).toBe('');
    expect(own).toHaveLength(1);
    const expected = readFileSync(join(root, id, 'expected.txt'), 'utf8').trimEnd();
    expect(formatMessages(own[0]!)).toBe(expected);
    // Every message of not-ok is this rule's: a fixture shows one rule at a time.
    expect(new Set(own[0]!.messages.map((m) => m.ruleId))).toEqual(new Set([id]));
  });
});

describe('generated files are current', () => {
  const repo = fileURLToPath(new URL('..', import.meta.url));

  it('docs/rules.md matches the rules and their fixtures (npm run docs:rules)', async () => {
    const { renderRulesDoc } = await import('../scripts/rules-doc.js');
    expect(readFileSync(join(repo, 'docs', 'rules.md'), 'utf8')).toBe(renderRulesDoc(rules, [root, textRoot]));
  });

  it('schema/*.schema.json match the zod schemas (npm run schema)', async () => {
    const { jsonSchemas } = await import('../scripts/schema.js');
    const { configSchema } = await import('../src/config/schema.js');
    const { caseFrontMatterSchema } = await import('../src/case/schema.js');
    const fresh: Record<string, string> = jsonSchemas({ configSchema, caseFrontMatterSchema });
    expect(Object.keys(fresh).sort()).toEqual(['case.schema.json', 'huibian.schema.json']);
    for (const [name, text] of Object.entries(fresh)) expect(readFileSync(join(repo, 'schema', name), 'utf8')).toBe(text);
    // Descriptions are carried over from the zod schemas.
    expect(JSON.parse(fresh['case.schema.json']!).properties.sector.description).toContain('领域');
  });
});

describe('rule details beyond the fixtures', () => {
  it('section titles match with or without ordinals', async () => {
    const { normaliseTitle } = await import('../src/lint/rules/section-missing.js');
    const titles = ['一、基本情况', '（一）基本情况', '(1) 基本情况', '1. 基本情况', '1、基本情况', '1.2 基本情况', '第一部分 基本情况', '第1章：基本情况', '①基本情况', 'Ⅰ.基本情况', '基本情况：'];
    expect(titles.map(normaliseTitle)).toEqual(titles.map(() => '基本情况'));
    // A number that is part of the title is kept.
    expect(normaliseTitle('2024年工作成效')).toBe('2024年工作成效');
  });

  it('dates must exist on the calendar', async () => {
    const { dateProblem } = await import('../src/lint/rules/date-format.js');
    expect(['2024-05', '2024-02-29', '2000-02-29', '2024-12-31'].map(dateProblem)).toEqual([undefined, undefined, undefined, undefined]);
    expect(dateProblem('2023-02-29')).toContain('只有 28 天');
    expect(dateProblem('1900-02-29')).toContain('只有 28 天');
    expect(dateProblem('2024-13')).toContain('没有 13 月');
    expect(dateProblem('2024-04-31')).toContain('只有 30 天');
    expect(dateProblem('2024/05/01')).toContain('格式不对');
    expect(dateProblem('2024-5-1')).toContain('格式不对');
  });

  it('images: percent-encoded names, reference images, HTML <img> and data: URIs', async () => {
    const { lintSource } = await import('../src/lint/run.js');
    const { loadConfig } = await import('../src/config/load.js');
    const { makeSource } = await import('../src/shared/source.js');
    const loaded = await loadConfig({ cwd: root, configPath: join(root, 'huibian.yaml') });
    if (!loaded.ok) throw new Error('fixture config does not load');
    const base = readFileSync(join(root, 'image-path', 'ok.md'), 'utf8');
    const check = (extra: string) => {
      const text = base.replace('## 三、工作成效', `${extra}\n\n## 三、工作成效`);
      const linted = lintSource(makeSource(join(root, 'image-path', 'x.md'), text), loaded.config, root);
      return linted.file.messages.map((m) => `${m.line}:${m.column} ${m.reason}`);
    };
    expect(check('![图](images/%E7%A4%BA%E6%84%8F%E5%9B%BE.svg)')).toEqual([]);
    expect(check('![图](<images/示意图.svg> "标题")')).toEqual([]);
    expect(check('![图](data:image/png;base64,iVBORw0KGgo=)')).toEqual([]);
    expect(check('![图][甲]\n\n[甲]: images/没有.svg')).toEqual(['21:6 图片“images/没有.svg”不存在（找的是 image-path/images/没有.svg）']);
    expect(check('<img src="images/没有.png" width="80">')).toEqual(['19:11 图片“images/没有.png”不存在（找的是 image-path/images/没有.png）']);
    expect(check('![图](file:///etc/passwd)')).toEqual(['19:6 图片路径“file:///etc/passwd”不是本地文件，应为相对于案例文件的路径，如 images/图1.png']);
    expect(check('![图](//cdn.example.com/a.png)')[0]).toContain('不能使用网络图片');
    expect(check('![图](images)')[0]).toContain('是一个文件夹');
  });

  it('a sector by key, label or alias, a mechanism by key, name or quoted name', async () => {
    const { lintSource } = await import('../src/lint/run.js');
    const { loadConfig } = await import('../src/config/load.js');
    const { makeSource } = await import('../src/shared/source.js');
    const loaded = await loadConfig({ cwd: root, configPath: join(root, 'huibian.yaml') });
    if (!loaded.ok) throw new Error('fixture config does not load');
    const base = readFileSync(join(root, 'body-empty', 'ok.md'), 'utf8');
    const rulesOf = (sector: string, mechanism: string) => {
      const text = base.replace('sector: 机关', `sector: ${sector}`).replace('mechanism: 六个引领工作法', `mechanism: ${mechanism}`);
      return lintSource(makeSource(join(root, 'x.md'), text), loaded.config, root).file.messages.map((m) => m.ruleId);
    };
    expect(rulesOf('soe', 'four-fusions')).toEqual([]);
    expect(rulesOf('国企', '"四融四促"')).toEqual([]);
    expect(rulesOf('普通高等学校', '“赋权赋责赋能”')).toEqual([]);
    expect(rulesOf('中小学校', '《赋权赋责赋能》')).toEqual([]);
    expect(rulesOf('国企', 'six-leads')).toEqual(['mechanism-sector']);
    expect(rulesOf('工厂', 'six-leads')).toEqual(['unknown-sector']);
  });
});
