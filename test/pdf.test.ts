// The print stage on its own, against a hand-written book that follows docs/html-contract.md: page references filled
// from a first print, blank pages so parts start on the right, confinement of requests, and the pure helpers.
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAllowedUrl } from '../src/pdf/confine.js';
import { makePdf, type PdfResult } from '../src/pdf/index.js';
import { bodyNumbers, planBlankPages } from '../src/pdf/numbering.js';
import { lengthInPoints } from '../src/pdf/size.js';
import { fontDirs, fontFaceCss } from '../src/render/fonts.js';
import { bookmarks, fonts, footerNumber, info, pageTexts, squash } from './helpers/pdf.js';

const fixture = fileURLToPath(new URL('./fixtures/pdf/contract/', import.meta.url));

describe('makePdf: the contract book printed with Chromium', () => {
  let result: PdfResult;
  let pdfPath: string;
  let pages: string[];

  beforeAll(async () => {
    const html = readFileSync(join(fixture, 'book.html'), 'utf8').replace('/*FONTS*/', fontFaceCss());
    result = await makePdf({
      html,
      allowedDirs: [fixture, ...fontDirs()],
      partsOnRight: true,
      executablePath: '/usr/bin/chromium',
      timeout: 120_000,
      metadata: { title: '页码测试', keywords: ['甲', '乙'], language: 'zh-Hans', date: new Date('2026-11-01T00:00:00Z'), pageSize: { width: 524.41, height: 737.01 } },
    });
    pdfPath = join(mkdtempSync(join(tmpdir(), 'huibian-pdf-')), 'book.pdf');
    writeFileSync(pdfPath, result.bytes);
    pages = pageTexts(pdfPath);
  });

  /** Physical page (1-based) where a text first appears, from page `from` on. */
  function pageOf(text: string, from: number): number {
    return pages.findIndex((p, i) => i + 1 >= from && squash(p).includes(squash(text))) + 1;
  }

  /** A part title page holds its title and its page number, nothing else. */
  function partPage(title: string): number {
    return pages.findIndex((p) => new RegExp(`^${squash(title)}\\d*$`).test(squash(p))) + 1;
  }

  it('prints twice: once to measure, once with the numbers written in', () => {
    expect(result.passes).toBe(2);
    expect(result.pages).toBe(pages.length);
  });

  it('starts each part on an odd page, inserting blank pages that print nothing', () => {
    const partPages = ['一、甲篇', '二、乙篇', '三、丙篇'].map(partPage);
    expect(partPages.every((p) => p > 0)).toBe(true);
    for (const p of partPages) expect(p % 2, `part on page ${p}`).toBe(1);
    // The preface is long enough that the 目录 ends on an even page only if a blank follows it; either way the
    // page before every part is odd-numbered content or an empty page.
    const blanks = pages.map((p, i) => ({ i: i + 1, empty: p.trim() === '' })).filter((p) => p.empty).map((p) => p.i);
    expect(blanks.length).toBeGreaterThan(0);
    expect(result.warnings.filter((w) => w.includes('ERR_BLOCKED_BY_CLIENT'))).toEqual([]);
    for (const b of blanks) expect(partPages).toContain(b + 1);
  });

  it('writes into each page-ref the number printed in the footer of the page where its target begins', () => {
    const firstPart = partPage('一、甲篇');
    expect(footerNumber(pages[firstPart - 1]!)).toBe(1);
    expect(footerNumber(pages[firstPart]!)).toBe(2);
    const toc = pages.findIndex((p) => p.includes('目录')) + 1;
    const tocText = squash(pages[toc - 1]!);
    for (const [title, ref] of [
      ['甲篇第一个案例', 'case-a1'],
      ['甲篇第二个案例', 'case-a2'],
      ['乙篇中文编号的案例', 'case-示例'],
      ['丙篇唯一的案例', 'case-c1'],
    ] as const) {
      const physical = pageOf(title, firstPart);
      const printed = footerNumber(pages[physical - 1]!);
      expect(printed, title).toBe(physical - firstPart + 1);
      expect(result.pageNumbers.get(ref), ref).toBe(printed);
      expect(tocText, title).toContain(`${squash(title)}${printed}`);
    }
    const appendix = squash(pages.at(-1)!);
    expect(appendix).toContain(`乙篇中文编号的案例${result.pageNumbers.get('case-示例')}`);
    expect(appendix).toContain('不存在的案例000');
    expect(result.warnings.join('\n')).toContain('#case-missing');
  });

  it('blocks every request outside the allowed folders and says how many', () => {
    const blocked = result.warnings.find((w) => w.startsWith('已阻止'));
    expect(blocked).toMatch(/已阻止 5 个不允许的请求/);
    expect(blocked).toContain('http://127.0.0.1:9/remote.css');
    expect(blocked).toContain('file:///etc/hostname');
    const hostname = readFileSync('/etc/hostname', 'utf8').trim();
    if (hostname.length > 3) expect(pages.join('')).not.toContain(hostname);
  });

  it('keeps only h1 and h2 in the outline, embeds fonts as CID TrueType, and sets the exact page size', () => {
    const outline = bookmarks(pdfPath);
    expect(outline.map((b) => b.title)).toEqual(['前言', '目录', '一、甲篇', '二、乙篇', '三、丙篇', '附录']);
    expect(outline[2]!.kids.map((k) => k.title)).toEqual(['甲篇第一个案例', '甲篇第二个案例']);
    expect(outline.flatMap((b) => b.kids).flatMap((k) => k.kids)).toEqual([]);
    expect(new Set(fonts(pdfPath).map((f) => f.type))).toEqual(new Set(['CID TrueType']));
    const i = info(pdfPath);
    expect(i['Page size']).toBe('524.41 x 737.01 pts');
    expect(i.Keywords).toBe('甲；乙');
    expect(i.Tagged).toBe('yes');
  });
});

