// The web edition in a real Chromium, opened from disk like a file sent by e-mail: the sample book's sidebar,
// filters, count-table links, Chinese search, deep links across a reload, a phone's drawer, keyboard, print media,
// no request but the file itself, and axe-core with no serious or critical violation (light and dark, desktop and
// phone). One browser for the whole file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '../src/case/resolve.js';
import { buildCompilation, type Compilation } from '../src/compile/group.js';
import { loadConfig } from '../src/config/load.js';
import { collectFiles } from '../src/lint/collect.js';
import { lintFiles } from '../src/lint/run.js';
import { locateBrowser } from '../src/pdf/launch.js';
import { renderWebBook } from '../src/render/web.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const flags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let dir: string;
let url: string;
let compilation: Compilation;
let browser: Browser;
let page: Page;
/** Every request the page made that is not the book file itself or an image embedded in it. */
const foreign: string[] = [];
const problems: string[] = [];

beforeAll(async () => {
  const loaded = await loadConfig({ cwd: repo });
  if (!loaded.ok) throw new Error('sample config');
  const { files } = await collectFiles([loaded.config.casesDir], repo);
  const linted = await lintFiles(files, loaded.config, repo);
  compilation = buildCompilation(linted.flatMap((l) => (l.case ? [l.case] : [])), loaded.config);
  dir = mkdtempSync(join(tmpdir(), 'huibian-web-'));
  const file = join(dir, '案例汇编.html');
  writeFileSync(file, (await renderWebBook(compilation)).html);
  url = pathToFileURL(file).href;
  const lookup = locateBrowser(undefined, process.env);
  if (!lookup.found) throw new Error(lookup.message);
  browser = await puppeteer.launch({ executablePath: lookup.executablePath, args: flags });
  page = await browser.newPage();
  page.on('request', (r) => {
    if (r.url().split('#')[0] !== url && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  // A CSP violation or a script error shows up here.
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.setViewport({ width: 1280, height: 860 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(hash = ''): Promise<void> {
  await page.goto(url + hash, { waitUntil: 'load' });
  await page.waitForFunction(() => 'huibian' in window);
}

/** The case ids whose sidebar links are showing, in order. */
function visibleSideCases(): Promise<string[]> {
  return page.$$eval('#side-toc a[data-case]', (links) =>
    links.filter((a) => (a as HTMLElement).offsetParent !== null).map((a) => a.getAttribute('data-case')!),
  );
}

function ids(cases: readonly Case[]): string[] {
  return cases.map((c) => c.id);
}

/** Where an element's top is in the viewport, in CSS pixels. */
function topOf(selector: string): Promise<number> {
  return page.$eval(selector, (e) => e.getBoundingClientRect().top);
}

async function axe(context: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run({
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious, `${context}: ${JSON.stringify(serious)}`).toEqual([]);
}

describe('the web edition in Chromium', () => {
  it('shows the parts and cases in the sidebar; a link goes to its case and marks it current; previous/next follow the book', async () => {
    await open();
    expect(await visibleSideCases()).toEqual(ids(compilation.cases));
    const second = compilation.cases[1]!;
    await page.click(`#side-toc a[data-case="${second.id}"]`);
    await page.waitForFunction((id) => document.querySelector(`#side-toc a[data-case="${id}"]`)?.getAttribute('aria-current') === 'location', {}, second.id);
    expect(await page.evaluate(() => location.hash)).toBe(`#case-${second.id}`);
    const top = await topOf(`#case-${second.id}`);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(120);
    // Scrolling, with no link, moves the highlight along.
    const fourth = compilation.cases[3]!;
    await page.$eval(`#case-${fourth.id} .case-body`, (e) => e.scrollIntoView());
    await page.waitForFunction((id) => document.querySelector(`#side-toc a[data-case="${id}"]`)?.getAttribute('aria-current') === 'location', {}, fourth.id);
    expect(await page.$$eval('#side-toc a[aria-current]', (as) => as.length)).toBe(1);
    await page.click(`#side-toc a[data-case="${second.id}"]`);
    // The next link at the end of the case goes to the third case; 目录 goes back to the contents.
    await page.click(`#case-${second.id} + .pager .pager-next`);
    expect(await page.evaluate(() => location.hash)).toBe(`#case-${compilation.cases[2]!.id}`);
    await page.click(`#case-${compilation.cases[2]!.id} + .pager .pager-toc`);
    expect(await page.evaluate(() => location.hash)).toBe('#toc');
    // A part folds away and opens again.
    const part = compilation.parts[0]!;
    await page.click(`button[aria-controls="side-${part.id}"]`);
    expect(await page.$eval(`#side-${part.id}`, (e) => (e as HTMLElement).hidden)).toBe(true);
    await page.click(`button[aria-controls="side-${part.id}"]`);
    expect(await page.$eval(`#side-${part.id}`, (e) => (e as HTMLElement).hidden)).toBe(false);
  });

  it('filters by 领域, 举措 and 工作机制 combined, with counts, and the count table links each cell to its filtered list', async () => {
    await open();
    await page.click('#filters > summary');
    await page.click('input[name="sector"][value="soe"]');
    await page.click('input[name="measure"][value="7"]');
    const soe7 = compilation.cases.filter((c) => c.sector.key === 'soe' && c.measures.some((m) => m.number === 7));
    expect(soe7.length).toBeGreaterThan(0);
    expect(await visibleSideCases()).toEqual(ids(soe7));
    expect(await page.$eval('#list-status', (e) => e.textContent)).toContain(`${soe7.length} 个案例`);
    // Each measure's count is what checking it too would give: the soe cases with that measure.
    const count5 = compilation.cases.filter((c) => c.sector.key === 'soe' && c.measures.some((m) => m.number === 5)).length;
    expect(await page.$eval('input[name="measure"][value="5"] ~ .filter-count', (e) => e.textContent)).toBe(String(count5));
    // Measures of one group are or-ed: 7 or 5.
    await page.click('input[name="measure"][value="5"]');
    const soe57 = compilation.cases.filter((c) => c.sector.key === 'soe' && c.measures.some((m) => m.number === 5 || m.number === 7));
    expect(await visibleSideCases()).toEqual(ids(soe57));
    // Search looks only among the filtered cases.
    await page.type('#search-input', '揭榜挂帅');
    const found = await page.$$eval('#search-results .result-title', (as) => as.map((a) => a.getAttribute('href')!.slice('#case-'.length)));
    const soe57With = soe57.filter((c) => readFileSync(c.document.source.path, 'utf8').includes('揭榜挂帅'));
    expect(soe57With.length).toBeGreaterThan(0);
    expect(soe57With.length).toBeLessThan(compilation.cases.filter((c) => readFileSync(c.document.source.path, 'utf8').includes('揭榜挂帅')).length);
    expect(new Set(found)).toEqual(new Set(ids(soe57With)));
    await page.click('#search-input', { clickCount: 3 });
    await page.keyboard.press('Backspace');
    const mechanism = soe7[0]!.mechanism.name;
    await page.click(`input[name="mechanism"][value="${mechanism}"]`);
    expect(await visibleSideCases()).toEqual(ids(soe57.filter((c) => c.mechanism.name === mechanism)));
    // The filter is in the address, so a reload keeps it.
    await page.reload({ waitUntil: 'load' });
    expect(await visibleSideCases()).toEqual(ids(soe57.filter((c) => c.mechanism.name === mechanism)));
    await page.click('#filter-clear');
    expect(await visibleSideCases()).toEqual(ids(compilation.cases));

    // The appendix's table: the cell 国有企业 × 举措5.
    const soeRow = compilation.parts.findIndex((p) => p.sector.key === 'soe');
    const link = `.count-table tbody tr:nth-child(${soeRow + 1}) td:nth-of-type(5) a`;
    expect(await page.$eval(link, (a) => a.getAttribute('href'))).toBe('#filter?sector=soe&measure=5');
    await page.$eval(link, (a) => (a as HTMLElement).scrollIntoView());
    await page.click(link);
    await page.waitForFunction(() => document.body.classList.contains('is-filtered'));
    const soe5 = compilation.cases.filter((c) => c.sector.key === 'soe' && c.measures.some((m) => m.number === 5));
    expect(await visibleSideCases()).toEqual(ids(soe5));
    expect(await page.$eval(link, (a) => a.textContent)).toBe(String(soe5.length));
    await page.click('#filter-clear');
  });

  it('finds 揭榜挂帅 and 三级导师 in Chinese text, highlights them, and goes to the very paragraph', async () => {
    await open();
    for (const word of ['揭榜挂帅', '三级导师']) {
      const expected = compilation.cases.filter((c) => readFileSync(c.document.source.path, 'utf8').includes(word));
      expect(expected.length, word).toBeGreaterThan(0);
      await page.click('#search-input', { clickCount: 3 });
      await page.keyboard.press('Backspace');
      await page.type('#search-input', word);
      const found = await page.$$eval('#search-results .result-title', (as) => as.map((a) => a.getAttribute('href')!.slice('#case-'.length)));
      expect(new Set(found), word).toEqual(new Set(ids(expected)));
      const marks = await page.$$eval('#search-results mark', (ms) => ms.map((m) => m.textContent));
      expect(marks.length).toBeGreaterThan(0);
      expect(new Set(marks)).toEqual(new Set([word]));
    }
    // Two words: cases with both, anywhere in the case.
    await page.click('#search-input', { clickCount: 3 });
    await page.type('#search-input', '揭榜挂帅 医院');
    const both = compilation.cases.filter((c) => {
      const text = readFileSync(c.document.source.path, 'utf8');
      return text.includes('揭榜挂帅') && text.includes('医院');
    });
    expect(await page.$$eval('#search-results .result-title', (as) => as.length)).toBe(both.length);

    // A snippet leads to its paragraph in the case, highlighted and in view.
    await page.click('#search-input', { clickCount: 3 });
    await page.type('#search-input', '揭榜挂帅');
    const snippet = await page.$('#search-results .result-snippet');
    const target = (await snippet!.evaluate((a) => a.getAttribute('href')))!;
    const snippetText = (await snippet!.evaluate((a) => a.textContent))!.replace(/…/g, '');
    await snippet!.click();
    expect(await page.evaluate(() => location.hash)).toBe(target);
    const current = await page.$eval('mark.hit-current', (m) => ({
      inCase: m.closest('article')!.id,
      text: m.textContent,
      top: m.getBoundingClientRect().top,
      block: m.closest('p, li, td, th, h3, h4, h5, h6')!.textContent!,
    }));
    expect(current.inCase).toBe(target.slice(1));
    expect(current.text).toBe('揭榜挂帅');
    expect(current.top).toBeGreaterThan(0);
    expect(current.top).toBeLessThan(860);
    expect(current.block.replace(/\s+/g, '')).toContain(snippetText.replace(/\s+/g, '').slice(0, 12));

    // Nothing found is said so; Escape in the box clears the search and brings the contents back.
    await page.click('#search-input', { clickCount: 3 });
    await page.type('#search-input', '并不存在的词语');
    expect(await page.$eval('#list-status', (e) => e.textContent)).toContain('没有找到');
    await page.keyboard.press('Escape');
    expect(await page.$eval('#search-input', (e) => (e as HTMLInputElement).value)).toBe('');
    expect(await page.$$eval('mark.hit', (ms) => ms.length)).toBe(0);
    expect(await visibleSideCases()).toEqual(ids(compilation.cases));
  });

  it('keeps a deep link #case-<id> across a reload, and moves by keyboard: / to search, ← → between cases', async () => {
    const kase = compilation.cases.find((c) => c.id === 'shougang') ?? compilation.cases[4]!;
    await open(`#case-${kase.id}`);
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => 'huibian' in window);
    const top = await topOf(`#case-${kase.id}`);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(120);
    expect(await page.$eval(`#side-toc a[data-case="${kase.id}"]`, (a) => a.getAttribute('aria-current'))).toBe('location');
    const at = compilation.cases.indexOf(kase);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((id) => location.hash === `#case-${id}`, {}, compilation.cases[at + 1]!.id);
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((id) => location.hash === `#case-${id}`, {}, kase.id);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input');
  });

  it('passes axe-core with no serious or critical violation, in light and dark, with results and filters open', async () => {
    await open();
    await axe('desktop, light');
    await page.click('#filters > summary');
    await page.type('#search-input', '揭榜挂帅');
    await axe('desktop, search results');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await open('#case-shougang');
    expect(await page.$eval('.web-main', (e) => getComputedStyle(e).backgroundColor)).not.toBe('rgb(255, 255, 255)');
    await axe('desktop, dark');
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
  });

  it('on a 390 px phone: the sidebar is a drawer, nothing scrolls sideways, and a case link closes the drawer', async () => {
    await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      await open();
      const hiddenSidebar = await page.$eval('#sidebar', (e) => getComputedStyle(e).visibility);
      expect(hiddenSidebar).toBe('hidden');
      expect(await page.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(390);
      await page.tap('#menu-button');
      await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).visibility === 'visible');
      expect(await page.$eval('#menu-button', (b) => b.getAttribute('aria-expanded'))).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input');
      await axe('phone, drawer open');
      // A tap on the page beside the drawer closes it; the menu opens it again.
      await page.mouse.click(375, 400);
      await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).visibility === 'hidden');
      await page.tap('#menu-button');
      await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).visibility === 'visible');
      const kase = compilation.cases.at(-1)!;
      await page.$eval(`#side-toc a[data-case="${kase.id}"]`, (a) => a.scrollIntoView());
      await page.tap(`#side-toc a[data-case="${kase.id}"]`);
      expect(await page.evaluate(() => location.hash)).toBe(`#case-${kase.id}`);
      await page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).visibility === 'hidden');
      const top = await topOf(`#case-${kase.id}`);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(top).toBeLessThan(120);
      await axe('phone, reading');
    } finally {
      await page.setViewport({ width: 1280, height: 860 });
    }
  });

  it('prints only the book: no bar, sidebar or buttons', async () => {
    await open('#case-shougang');
    await page.emulateMediaType('print');
    const shown = await page.$$eval('.web-bar, #sidebar, .pager, .to-contents', (es) => es.map((e) => getComputedStyle(e).display));
    expect(new Set(shown)).toEqual(new Set(['none']));
    expect(await page.$eval('.web-main', (e) => getComputedStyle(e).marginLeft)).toBe('0px');
    await page.emulateMediaType(null);
  });

  it('made no request but the file itself, and no script error or CSP violation', () => {
    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
  });
});
