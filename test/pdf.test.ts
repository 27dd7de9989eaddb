// The print stage on its own, against a hand-written book that follows docs/html-contract.md: page references filled
// in, blank pages so parts start on the right, the book printed in segments and merged exactly as if printed whole,
// confinement of requests, and the pure helpers.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { isAllowedUrl } from '../src/pdf/request-filter.js';
import { keepBrowsers, makePdf, type PdfJob, type PdfResult, type PrintKeeper } from '../src/pdf/index.js';
import { placeSegment, planSegments, type Unit } from '../src/pdf/segments.js';
import { lengthInPoints } from '../src/pdf/size.js';
import { fontDirs, fontFaceCss } from '../src/render/fonts.js';
import { compile } from '../src/workflows/compile.js';
import { bookmarks, destinations, fonts, footerNumber, info, internalLinks, pageTexts, squash, structureText } from './helpers/pdf.js';

/** The fixture's case with a long Chinese id (as `huibian import` derives from a file name): 270 bytes percent-encoded. */
const chineseId = 'case-北京市海淀区委组织部推进党建和业务深度融合工作的中文编号示例案例';

const fixture = fileURLToPath(new URL('./fixtures/pdf/contract/', import.meta.url));

describe('makePdf: the contract book printed with Chromium', () => {
  let result: PdfResult;
  let pdfPath: string;
  let pages: string[];

  beforeAll(async () => {
    ({ result, pdfPath } = await printContractBook());
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

  it('prints each part and the appendix once, then the front matter once, its 目录 filled in (its four pages need no filler)', () => {
    expect(result.prints).toBe(3 + 1 + 1);
    expect(partPage('一、甲篇')).toBe(5);
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
      ['乙篇中文编号的案例', chineseId],
      ['丙篇唯一的案例', 'case-c1'],
    ] as const) {
      const physical = pageOf(title, firstPart);
      const printed = footerNumber(pages[physical - 1]!);
      expect(printed, title).toBe(physical - firstPart + 1);
      expect(result.pageNumbers.get(ref), ref).toBe(printed);
      expect(tocText, title).toContain(`${squash(title)}${printed}`);
    }
    const appendix = squash(pages.at(-1)!);
    expect(appendix).toContain(`乙篇中文编号的案例${result.pageNumbers.get(chineseId)}`);
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

/** The contract book through makePdf, written to a temporary file. */
async function printContractBook(segmentBudget?: number, pagesPerLoad?: number, wholeBodyBudget = 0, change = (html: string) => html, cacheDir?: string, more: Partial<PdfJob> = {}): Promise<{ result: PdfResult; pdfPath: string }> {
  const source = change(readFileSync(join(fixture, 'book.html'), 'utf8'));
  const html = source.replace('/*FONTS*/', await fontFaceCss(source));
  const result = await makePdf({
    html,
    allowedDirs: [fixture, ...fontDirs()],
    partsOnRight: true,
    executablePath: '/usr/bin/chromium',
    timeout: 120_000,
    segmentBudget,
    pagesPerLoad,
    // The tests above print the book in segments, as a big book is; the small-book path has its own below.
    wholeBodyBudget,
    cacheDir,
    metadata: { title: '页码测试', keywords: ['甲', '乙'], language: 'zh-Hans', date: new Date('2026-11-01T00:00:00Z'), pageSize: { width: 524.41, height: 737.01 } },
    ...more,
  });
  const pdfPath = join(mkdtempSync(join(tmpdir(), 'huibian-pdf-')), 'book.pdf');
  writeFileSync(pdfPath, result.bytes);
  return { result, pdfPath };
}

describe('makePdf: the same book cut into a segment per page-starting unit, merged', () => {
  let whole: { result: PdfResult; pdfPath: string };
  let cut: { result: PdfResult; pdfPath: string };

  beforeAll(async () => {
    // The default budget prints each part as one segment; a budget of 1 cuts before every case as well, so some
    // segments begin on a left-hand page (a throwaway page is printed first and dropped). Loading the book afresh
    // after every 3 pages printed must not change a thing either (blank pages and page numbers are put back).
    [whole, cut] = [await printContractBook(), await printContractBook(1, 3)];
  });

  it('prints more segments, and every page reads the same: text, running heads and page numbers', () => {
    expect(cut.result.prints).toBeGreaterThan(whole.result.prints);
    const [a, b] = [pageTexts(whole.pdfPath), pageTexts(cut.pdfPath)];
    expect(b.length).toBe(a.length);
    b.forEach((text, i) => expect(text, `page ${i + 1}`).toBe(a[i]));
    expect(Object.fromEntries(cut.result.pageNumbers)).toEqual(Object.fromEntries(whole.result.pageNumbers));
  });

  it('keeps one outline, one tag tree and the named destinations across segments', () => {
    expect(bookmarks(cut.pdfPath)).toEqual(bookmarks(whole.pdfPath));
    const structure = structureText(cut.pdfPath);
    expect(structure).toBe(structureText(whole.pdfPath));
    // One Document element holding the whole book, cases in order.
    expect(structure.match(/^Document$/gm)).toHaveLength(1);
    const order = ['甲篇第一个案例', '甲篇第二个案例', '乙篇中文编号的案例', '丙篇唯一的案例'].map((t) => structure.indexOf(t));
    expect(order.every((i, k) => i > 0 && (k === 0 || i > order[k - 1]!))).toBe(true);
    expect(info(cut.pdfPath).Tagged).toBe('yes');
    // qpdf exits non-zero on a broken cross-reference table, object or stream.
    expect(execFileSync('qpdf', ['--check', cut.pdfPath], { encoding: 'utf8' })).toContain('No syntax or stream encoding errors');
    expect(destinations(cut.pdfPath)).toEqual(destinations(whole.pdfPath));
  });

  it('links from the 目录 and the index reach the page where each case begins, across segments', async () => {
    const dests = destinations(cut.pdfPath);
    const pages = pageTexts(cut.pdfPath);
    const links = await internalLinks(cut.pdfPath);
    const toc = pages.findIndex((p) => p.includes('目录')) + 1;
    const fromToc = links.filter((l) => l.page === toc);
    // Each 目录 entry goes to the page its case begins on, the one with a long Chinese id too.
    const titles = ['甲篇第一个案例', '甲篇第二个案例', '乙篇中文编号的案例', '丙篇唯一的案例'];
    expect(fromToc.map((l) => titles.find((t) => squash(pages[dests.get(l.name)! - 1] ?? '').includes(t)))).toEqual(titles);
    for (const link of links) {
      expect(dests.has(link.name), link.name).toBe(true);
    }
    // Names are short ASCII (PDF allows 127 bytes); a plain ASCII id keeps its own name, so book.pdf#case-a1 works.
    for (const name of dests.keys()) expect(name, name).toMatch(/^[\x21-\x7e]{1,127}$/);
    expect(dests.has('case-a1')).toBe(true);
    // poppler warned “name token is longer than what the specification says it can be” for the long ids.
    for (const [tool, args] of [['pdfinfo', ['-dests']], ['pdftotext', []]] as const) {
      const run = spawnSync(tool, [...args, cut.pdfPath, ...(tool === 'pdftotext' ? ['-'] : [])], { encoding: 'utf8', maxBuffer: 64 << 20 });
      expect(run.stderr, tool).toBe('');
    }
    const target = dests.get(fromToc[2]!.name)!;
    expect(squash(pages[target - 1]!)).toContain('乙篇中文编号的案例');
  });
});

/** A 64×64 red PNG, made with zlib here (no binary fixture). */
const redSquare = (() => {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (bytes: Buffer) => {
    let c = 0xffffffff;
    for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(64, 0);
  header.writeUInt32BE(64, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(64 * 3, Buffer.from([220, 30, 30]))]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: 64 }, () => row)));
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]).toString('base64');
})();

