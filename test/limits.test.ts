// Big inputs are bounded: 1,000 cases lint clean, a 5 MB case and a 50 MB image stop with a clear limit message, a
// 10,000-row table goes through lint and the HTML stage, raw HTML nested past the limit stops lint and compile
// however it is written. The time and memory ceilings of the first and third (≤ 300 s, < 2 GB) are checked by
// bench/ceilings.js (`npm run bench`), not here, since #12.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Nodes as HastNodes } from 'hast';
import { raw } from 'hast-util-raw';
import { toParse5 } from 'hast-util-to-parse5';
import { htmlVoidElements } from 'html-void-elements';
import { toHast } from 'mdast-util-to-hast';
import { VFile } from 'vfile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCompilation } from '../bench/generate.js';
import { htmlNestingDepth, markdownAttributes } from '../src/case/html-nesting.js';
import { micromarkTree } from '../src/case/parse.js';
import { buildCompilation } from '../src/compile/group.js';
import { compile, lint } from '../src/index.js';
import { renderBook } from '../src/render/book.js';
import { captured } from './helpers/streams.js';

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

/** Each message with where it points, `line:column-line:column`. */
function placed(result: Awaited<ReturnType<typeof lint>>): string[] {
  return result.files.flatMap((f) =>
    f.messages.map((m) => {
      const place = m.place && 'start' in m.place ? m.place : undefined;
      return `${place ? `${place.start.line}:${place.start.column}-${place.end.line}:${place.end.column}` : '?'} ${m.ruleId} ${m.reason}`;
    }),
  );
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

describe('raw HTML nested past the limit', () => {
  const tooDeep = 'body-limits HTML 元素嵌套超过上限 100 层；请删去多余的标签';
  // Each nests 3,000–30,000 elements deep in the renderer: rehype-raw has parse5 build the tree, which
  // hast-util-from-parse5 and hast-util-to-html then walk recursively, overflowing the stack past about 1,550 levels
  // ("内部错误：Maximum call stack size exceeded"). The first five passed lint when it counted tags with
  // /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^<>]*?(\/?)>/ over the text; the last two are what a tokenizer run over the whole
  // text (rather than the renderer's parser, fed node by node) would read wrongly: a code span's quote opening an
  // attribute value that swallows the tags after it, a `<!--` inside <style> opening a comment. The body starts on
  // line 17; each is reported at the first element past the limit, the 101st <div>.
  const inputs: [string, string, string][] = [
    ['a < inside an attribute value', `${'<div title="<">'.repeat(30_000)}x${'</div>'.repeat(30_000)}`, '17:1501-17:1516'],
    ['an end tag inside an attribute value', `${"<div title='</div>'>".repeat(30_000)}x`, '17:2001-17:2021'],
    ['end tags with no such element open, which the parser ignores', `${'<div></x>'.repeat(30_000)}x`, '17:901-17:906'],
    ['<div/>, which HTML does not close', `${'<div/>'.repeat(30_000)}x`, '17:601-17:607'],
    ['</div> inside a Markdown table cell, beyond which it closes nothing', '<div>\n\n| 甲 |\n| - |\n| 乙</div> |\n\n'.repeat(3_000), '617:1-617:6'],
    ['a code span holding a quote before the tags', `正文 \`<a title="\` 正文 ${'<div>'.repeat(30_000)}x`, '17:520-17:525'],
    ['a <style> whose text holds <!--', `<style><!--</style>${'<div>'.repeat(30_000)}x`, '17:520-17:525'],
  ];
  for (const [what, body, at] of inputs) {
    it(`${what}: lint reports the first tag past the limit, and compile stops with that error`, async () => {
      const root = withCase(`deep-${inputs.findIndex((i) => i[0] === what)}`, body);
      const started = performance.now();
      const result = await lint({ cwd: root });
      // The bound tells "linear" from quadratic with room for a shared machine.
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(result.exitCode).toBe(1);
      expect(placed(result)).toEqual([`${at} ${tooDeep}`]);

      const out = captured();
      const compiled = await compile({ cwd: root, formats: ['html'], streams: out.streams, env: {} });
      expect(compiled.exitCode).toBe(1);
      expect(out.text()).toContain('HTML 元素嵌套超过上限 100 层');
      expect(out.text()).toContain('未生成汇编');
      expect(existsSync(join(root, 'out'))).toBe(false);
    }, 60_000);
  }

  it('100 levels of <div>, and a raw HTML table of 10,000 rows with its end tags left out, lint clean and render', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => `<tr><td>${i + 1}<td>第${i + 1}项工作<td>已完成`).join('\n');
    const body = `${'<div>'.repeat(100)}正文${'</div>'.repeat(100)}\n\n<table>\n${rows}\n</table>`;
    const root = withCase('deep-ok', body);
    const started = performance.now();
    const result = await lint({ cwd: root });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(placed(result)).toEqual([]);
    const cases = result.linted.flatMap((l) => (l.case ? [l.case] : []));
    const { html } = await renderBook(buildCompilation(cases, result.config!), { target: 'print' });
    expect((html.match(/已完成\s*<\/td>/g) ?? []).length).toBe(10_000);
    expect(placed(await lint({ cwd: withCase('deep-101', `${'<div>'.repeat(101)}正文`) }))).toEqual([`17:501-17:506 ${tooDeep}`]);
  }, 120_000);

  it('gives the tree builder the attributes rehype-raw gives it for the formatting elements Markdown makes', () => {
    const text = [
      '[链接](https://example.com "标题") [引用][甲] <https://example.org> <a@b.cn> www.example.net ![图](x.png "图题")',
      '正文[^1]，又见[^1]，另见[^二]。`代码` **粗** *斜* ~~删~~',
      '```js\nlet a;\n```',
      '- [x] 已办\n- [ ] 未办',
      '3. 从三起\n4. 四',
      '| 左 | 中 | 右 |\n| :- | :-: | -: |\n| 1 | 2 | 3 |',
      '[甲]: https://example.com/甲 "甲题"',
      '[^1]: 注一。',
      '[^二]: 注二 [链](https://example.com)。',
    ].join('\n\n');
    const elements: import('hast').Element[] = [];
    const walk = (n: HastNodes): void => {
      if (n.type === 'element') elements.push(n);
      if ('children' in n) for (const c of n.children) walk(c as HastNodes);
    };
    walk(toHast(micromarkTree(text), { allowDangerousHtml: true }));
    const formatting = elements.filter((e) => ['a', 'code', 'em', 'strong'].includes(e.tagName));
    expect(formatting.length).toBeGreaterThan(10);
    for (const e of formatting) {
      expect(markdownAttributes(e), e.tagName).toEqual((toParse5({ ...e, children: [] }) as { attrs: unknown[] }).attrs);
    }
  });

  it('reads the nesting no shallower than rehype-raw builds it, however Markdown and HTML are mixed (property)', () => {
    // What rehype-raw builds, counted as the guard counts: elements of raw HTML and those the parser adds, not the
    // ones Markdown makes (found by tag name and start; a clone the parser makes of one counts as Markdown's here,
    // as HTML in the guard) nor void ones.
    const voids = new Set(htmlVoidElements);
    const built = (text: string): number => {
      const hast = toHast(micromarkTree(text), { allowDangerousHtml: true });
      const made = new Set<string>();
      const key = (n: HastNodes) => (n.type === 'element' ? `${n.tagName}@${n.position?.start?.offset}` : '');
      const walk = (n: HastNodes, f: (n: HastNodes, d: number) => number, d = 0): void => {
        const here = f(n, d);
        const children = [...('children' in n ? n.children : []), ...(n.type === 'element' && n.content ? [n.content] : [])];
        for (const c of children) walk(c as HastNodes, f, here);
      };
      walk(hast, (n, d) => (made.add(key(n)), d));
      let deepest = 0;
      walk(raw(hast, { file: new VFile(text) }), (n, d) => {
        const own = n.type === 'element' && !made.has(key(n)) && !voids.has(n.tagName) ? d + 1 : d;
        deepest = Math.max(deepest, own);
        return own;
      });
      return deepest;
    };
    const html = ['<div>', '</div>', '<p>', '</p>', '<b>', '</b>', '<em title=1>', '<em title=2>', '</em>', '<a href=x>', '<a>', '</a>', '<nobr>', '<font color=red>',
      '<table>', '</table>', '<tr>', '</tr>', '<td>', '</td>', '<th>', '<tbody>', '<caption>', '<col>', '<colgroup>', '<li>', '<ul>', '</ul>', '<select>', '<option>',
      '<svg>', '</svg>', '<math><mi>', '<foreignObject>', '<svg><desc>', '<svg><title>', '<template>', '</template>', '<form>', '</form>', '<button>', '<h1>', '<dd>',
      '<style>', '</style>', '<textarea>', '<xmp>', '</xmp>', '<plaintext>', '<!--', '-->', '<div/>', '<span>', '</span>', '</x>', '<br>', '</br>',
      '"', "'", '<', '>', '=', ' title="', '&amp;'];
    const markdownPieces = ['\n\n', '\n', '*', '**', '_', '`', '> ', '- ', '1. ', '| a |\n| - |\n| ', ' |', '[', '](u)', '[^1]', '\n\n[^1]: ', '    ', '```\n', 'x', ' '];
    const piece = fc.oneof({ arbitrary: fc.constantFrom(...html), weight: 3 }, { arbitrary: fc.constantFrom(...markdownPieces), weight: 2 });
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(htmlNestingDepth(micromarkTree(text), text), JSON.stringify(text)).toBeGreaterThanOrEqual(built(text));
      }),
      { numRuns: 2_000 },
    );
  });
});