describe('page numbering helpers', () => {
  const destinations = new Map([
    ['part-a', 4],
    ['case-a1', 5],
    ['part-b', 8],
    ['case-b1', 9],
    ['part-c', 11],
  ]);

  it('plans a blank page before each part that would start on an even page, counting the blanks already planned', () => {
    expect(planBlankPages({ destinations, parts: ['part-a', 'part-b', 'part-c'] }, true)).toEqual(['part-a', 'part-c']);
    // Without partsOnRight only the first part is moved, so that page 1 is a right-hand page.
    expect(planBlankPages({ destinations, parts: ['part-a', 'part-b', 'part-c'] }, false)).toEqual(['part-a']);
  });

  it('numbers pages from the body’s first page', () => {
    const numbers = bodyNumbers({ pages: 12, destinations, refs: ['case-a1', 'case-b1', 'case-x'], parts: ['part-a'], bodyStart: 'part-a' });
    expect(Object.fromEntries(numbers)).toEqual({ 'case-a1': 2, 'case-b1': 6, 'part-a': 1 });
  });

  it('converts CSS lengths to points', () => {
    expect(lengthInPoints('185mm')!.toFixed(2)).toBe('524.41');
    expect(lengthInPoints('260mm')!.toFixed(2)).toBe('737.01');
    expect(lengthInPoints('1in')).toBe(72);
    expect(lengthInPoints('wide')).toBeUndefined();
  });
});

describe('isAllowedUrl', () => {
  const root = mkdtempSync(join(tmpdir(), 'huibian-confine-'));
  writeFileSync(join(root, 'ok.png'), '');
  symlinkSync('/etc/hostname', join(root, 'escape.png'));

  it('allows data: URLs and files under an allowed folder', () => {
    expect(isAllowedUrl('data:image/png;base64,AAAA', [root])).toBe(true);
    expect(isAllowedUrl(pathToFileURL(join(root, 'ok.png')).href, [root])).toBe(true);
  });

  it('refuses the network, files elsewhere, a look-alike folder, `..` and a symlink pointing out', () => {
    for (const url of [
      'https://example.com/a.png',
      'http://127.0.0.1/x',
      'ws://localhost:1/',
      'file:///etc/passwd',
      pathToFileURL(`${root}-other/ok.png`).href,
      `${pathToFileURL(root).href}/../etc/passwd`,
      pathToFileURL(join(root, 'escape.png')).href,
    ]) {
      expect(isAllowedUrl(url, [root]), url).toBe(false);
    }
  });
});