describe('makePdf: fresh pages loaded from the skeleton of the book, given only the units they print', () => {
  it('print what the first page would have printed: the same cache keys, the same bytes', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'huibian-skeleton-'));
    // Every 3 pages a fresh page: after the first, each loads the skeleton. The cache keys are read from the page, so
    // the same keys from a page that was loaded whole (no fresh pages at all) mean the same HTML in the same places.
    // An image in the last case: a fresh page is given it as HTML, and prints it as a page loaded whole does.
    const withImage = (html: string) => html.replace('<h2 class="case-title">丙篇唯一的案例</h2>', `<h2 class="case-title">丙篇唯一的案例</h2><p><img src="data:image/png;base64,${redSquare}" style="width:60mm"></p>`);
    const reloaded = await printContractBook(1, 3, 0, withImage, cacheDir);
    expect(reloaded.result.prints).toBeGreaterThan(6);
    const loadedOnce = await printContractBook(1, 1_000_000, 0, withImage, cacheDir);
    expect(loadedOnce.result.prints).toBe(0);
    expect(loadedOnce.result.reused).toBe(reloaded.result.prints);
    const cold = await printContractBook(1, 1_000_000, 0, withImage);
    expect(readFileSync(reloaded.pdfPath).equals(readFileSync(cold.pdfPath))).toBe(true);
    const images = execFileSync('pdfimages', ['-list', reloaded.pdfPath], { encoding: 'utf8' }).trim().split('\n').slice(2);
    expect(images).toHaveLength(1);
  });
});

