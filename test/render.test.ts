// The book as HTML: order, TOC and index page-refs, sanitising, headings, images, templates, escaping, determinism.
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCompilation, type Compilation } from '../src/compile/group.js';
import { renderBook, renderCase, type HtmlDocument } from '../src/render/book.js';
import { missingGlyphs } from '../src/render/glyphs.js';
import { renderMarkdown } from '../src/render/markdown.js';
import { parseMarkdown } from '../src/case/parse.js';
import { createEngine } from '../src/render/templates.js';
import { loadRenderFixture, renderFixtures } from './helpers/render-fixtures.js';

const fixtures = renderFixtures;
const load = loadRenderFixture;


/** The HTML between `<body` and `</body>`: the CSS in <style> is not content. */
function body(html: string): string {
  return html.slice(html.indexOf('<body'), html.indexOf('</body>'));
}

function positions(html: string, needles: string[]): number[] {
  return needles.map((n) => {
    const i = html.indexOf(n);
    expect(i, `${n} should be in the HTML`).toBeGreaterThanOrEqual(0);
    return i;
  });
}

function caseHtml(html: string, id: string): string {
  const start = html.indexOf(`<article class="case" id="case-${id}">`);
  expect(start).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf('</article>', start));
}

describe('renderBook (print)', () => {
  let compilation: Compilation;
  let doc: HtmlDocument;
  let html: string;
  beforeAll(async () => {
    const { config, cases } = await load('book');
    compilation = buildCompilation(cases, config);
    doc = await renderBook(compilation, { target: 'print' });
    html = body(doc.html);
  });

  it('is a complete document titled by the book', () => {
    expect(doc.html.startsWith('<!doctype html>\n<html lang="zh-Hans">')).toBe(true);
    expect(doc.html).toContain('<meta charset="utf-8">');
    expect(doc.html).toContain('<title>测试汇编</title>');
    expect(doc.html.endsWith('</html>\n')).toBe(true);
  });

  it('puts parts in configured sector order, leaves out empty parts and drafts, orders cases by order then id', () => {
    const ids = [...html.matchAll(/<(section class="part"|article class="case") id="([^"]+)"/g)].map((m) => m[2]);
    expect(ids).toEqual(['part-school', 'case-hostile', 'part-agency', 'case-c-ordered', 'case-a-case', 'case-b-case']);
    expect(html).toContain('<h1 class="part-title">一、中小学校篇</h1>');
    expect(html).toContain('<h1 class="part-title">二、机关篇</h1>');
    expect(html).not.toContain('草稿案例');
    expect(html).not.toContain('国有企业篇');
  });

  it('has cover, 前言, 目录 and 附录 in book order, the cover without a heading', () => {
    const order = positions(html, ['<section class="cover">', 'id="preface"', '<nav class="toc" id="toc">', 'id="part-school"', '<section class="appendix" id="appendix">']);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    const cover = html.slice(html.indexOf('<section class="cover">'), html.indexOf('</section>'));
    expect(cover).not.toMatch(/<h[1-6]/);
    expect(cover).toContain('测试汇编');
    expect(cover).toContain('渲染测试');
    expect(cover).toContain('测试单位');
    expect(cover).toContain('2026年11月');
  });

  it('makes headings only where the contract allows: h1 for front matter, parts and 附录; h2 for cases and appendix sections', () => {
    const outsideCases = html.replace(/<article class="case"[\s\S]*?<\/article>/g, '');
    const headings = [...outsideCases.matchAll(/<(h[1-6])[^>]*>([^<]*)</g)].map((m) => `${m[1]} ${m[2]}`);
    expect(headings).toEqual(['h1 前言', 'h1 目录', 'h1 一、中小学校篇', 'h1 二、机关篇', 'h1 附录', 'h2 按举措索引', 'h2 按工作机制索引', 'h2 各领域案例数统计']);
    // The preface's own "# 前言" is not repeated and its "## 编写说明" is a paragraph.
    expect(html).toContain('<p class="subhead">编写说明</p>');
  });

  it('lists every part and case in the TOC with a link and a fixed-width page-ref placeholder', () => {
    const toc = html.slice(html.indexOf('<nav class="toc"'), html.indexOf('</nav>'));
    for (const ref of ['part-school', 'case-hostile', 'part-agency', 'case-c-ordered', 'case-a-case', 'case-b-case', 'appendix']) {
      expect(toc).toContain(`href="#${ref}"`);
      expect(toc).toContain(`<span class="page-ref" data-ref="${ref}">000</span>`);
    }
    expect(toc).toContain('<span class="toc-text">一、中小学校篇</span>');
    expect(toc).toContain('<span class="toc-case-unit">某区委办公室机关党委</span>');
  });

  it('opens each case with title, unit, its measures and mechanism', () => {
    const b = caseHtml(html, 'b-case');
    expect(b).toContain('<h2 class="case-title">机关案例乙</h2>');
    expect(b).toContain('<p class="case-unit">某区委办公室机关党委</p>');
    expect(b).toContain('举措1\u3000围绕中心抓党建；举措2\u3000找准结合点');
    expect(b).toContain('工作机制：六个引领工作法');
    // The body's "# 机关案例乙" repeats the title and is dropped; "##" is h3, "###" h4.
    expect(b.match(/机关案例乙/g)).toHaveLength(1);
    expect(b).toContain('<h3>一、基本情况</h3>');
    expect(b).toContain('<h4>（一）做法</h4>');
    expect(b).toContain('<strong>重点。</strong>后文');
  });

  it('indexes cases by measure group, by mechanism, and counts sector × measure', () => {
    const appendix = html.slice(html.indexOf('<section class="appendix"'));
    const byMeasure = appendix.slice(0, appendix.indexOf('id="index-by-mechanism"'));
    // Groups in order of first appearance: 理念 (1, 3), 方法 (2), 机制 (4).
    positions(byMeasure, ['>理念<', '举措1\u3000围绕中心抓党建', '举措3\u3000突出融合特色', '>方法<', '举措2\u3000找准结合点', '>机制<', '举措4\u3000建立“四同”工作机制']).reduce((a, b) => {
      expect(b).toBeGreaterThan(a);
      return b;
    });
    const measure1 = byMeasure.slice(byMeasure.indexOf('举措1\u3000'), byMeasure.indexOf('举措3\u3000'));
    expect([...measure1.matchAll(/data-ref="(case-[^"]+)"/g)].map((m) => m[1])).toEqual(['case-c-ordered', 'case-b-case']);
    const byMechanism = appendix.slice(appendix.indexOf('id="index-by-mechanism"'), appendix.indexOf('id="index-counts"'));
    expect(byMechanism).toContain('六个引领工作法<span class="index-system">（市直机关系统）</span>');
    expect(byMechanism.match(/data-ref="case-/g)).toHaveLength(4);
    const rows = [...appendix.matchAll(/<tr><th scope="row">([^<]+)<\/th>((?:<td>\d+<\/td>)+)<\/tr>/g)].map(
      (m) => `${m[1]} ${[...m[2]!.matchAll(/\d+/g)].join(',')}`,
    );
    expect(rows).toEqual(['中小学校 0,0,1,1,1', '机关 2,1,0,1,3', '合计 2,1,1,2,4']);
  });

  it('lets no hostile HTML survive', () => {
    const h = caseHtml(html, 'hostile');
    for (const bad of [/<script/i, /alert\(/, /onerror/i, /onclick/i, /onload/i, /javascript:/i, /vbscript:/i, /data:text\/html/i, /<iframe/i, /<meta/i, /<style/i, /@import/, /<link/i, /<object/i, /<embed/i, /<form/i, /<input/i, /<base/i, /<svg/i, /style=/i, /example\.com/]) {
      expect(h).not.toMatch(bad);
    }
    // Harmless markup is kept: text of the unwrapped div, sub/sup, tables, a raw <h1> demoted with its id prefixed.
    expect(h).toContain('样式与事件');
    expect(h).toContain('H<sub>2</sub>O');
    expect(h).toContain('m<sup>2</sup>');
    expect(h).toMatch(/<table>[\s\S]*<td>甲<\/td>/);
    expect(h).toContain('<h3 id="case-hostile-top">原始一级标题</h3>');
    expect(h).toContain('<a>危险链接</a>');
    // Only the document's own <style> and no script anywhere.
    expect(doc.html.match(/<style/g)).toHaveLength(1);
    expect(doc.html).not.toMatch(/<script/i);
  });

  it('escapes titles and units instead of interpreting them', () => {
    expect(html).toContain('<h2 class="case-title">标题含&lt;b&gt;&amp;符号</h2>');
    expect(html).toContain('某中学党委 &lt;i&gt;&amp;amp;');
    expect(html).not.toContain('<b>&');
  });

  it('prefixes footnote ids with the case id, so two cases’ footnotes do not collide', () => {
    const a = caseHtml(html, 'a-case');
    const b = caseHtml(html, 'b-case');
    expect(a).toContain('id="case-a-case-fn-1"');
    expect(a).toContain('href="#case-a-case-fn-1"');
    expect(b).toContain('id="case-b-case-fn-1"');
    expect(b).toContain('href="#case-b-case-fn-1"');
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('embeds images from inside the root as data: URIs with their MIME type', () => {
    const b = caseHtml(html, 'b-case');
    expect(b).toMatch(/<img src="data:image\/png;base64,iVBORw0KGgo[^"]*" alt="示意图">/);
    expect(b).toMatch(/<img src="data:image\/svg\+xml;base64,[^"]+" alt="标志" title="标志">/);
  });

  it('turns an image standing alone in its paragraph into a figure captioned with its alt text', () => {
    const b = caseHtml(html, 'b-case');
    expect(b).toMatch(/<figure><img src="data:image\/png;base64,[^"]*" alt="示意图"><figcaption>示意图<\/figcaption><\/figure>/);
    expect(b).not.toMatch(/<p><img[^>]*alt="示意图"/);
  });

  it('refuses images outside the root or remote, with a visible placeholder and a warning', () => {
    const a = caseHtml(html, 'a-case');
    expect(a).not.toMatch(/<img/);
    expect(a.match(/class="image-missing"/g)).toHaveLength(3);
    expect(a).toContain('图片“../../../outside.png”不在汇编文件夹内，不予读取');
    expect(a).toContain('不读取网络图片');
    const path = join(fixtures, 'book/cases/agency/a-case.md');
    const imageWarnings = doc.warnings.filter((w) => w.casePath === path);
    expect(imageWarnings.map((w) => w.message)).toEqual([
      '图片“../../../outside.png”不在汇编文件夹内，不予读取',
      '图片“/etc/hostname”不在汇编文件夹内，不予读取',
      '不读取网络图片（https://example.com/x.png）；请把图片存到汇编文件夹中并用相对路径引用',
    ]);
  });

  it('warns about a character no packaged font has, naming it, its code point and the case', async () => {
    expect(await missingGlyphs('𠮷', 'body')).toHaveLength(1);
    const glyph = doc.warnings.filter((w) => w.message.includes('U+20BB7'));
    expect(glyph).toEqual([
      {
        casePath: join(fixtures, 'book/cases/school/hostile.md'),
        message: '内置字体中没有字符“𠮷”（U+20BB7），印出来将是空框或别的字体；请换用常用字，或在 huibian.yaml 的 fonts 中配置含有此字的字体',
      },
    ]);
    // Common text and full-width punctuation raise nothing.
    expect(await missingGlyphs('党建“融合10条”，……——《》、。ABC', 'body')).toEqual([]);
  });

  it('loads the packaged fonts by file:// URL, one subset TrueType face per weight, and sizes pages from the config (16K)', () => {
    expect(doc.html).toMatch(/@font-face\{font-family:"Noto Serif SC";font-style:normal;font-weight:400;[^}]*src:url\("file:\/\/[^"]*\/NotoSerifSC_400Regular-[0-9a-f]{16}\.ttf"\) format\("truetype"\)\}/);
    expect(doc.html).toMatch(/font-family:"Noto Sans SC";font-style:normal;font-weight:700/);
    const faces = [...doc.html.matchAll(/@font-face\{font-family:"([^"]+)";font-style:normal;font-weight:(\d+);/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(faces).toEqual(['Noto Serif SC 400', 'Noto Serif SC 700', 'Noto Sans SC 500', 'Noto Sans SC 700']);
    expect(doc.html).toContain('size: 185mm 260mm;');
    expect(doc.html).toContain('#part-school { page: part-school; }');
    expect(doc.html).toContain('@page part-agency:right { @top-right { content: "二、机关篇";');
  });

  it('renders byte-identical HTML on a rerun', async () => {
    const { config, cases } = await load('book');
    const again = await renderBook(buildCompilation(cases, config), { target: 'print' });
    expect(again.html === doc.html).toBe(true);
  });
});

describe('renderBook (web)', () => {
  it('uses no file:// fonts and hides page numbers; links still point at cases', async () => {
    const { config, cases } = await load('book');
    const doc = await renderBook(buildCompilation(cases, config), { target: 'web' });
    expect(doc.html).not.toContain('file://');
    expect(doc.html).not.toContain('@font-face');
    expect(doc.html).toMatch(/\.page-ref, \.toc-leader, \.part-filler \{ display: none; \}/);
    expect(doc.html).toContain('href="#case-b-case"');
    expect(doc.html).toContain('max-width: 44em');
  });

  it('includes drafts when asked', async () => {
    const { config, cases } = await load('book');
    const doc = await renderBook(buildCompilation(cases, config, { includeDrafts: true }), { target: 'web' });
    expect(doc.html).toContain('id="case-d-draft"');
  });
});

describe('templates', () => {
  it('takes a user template file first and the default for the rest', async () => {
    const { config, cases } = await load('override');
    expect(config.templateDirs).toHaveLength(2);
    const doc = await renderBook(buildCompilation(cases, config), { target: 'web' });
    expect(doc.html).toContain('<section class="cover custom-cover"><p class="cover-title">自定义封面：覆盖测试</p></section>');
    expect(doc.html).toContain('.custom-cover { color: #123456; }');
    // From the default template: the TOC, the case, and book.css.
    expect(doc.html).toContain('<nav class="toc" id="toc">');
    expect(doc.html).toContain('<h2 class="case-title">唯一的案例</h2>');
    expect(doc.html).toContain('book.css — shared by screen and print');
    // screen.css was overridden, so the default's is not there.
    expect(doc.html).not.toContain('max-width: 44em');
  });

  it('renders one case alone with the same templates (preview)', async () => {
    const { config, cases } = await load('book');
    const kase = cases.find((c) => c.id === 'b-case')!;
    const doc = await renderCase(kase, config, { target: 'web' });
    expect(doc.html).toContain('<title>机关案例乙 · 测试汇编</title>');
    expect(doc.html).toContain('<article class="case" id="case-b-case">');
    expect(doc.html).not.toContain('<nav class="toc"');
  });
});

describe('reading files', () => {
  it('refuses an image reached through a symlink that leads outside the root', async () => {
    const base = mkdtempSync(join(tmpdir(), 'huibian-render-'));
    const root = join(base, 'root');
    mkdirSync(root);
    writeFileSync(join(base, 'secret.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
    symlinkSync(join(base, 'secret.png'), join(root, 'link.png'));
    const rendered = await renderMarkdown(parseMarkdown('![x](link.png)\n'), {
      filePath: join(root, 'case.md'),
      root,
      idPrefix: 'case-x-',
      headings: 'demote',
    });
    expect(rendered.html).not.toContain('<img');
    expect(rendered.images.map((i) => i.message)).toEqual(['图片“link.png”链接到汇编文件夹以外，不予读取']);
  });

  it('lets a template read no file outside the template folders and no property a template should not see', () => {
    const dir = mkdtempSync(join(tmpdir(), 'huibian-template-'));
    writeFileSync(join(dir, 'escape.liquid'), "{% render '../../../../etc/hostname' %}");
    const engine = createEngine([dir]);
    expect(() => engine.renderFileSync('escape', {})).toThrow(/Failed to lookup/);
    expect(() => engine.parseAndRenderSync('{{ x.constructor }}', { x: {} })).toThrow(/undefined variable/);
    expect(() => engine.parseAndRenderSync('{{ x | no_such_filter }}', { x: 1 })).toThrow(/undefined filter/);
  });
});
