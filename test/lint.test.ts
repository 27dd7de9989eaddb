// Every rule's ok and not-ok fixtures, in one table: test/fixtures/lint/<rule-id>/{ok,not-ok}.{md,yaml} and expected.txt.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VFile } from 'vfile';
import fc from 'fast-check';
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

/**
 * A linter of image-path/ok.md with `extra` put in before its third section (at line 19), as x.md in that folder:
 * the messages of each text it is given.
 */
async function extraLinter(): Promise<(extra: string) => VFile['messages']> {
  const { lintSource } = await import('../src/lint/run.js');
  const { loadConfig } = await import('../src/config/load.js');
  const { makeSource } = await import('../src/shared/source.js');
  const loaded = await loadConfig({ cwd: root, configPath: join(root, 'huibian.yaml') });
  if (!loaded.ok) throw new Error('fixture config does not load');
  const base = readFileSync(join(root, 'image-path', 'ok.md'), 'utf8');
  return (extra) => {
    const text = base.replace('## 三、工作成效', `${extra}\n\n## 三、工作成效`);
    return lintSource(makeSource(join(root, 'image-path', 'x.md'), text), loaded.config, root).file.messages;
  };
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
    const lintWith = await extraLinter();
    const check = (extra: string) => lintWith(extra).map((m) => `${m.line}:${m.column} ${m.reason}`);
    expect(check('![图](images/%E7%A4%BA%E6%84%8F%E5%9B%BE.svg)')).toEqual([]);
    expect(check('![图](<images/示意图.svg> "标题")')).toEqual([]);
    expect(check('![图](data:image/png;base64,iVBORw0KGgo=)')).toEqual([]);
    expect(check('![图][甲]\n\n[甲]: images/没有.svg')).toEqual(['21:6 图片“images/没有.svg”不存在（找的是 image-path/images/没有.svg）']);
    expect(check('<img src="images/没有.png" width="80">')).toEqual(['19:11 图片“images/没有.png”不存在（找的是 image-path/images/没有.png）']);
    expect(check('![图](file:///etc/passwd)')).toEqual(['19:6 图片路径“file:///etc/passwd”不是本地文件，应为相对于案例文件的路径，如 images/图1.png']);
    expect(check('![图](//cdn.example.com/a.png)')[0]).toContain('不能使用网络图片');
    expect(check('![图](images)')[0]).toContain('是一个文件夹');
  });

  it('raw HTML links and images: the attributes a browser reads, pointed at as written', async () => {
    const lintWith = await extraLinter();
    // The HTML goes in at line 19; each message as line:column-endLine:endColumn, the rule, the URL it names (or the whole reason).
    const check = (extra: string) =>
      lintWith(extra).map((m) => `${m.line}:${m.column}-${m.place && 'end' in m.place ? `${m.place.end.line}:${m.place.end.column}` : ''} ${m.ruleId} ${/“(.*?)”/.exec(m.reason)?.[1] ?? m.reason}`);
    // A `>` or `<` inside a quoted value does not end the tag: the href after it is read (a regex on [^>] missed it).
    expect(check('<a title="a>b" href="file:///etc/passwd">x</a>')).toEqual(['19:22-19:40 link-path file:///etc/passwd']);
    expect(check('<a title="<" href="/etc/passwd">x</a>')).toEqual(['19:20-19:31 link-path /etc/passwd']);
    expect(check('<img alt="a>b" src="../../../etc/passwd">')).toEqual(['19:21-19:40 image-path ../../../etc/passwd']);
    // `href=` inside another attribute's value is that value's text: only the real attribute counts.
    expect(check('<a title="href=x" href="/etc/passwd">x</a>')).toEqual(['19:25-19:36 link-path /etc/passwd']);
    expect(check(`<a title='href="/etc/passwd"' href="https://example.com">x</a>`)).toEqual([]);
    expect(check(`<img alt='src="../x.png"' src="images/示意图.svg">`)).toEqual([]);
    // Character references are decoded as the browser decodes them; the range is the value as written.
    expect(check('<a href="&#x2F;etc/passwd">x</a>')).toEqual(['19:10-19:26 link-path /etc/passwd']);
    expect(check('<a href="JaVaScRiPt&colon;alert(1)">x</a>')).toEqual(['19:10-19:35 link-path JaVaScRiPt:alert(1)']);
    expect(check('<img src="&#46;&#46;/&#46;&#46;/x.png">')).toEqual(['19:11-19:38 image-path ../../x.png']);
    expect(check('<img src="images/&#31034;意图.svg">')).toEqual([]);
    // Unquoted values, inline (micromark ends an unquoted value at `/`, so these have none) and in an HTML block.
    expect(check('<a href=other.md>x</a>')).toEqual(['19:9-19:17 link-path other.md']);
    expect(check('<img src=没有.png>')).toEqual(['19:10-19:16 image-path 没有.png']);
    expect(check('<div><a href=/etc/passwd>x</a><img src=../../x.png></div>')).toEqual(['19:40-19:51 image-path ../../x.png', '19:14-19:25 link-path /etc/passwd']);
    // Tag and attribute names are case-insensitive; the HTML parser reads <image> as <img>.
    expect(check('<A HREF="/etc/passwd">x</A>')).toEqual(['19:10-19:21 link-path /etc/passwd']);
    expect(check('<IMG Src="../../x.png">')).toEqual(['19:11-19:22 image-path ../../x.png']);
    expect(check('<image src="../../x.png">')).toEqual(['19:13-19:24 image-path ../../x.png']);
    // Of duplicate attributes the browser keeps the first.
    expect(check('<a href="https://example.com" href="/etc/passwd">x</a>')).toEqual([]);
    expect(check('<a href="/etc/passwd" href="https://example.com">x</a>')).toEqual(['19:10-19:21 link-path /etc/passwd']);
    // Inside a block quote the value's lines lose their `> `: the range is still where the URL is in the file.
    expect(check('> <div>\n> <a\n> href="/etc/passwd">x</a>\n> </div>')).toEqual(['21:9-21:20 link-path /etc/passwd']);
    // A comment is never a link; a `<!--` inside <style> starts none, so the tag after </style> is one.
    expect(check('<div><!-- <a href="/etc/passwd"> --></div>')).toEqual([]);
    expect(check('<div>\n<style><!--</style><a href="/etc/passwd">-->x</a>\n</div>')).toEqual(['20:29-20:40 link-path /etc/passwd']);
    // Nor does <style> inside <svg>, which <p> leaves: read both ways, a URL either way finds is reported.
    expect(check('<div>\n<svg><style><p><a href="/etc/passwd">x</a>\n</div>')).toEqual(['20:25-20:36 link-path /etc/passwd']);
    // An image without a source is an empty path, pointed at by its attribute.
    expect(check('<img src>')).toEqual(['19:6-19:9 image-path 图片路径是空的，应为相对于案例文件的路径，如 images/图1.png']);
  });

  it('raw HTML: lint reads every link and image that the renderer parses out of it (property)', async () => {
    const { htmlAttributes } = await import('../src/lint/html-attributes.js');
    const { micromarkTree } = await import('../src/case/parse.js');
    const { caseSchema } = await import('../src/render/sanitize.js');
    const { unified } = await import('unified');
    const { default: remarkRehype } = await import('remark-rehype');
    const { default: rehypeRaw } = await import('rehype-raw');
    const { visit } = await import('unist-util-visit');
    const toHtmlTree = unified().use(remarkRehype, { allowDangerousHtml: true }).use(rehypeRaw);
    // Pieces that change how what follows is read: text elements, comments, foreign content and the tags that leave
    // it, quotes, unfinished tags. Reading with or without the text-element switches alone, lint missed URLs here
    // (e.g. <xmp><!--</xmp><a href> and <svg><style><font color=red><a href>); both together miss none.
    const pieces = ['<a href="/1">', '<img src=/2>', `<A HREF='/3'>`, '<image src="/4">', '<a title="a>b" href="/5">', '<a href=/6 href=/7>', '<a href="/8"', '<img src="/9"',
      '<style>', '</style>', '<textarea>', '</textarea>', '<title>', '</title>', '<script>', '</script>', '<xmp>', '</xmp>', '<iframe>', '</iframe>', '<noembed>', '<noframes>', '<noscript>', '</noscript>', '<plaintext>',
      '<!--', '-->', '<!-', '<?', '<![CDATA[', ']]>', '<!DOCTYPE x>', '<svg>', '</svg>', '<math>', '</math>', '<foreignObject>', '<desc>', '<mi>', '<p>', '</p>', '<b>', '<font color=red>', '<br>', '</br>',
      '<select>', '</select>', '<template>', '</template>', '<table>', '<tr>', '<td>', '<div>', '</div>', '<body>', '<head>', '</head>', '<frameset>',
      '"', "'", '<', '>', '/', '=', '&', '&#x2F;', ' ', '\n', 'x'];
    // What the renderer shows: an a or img outside every element the sanitiser drops with its content.
    const dropped = new Set(caseSchema.strip);
    const rendered = (node: { type: string; tagName?: string; properties?: Record<string, unknown>; children?: unknown[]; content?: unknown }, out: string[]) => {
      if (node.type === 'element' && dropped.has(node.tagName!)) return out;
      if (node.tagName === 'a' && node.properties?.href !== undefined) out.push(`a ${node.properties.href}`);
      if (node.tagName === 'img' && node.properties?.src !== undefined) out.push(`img ${node.properties.src}`);
      for (const child of [...(node.children ?? []), ...(node.content ? [node.content] : [])]) rendered(child as typeof node, out);
      return out;
    };
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...pieces), { maxLength: 14 }), async (parts) => {
        // One HTML block (a blank line would end it): the renderer reads it as one string, as lint does.
        const text = `<div>\n${parts.join('').replace(/\n\s*\n/g, '\n')}\n</div>\n`;
        const mdast = micromarkTree(text);
        const seen = new Set<string>();
        visit(mdast, 'html', (node) => {
          for (const a of htmlAttributes(node, text, 'a', 'href')) seen.add(`a ${a.value}`);
          for (const a of htmlAttributes(node, text, 'img', 'src')) seen.add(`img ${a.value}`);
        });
        const missed = rendered((await toHtmlTree.run(mdast)) as Parameters<typeof rendered>[0], []).filter((url) => !seen.has(url));
        expect(missed, text).toEqual([]);
      }),
      { numRuns: 3_000 },
    );
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