describe('makePdf in `compile --watch` for a book printed from several loads', () => {
  it("keeps the segments it parsed for merging, and merges the next build's reused ones as kept, with the bytes of a cold build", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'huibian-kept-segments-'));
    const browsers = keepBrowsers();
    try {
      const keeper: PrintKeeper = {};
      // A fresh page every 3 pages: the segments are not handed on by the printer but parsed when merging.
      const watched = (change: (html: string) => string) => printContractBook(1, 3, 0, change, cacheDir, { browser: browsers.get({ executablePath: '/usr/bin/chromium', timeout: 120_000 }), keeper });
      const first = await watched((html) => html);
      const kept = new Map(keeper.segments);
      expect(first.result.prints).toBeGreaterThan(6);
      expect(kept.size, 'every final print, parsed').toBe(first.result.prints);
      const edited = (html: string) => html.replace('<h2 class="case-title">丙篇唯一的案例</h2>', '<h2 class="case-title">丙篇仅有的案例</h2>');
      const second = await watched(edited);
      expect(second.result.prints).toBeGreaterThan(0);
      expect(second.result.reused).toBeGreaterThan(0);
      // Only what changed is copied again, over its copy in the last build's merged PDF (parts cut between segments
      // joined again); the bytes below are still a cold build's.
      expect(second.result.merge.inPlace).toBe(true);
      expect(second.result.merge.copied).toBeGreaterThan(0);
      expect(second.result.merge.copied).toBeLessThan(first.result.merge.copied);
      const now = keeper.segments!;
      // The reused segments are the very documents the first build parsed; the map holds this build's segments only.
      const same = [...now].filter(([key, doc]) => kept.get(key) === doc);
      expect(same).toHaveLength(second.result.reused);
      expect(now.size).toBe(second.result.prints + second.result.reused);
      const cold = await printContractBook(1, 3, 0, edited);
      expect(readFileSync(second.pdfPath).equals(readFileSync(cold.pdfPath))).toBe(true);
    } finally {
      await browsers.close();
    }
  });
});

