// The web edition as HTML (no browser here; test/web-browser.test.ts drives it in Chromium): one script, pinned by the
// page's Content-Security-Policy; the data JSON cannot end its element; the search text of each case; template fallback.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMarkdown } from '../src/case/parse.js';
import { buildCompilation, type Compilation } from '../src/compile/group.js';
import { renderBook } from '../src/render/book.js';
import { renderWebBook, textBlocks, type WebData } from '../src/render/web.js';
import { loadRenderFixture, renderFixtures } from './helpers/render-fixtures.js';

const fixtures = renderFixtures;
const load = loadRenderFixture;


/** The text of every `<script…>…</script>` element, with its opening tag. */
function scripts(html: string): { open: string; text: string }[] {
  return [...html.matchAll(/(<script[^>]*>)([\s\S]*?)<\/script>/gi)].map((m) => ({ open: m[1]!, text: m[2]! }));
}

function dataOf(html: string): WebData {
  const data = scripts(html).find((s) => s.open.includes('huibian-data'));
  expect(data).toBeDefined();
  return JSON.parse(data!.text) as WebData;
}

describe('renderWebBook', () => {
  let compilation: Compilation;
  let html: string;
  beforeAll(async () => {
    const { config, cases } = await load('book');
    compilation = buildCompilation(cases, config);
    html = (await renderWebBook(compilation)).html;
  });

  it('is the whole book with a sidebar: every part and case in it and in the page, previous/next between cases', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="zh-Hans">')).toBe(true);
    const ids = compilation.cases.map((c) => c.id);
    const inPage = [...html.matchAll(/<article class="case" id="case-([^"]+)">/g)].map((m) => m[1]);
    expect(inPage).toEqual(ids);
    const inSidebar = [...html.matchAll(/<a href="#case-[^"]+" data-case="([^"]+)">/g)].map((m) => m[1]);
    expect(inSidebar).toEqual(ids);
    for (const part of compilation.parts) expect(html).toContain(`aria-controls="side-${part.id}"`);
    // The second case points back at the first and on to the third.
    const second = html.slice(html.indexOf(`id="case-${ids[1]}"`));
    const pager = second.slice(second.indexOf('<div class="pager">'), second.indexOf('</div>', second.indexOf('<div class="pager">')));
    expect(pager).toContain(`rel="prev" href="#case-${ids[0]}"`);
    expect(pager).toContain(`rel="next" href="#case-${ids[2]}"`);
    expect(html).toMatch(/<main class="book-body web-main" id="content"/);
    expect(html).toContain('<nav class="sidebar" id="sidebar" aria-label=');
    expect(html).toContain('role="search"');
  });

  it('runs exactly one script, the template’s, pinned by its hash; no network source is allowed', () => {
    const all = scripts(html);
    expect(all).toHaveLength(2);
    const runnable = all.filter((s) => s.open === '<script>');
    expect(runnable).toHaveLength(1);
    expect(all.find((s) => s.open !== '<script>')!.open).toBe('<script type="application/json" id="huibian-data">');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1]?.replace(/&#39;/g, "'");
    const hash = createHash('sha256').update(runnable[0]!.text).digest('base64');
    expect(csp).toBe(`default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`);
    // The head is the CSP, our meta tags and our style; no font or stylesheet is fetched.
    expect(html).not.toContain('@font-face');
    expect(html).not.toMatch(/<link|src="https?:|url\(\s*["']?https?:/i);
  });

  it('keeps hostile case content inert: the sanitised body, escaped titles, and JSON that cannot close its element', () => {
    const hostile = compilation.cases.find((c) => c.id === 'hostile')!;
    expect(hostile).toBeDefined();
    const content = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    for (const bad of [/<script/i, /\son[a-z]+\s*=/i, /javascript:/i, /<iframe/i, /<form/i, /<input/i, /<meta/i, /<base/i]) {
      expect(content, String(bad)).not.toMatch(bad);
    }
    // The title with markup is text in the sidebar as on the page.
    expect(html).toContain('data-case="hostile">标题含&lt;b&gt;&amp;符号</a>');
    const data = scripts(html).find((s) => s.open.includes('huibian-data'))!.text;
    expect(data).not.toContain('<');
    const kase = dataOf(html).cases.find((c) => c.id === 'hostile')!;
    expect(kase.title).toBe('标题含<b>&符号');
    // Raw HTML tags are not text a reader sees, so they are not searched either; the text between them is.
    expect(kase.blocks.join('\n')).not.toMatch(/<script|alert\('x'\)|<sub>/);
    expect(kase.blocks).toContain('水的化学式是 H2O，面积单位 m2。');
  });

  it('carries each case’s taxonomy and its count-table axes for the filters', () => {
    const data = dataOf(html);
    expect(data.sectors.map((s) => s.key)).toEqual(compilation.parts.map((p) => p.sector.key));
    expect(data.measures.map((m) => `${m.number}${m.group}`)).toEqual(['1理念', '2方法', '3理念', '4机制']);
    for (const kase of compilation.cases) {
      const web = data.cases.find((c) => c.id === kase.id)!;
      expect(web.sector).toBe(kase.sector.key);
      expect(web.measures).toEqual(kase.measures.map((m) => m.number));
      expect(web.mechanism).toBe(kase.mechanism.name);
    }
    expect(data.counts).toEqual({ sectors: compilation.parts.map((p) => p.sector.key), measures: [1, 2, 3, 4] });
    // The filter boxes show each option's count; measures are grouped 理念 / 方法 / 机制 as configured.
    expect(html).toContain('<p class="filter-group">理念</p>');
    const agency = compilation.parts.find((p) => p.sector.key === 'agency')!;
    expect(html).toContain(`value="agency"><span class="filter-name">机关</span><span class="filter-count">${agency.cases.length}</span>`);
    // A sector with no case in the book (国有企业 here) is no filter option: it would always give nothing.
    expect(html).not.toContain('value="soe"');
  });

  it('is byte-identical for the same input, and leaves the print HTML script-free', async () => {
    expect((await renderWebBook(compilation)).html === html).toBe(true);
    const print = await renderBook(compilation, { target: 'print' });
    expect(print.html).not.toMatch(/<script|<input|<form/i);
  });
});

describe('textBlocks', () => {
  it('takes each paragraph, heading, list item, table cell and code block, in reading order, without a repeated title', () => {
    const md = [
      '# 案例标题',
      '',
      '## 一、基本情况',
      '',
      '党委推行“揭榜挂帅”，  \n成效明显。![图1 流程](a.svg)',
      '',
      '- 第一条',
      '- 第二条 **加粗**',
      '',
      '| 项目 | 数量 |',
      '|---|---|',
      '| 党员 | 12 |',
      '',
      '> 引用的话',
      '',
      '```',
      'code  block',
      '```',
      '',
      '<div>raw html</div>',
      '',
      '脚注[^1]。',
      '',
      '[^1]: 注释内容',
    ].join('\n');
    expect(textBlocks(parseMarkdown(md), '案例标题')).toEqual([
      '一、基本情况',
      '党委推行“揭榜挂帅”， 成效明显。图1 流程',
      '第一条',
      '第二条 加粗',
      '项目',
      '数量',
      '党员',
      '12',
      '引用的话',
      'code block',
      '脚注。',
      '注释内容',
    ]);
  });
});

describe('templates', () => {
  it('takes the user’s files first and the web edition’s own files from the default template', async () => {
    const { config, cases } = await load('override');
    const { html } = await renderWebBook(buildCompilation(cases, config));
    // The user's cover and screen.css …
    expect(html).toContain('<section class="cover custom-cover"><p class="cover-title">自定义封面：覆盖测试</p></section>');
    expect(html).toContain('.custom-cover { color: #123456; }');
    // … and the default web.liquid, web.css and web.js, which the user's folder does not have.
    expect(html).toContain('web.css — the web edition');
    expect(html).toContain('web.js — the web edition');
    expect(html).toContain('<nav class="sidebar" id="sidebar"');
  });
});