describe('makePdf: a small book, printed whole untagged and then its body and appendix whole, instead of a segment per part', () => {
  let parts: { result: PdfResult; pdfPath: string };
  let whole: { result: PdfResult; pdfPath: string };

  beforeAll(async () => {
    [parts, whole] = [await printContractBook(), await printContractBook(undefined, undefined, 1_000_000)];
  });

  it('prints the whole book once, then the body and the front matter, where segments printed each part once', () => {
    expect(whole.result.prints).toBe(1 + 1 + 1);
    expect(parts.result.prints).toBe(3 + 1 + 1);
  });

  it('puts blank pages before the parts as the segmented print does: every page reads the same, numbers too', async () => {
    const [a, b] = [pageTexts(parts.pdfPath), pageTexts(whole.pdfPath)];
    expect(b.length).toBe(a.length);
    b.forEach((text, i) => expect(text, `page ${i + 1}`).toBe(a[i]));
    expect(Object.fromEntries(whole.result.pageNumbers)).toEqual(Object.fromEntries(parts.result.pageNumbers));
    expect(bookmarks(whole.pdfPath)).toEqual(bookmarks(parts.pdfPath));
    expect(structureText(whole.pdfPath)).toBe(structureText(parts.pdfPath));
    expect(destinations(whole.pdfPath)).toEqual(destinations(parts.pdfPath));
    expect(await internalLinks(whole.pdfPath)).toEqual(await internalLinks(parts.pdfPath));
    expect(fonts(whole.pdfPath).every((f) => f.type === 'CID TrueType')).toBe(true);
  });
});

describe('makePdf: a front matter of odd length, which the first part\'s blank page evens out', () => {
  // One more page of front matter: cover, 前言 (two pages), 说明, 目录.
  const oddFront = (html: string) => html.replace('<section class="front-matter"><h1>目录</h1>', '<section class="front-matter"><h1>说明</h1><p>本书按篇排列。</p></section>\n<section class="front-matter"><h1>目录</h1>');
  let parts: { result: PdfResult; pdfPath: string };
  let whole: { result: PdfResult; pdfPath: string };

  beforeAll(async () => {
    [parts, whole] = [await printContractBook(undefined, undefined, 0, oddFront), await printContractBook(undefined, undefined, 1_000_000, oddFront)];
  });

  it('prints the front matter once when printed last in segments, its blank page a frame, and once when printed whole', () => {
    // Segments: each part, the appendix, the front matter (found odd: the first part's blank page is printed as a frame).
    expect(parts.result.prints).toBe(3 + 1 + 1);
    expect(whole.result.prints).toBe(1 + 1 + 1);
  });

  it('begins the body on page 7 after a blank page 6, and every page reads the same both ways', () => {
    const [a, b] = [pageTexts(parts.pdfPath), pageTexts(whole.pdfPath)];
    expect(squash(a[3]!)).toMatch(/^说明/);
    expect(squash(a[4]!)).toMatch(/^目录/);
    expect(squash(a[5]!)).toBe('');
    expect(squash(a[6]!)).toMatch(/^一、甲篇1$/);
    expect(a.length).toBe(parts.result.pages);
    expect(b).toEqual(a);
    expect(Object.fromEntries(whole.result.pageNumbers)).toEqual(Object.fromEntries(parts.result.pageNumbers));
    expect(parts.result.pageNumbers.get('part-a')).toBe(1);
    expect(bookmarks(whole.pdfPath)).toEqual(bookmarks(parts.pdfPath));
    expect(structureText(whole.pdfPath)).toBe(structureText(parts.pdfPath));
    expect(destinations(whole.pdfPath)).toEqual(destinations(parts.pdfPath));
  });

  it('begins the body on a right-hand page after the blank page even when the first part\'s filler is not at the end of the front matter', async () => {
    const misplaced = (html: string) => oddFront(html).replace('<h1 class="part-title">一、甲篇</h1>', '<h1 class="part-title">一、甲篇</h1><div class="part-filler" data-for="part-a"></div>');
    const { result, pdfPath } = await printContractBook(undefined, undefined, 0, misplaced);
    const pages = pageTexts(pdfPath);
    expect(squash(pages[4]!)).toMatch(/^目录/);
    expect(squash(pages[5]!)).toBe('');
    expect(squash(pages[6]!)).toMatch(/^一、甲篇1$/);
    expect(result.pageNumbers.get('part-a')).toBe(1);
    expect(result.warnings.join('\n')).not.toContain('第一篇');
  });
});

describe('planning segments', () => {
  const unit = (matter: Unit['matter'], extra: Partial<Unit> = {}): Unit => ({ matter, size: 10, newPage: true, filler: false, ...extra });
  // cover, 目录, filler + part a (title, 2 cases, one of which does not start a page), filler + part b (title, case), appendix
  const units: Unit[] = [
    unit('front'),
    unit('front'),
    unit('front', { filler: true, newPage: false }),
    unit('body', { partStart: 'part-a' }),
    unit('body'),
    unit('body', { newPage: false }),
    unit('body', { filler: true, newPage: false }),
    unit('body', { partStart: 'part-b' }),
    unit('body'),
    unit('appendix'),
  ];

  it('puts the front matter, the body and the appendix in segments of their own', () => {
    expect(planSegments(units, { splitAtParts: false, budget: Infinity })).toEqual([
      { kind: 'front', from: 0, to: 3 },
      { kind: 'body', from: 3, to: 9, part: 'part-a' },
      { kind: 'appendix', from: 9, to: 10 },
    ]);
  });

  it('starts a segment at each part when parts go on the right, the filler going with its part', () => {
    expect(planSegments(units, { splitAtParts: true, budget: Infinity }).map((s) => [s.from, s.to, s.part])).toEqual([
      [0, 3, undefined],
      [3, 6, 'part-a'],
      [6, 9, 'part-b'],
      [9, 10, undefined],
    ]);
  });

  it('cuts the appendix too, once full', () => {
    const appendix = [...units, unit('appendix'), unit('appendix', { newPage: false })];
    expect(planSegments(appendix, { splitAtParts: false, budget: 1 }).filter((s) => s.kind === 'appendix').map((s) => [s.from, s.to])).toEqual([
      [9, 10],
      [10, 12],
    ]);
  });

  it('cuts once a segment is full, only before a unit that starts a page', () => {
    // Full after every unit: cut before each unit that starts a page, never before unit 5 (it does not).
    expect(planSegments(units, { splitAtParts: false, budget: 1 }).filter((s) => s.kind === 'body').map((s) => [s.from, s.to])).toEqual([
      [3, 4],
      [4, 6],
      [6, 8],
      [8, 9],
    ]);
  });

  it('prints a throwaway page first when a segment begins on a left-hand page, and starts the counter there', () => {
    // 4 front pages: physical page 5 shows 1.
    expect(placeSegment(5, 4)).toEqual({ throwawayPage: false, counterStart: 1 });
    expect(placeSegment(8, 4)).toEqual({ throwawayPage: true, counterStart: 3 });
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

describe('the sample book’s fonts in its PDF', () => {
  it('are the four packaged faces only, each embedded as CID TrueType once per printed segment, never a system font', async () => {
    const repo = fileURLToPath(new URL('..', import.meta.url));
    const scratch = mkdtempSync(join(tmpdir(), 'huibian-sample-fonts-'));
    // An empty font cache: the faces are cut in this run.
    const result = await compile({ cwd: repo, outDir: join(scratch, 'out'), formats: ['pdf'], env: { XDG_CACHE_HOME: join(scratch, 'cache') } });
    expect(result.exitCode).toBe(0);
    expect(result.warnings).toEqual([]);
    const rows = fonts(result.outputs[0]!);
    expect(rows.filter((f) => f.type !== 'CID TrueType')).toEqual([]);
    expect(rows.every((f) => f.embedded)).toBe(true);
    // No fallback from the system (DejaVu for a character Noto lacks, CFF Noto CJK as Type 3): the same glyphs everywhere.
    expect(new Set(rows.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')))).toEqual(
      new Set(['NotoSerifSC-Regular', 'NotoSerifSC-Bold', 'NotoSansSC-Medium', 'NotoSansSC-Bold']),
    );
    // With ~100 unicode-range slices per weight the same book held 359 font objects; now at most 4 per segment (≤ 10).
    expect(rows.length).toBeLessThanOrEqual(40);
  }, 180_000);
});
