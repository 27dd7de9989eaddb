// `huibian compile` end to end with real Chromium and poppler: page numbers, bookmarks, fonts, metadata, determinism,
// and what a failed, refused or interrupted compile leaves behind.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { PDFDocument, PDFName, PDFString } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { compile, type CompileResult } from '../src/index.js';
import { createProgress } from '../src/shared/progress.js';
import { bookmarks, countBookmarks, fonts, footerNumber, info, pageTexts, processesMatching, squash, type Bookmark } from './helpers/pdf.js';
import { captured } from './helpers/streams.js';

const fixture = fileURLToPath(new URL('./fixtures/compile/book/', import.meta.url));
const bin = fileURLToPath(new URL('../bin/huibian.js', import.meta.url));
const epoch = '1780000000';

/** The text pdftotext finds in a rectangle of page `page` (points from the top left). */
function regionText(pdf: string, page: number, x: number, y: number, w: number, h: number): string {
  const box = [x, y, w, h].map((n) => String(Math.round(n)));
  return execFileSync('pdftotext', ['-f', String(page), '-l', String(page), '-x', box[0]!, '-y', box[1]!, '-W', box[2]!, '-H', box[3]!, '-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).replace(/\f/g, '');
}

/** The first page's size in points. */
function pageSize(pdf: string): { width: number; height: number } {
  const [width, height] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))!.slice(1).map(Number) as [number, number];
  return { width, height };
}

/** A fresh copy of the fixture book, so outputs never land in the repository. */
function copyOfFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), 'huibian-compile-'));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

/** A pattern for `text` that allows line breaks and spaces anywhere inside it (pdftotext wraps long titles). */
function loose(text: string): string {
  return [...squash(text)].map((ch) => ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s*');
}

/** Front matter of each case file in the fixture, for expected titles. */
function fixtureCases(): { id: string; title: string; sector: string; draft: boolean }[] {
  const out = [];
  for (const sector of ['soe', 'university', 'agency']) {
    for (const name of readdirSync(join(fixture, 'cases', sector))) {
      const text = readFileSync(join(fixture, 'cases', sector, name), 'utf8');
      const field = (key: string) => new RegExp(`^${key}: (.*)$`, 'm').exec(text)?.[1];
      out.push({ id: field('id')!, title: field('title')!, sector, draft: field('draft') === 'true' });
    }
  }
  return out;
}

describe('compile: the fixture book (3 sectors, 6 cases and a draft, 16K), printed once and read back', () => {
  let dir: string;
  let result: CompileResult;
  let stderr: string;
  let pdfPath: string;
  let pages: string[];
  let outline: Bookmark[];
  const cases = fixtureCases().filter((c) => !c.draft);
  /** The page (1-based) where pdftotext first finds each case title in the body. */
  const startPage = new Map<string, number>();
  let appendixPage: number;

  beforeAll(async () => {
    dir = copyOfFixture();
    const out = captured();
    result = await compile({ cwd: dir, streams: out.streams, env: { SOURCE_DATE_EPOCH: epoch } });
    stderr = out.text();
    pdfPath = join(dir, 'out', '测试汇编.pdf');
    pages = pageTexts(pdfPath);
    outline = bookmarks(pdfPath);
    appendixPage = outline.find((b) => b.title === '附录')!.page;
    const firstPart = outline.find((b) => b.title.endsWith('篇'))!.page;
    for (const c of cases) {
      const i = pages.findIndex((p, n) => n + 1 >= firstPart && n + 1 < appendixPage && squash(p).includes(squash(c.title)));
      if (i >= 0) startPage.set(c.id, i + 1);
    }
  });

  /** The number printed on a page; a part title page prints none, so it is one less than the next page's. */
  function printedNumber(page: number): number | undefined {
    const own = footerNumber(pages[page - 1]!);
    if (own !== undefined) return own;
    const next = footerNumber(pages[page]!);
    return next === undefined ? undefined : next - 1;
  }

  it('writes out/<name>.html and out/<name>.pdf and sums up on stderr', () => {
    expect(result.exitCode, stderr).toBe(0);
    expect(result.outputs).toEqual([join(dir, 'out', '测试汇编.html'), pdfPath]);
    expect(result.cases).toBe(6);
    expect(result.pages).toBe(pages.length);
    expect(stderr).toContain(`完成：6 个案例，${pages.length} 页`);
    expect(stderr).toContain('out/测试汇编.pdf');
    expect(stderr).toMatch(/排版 PDF（第 1\/\d+ 段）/);
    expect(readdirSync(join(dir, 'out')).sort()).toEqual(['测试汇编.html', '测试汇编.pdf']);
  });

  it('finds every case title in the body, and leaves the draft out', () => {
    expect([...startPage.keys()].sort()).toEqual(cases.map((c) => c.id).sort());
    const draft = fixtureCases().find((c) => c.draft)!;
    expect(pages.some((p) => squash(p).includes(squash(draft.title)))).toBe(false);
  });

  it('numbers the body from 1 on the first part title page, with the front matter unnumbered', () => {
    const firstPart = outline.find((b) => b.title.endsWith('篇'))!.page;
    expect(printedNumber(firstPart)).toBe(1);
    for (let p = 1; p < firstPart; p++) expect(footerNumber(pages[p - 1]!), `front page ${p}`).toBeUndefined();
    // From there on, each printed number is one more than the last one printed.
    for (let p = firstPart + 1; p <= pages.length; p++) {
      const n = footerNumber(pages[p - 1]!);
      if (n !== undefined) expect(n, `page ${p}`).toBe(p - firstPart + 1);
    }
  });

  it('prints in the 目录 the footer number of the page where each part and case begins', () => {
    const tocStart = outline.find((b) => b.title === '目录')!.page;
    const firstPart = outline.find((b) => b.title.endsWith('篇'))!.page;
    const toc = pages.slice(tocStart - 1, firstPart - 1).join('\n');
    for (const c of cases) {
      const m = new RegExp(`${loose(c.title)}\\D*?(\\d+)`).exec(toc);
      expect(m, `目录 entry for ${c.id}`).not.toBeNull();
      expect(Number(m![1]), `目录 number for ${c.id}`).toBe(printedNumber(startPage.get(c.id)!));
    }
    for (const part of outline.filter((b) => b.title.endsWith('篇'))) {
      const m = new RegExp(`${loose(part.title)}\\D*?(\\d+)`).exec(toc);
      expect(m, `目录 entry for ${part.title}`).not.toBeNull();
      expect(Number(m![1])).toBe(printedNumber(part.page));
    }
  });

  it('prints in the index the footer number of the page where each case begins', () => {
    // Page by page: a footer number must not run into the entry before it.
    const appendix = pages.slice(appendixPage - 1);
    let entries = 0;
    for (const c of cases) {
      for (const m of appendix.flatMap((p) => [...p.matchAll(new RegExp(`${loose(c.title)}\\D*?(\\d+)`, 'g'))])) {
        entries++;
        expect(Number(m[1]), `index number for ${c.id}`).toBe(printedNumber(startPage.get(c.id)!));
      }
    }
    // Each case is listed under each of its measures and under its mechanism.
    expect(entries).toBeGreaterThanOrEqual(cases.length * 2);
  });

  it('puts the book title at the top left of each left-hand body page and the part (or 附录) at the top right of each right-hand one', () => {
    // The body is printed without its page margins and each segment's margins printed apart, laid over it (a frame):
    // every page is read here, region by region, as a reader sees it.
    const parts = outline.filter((b) => b.title.endsWith('篇') || b.title === '附录');
    const { width } = pageSize(pdfPath);
    let checked = 0;
    for (let p = parts[0]!.page; p <= pages.length; p++) {
      if (pages[p - 1]!.trim() === '' || parts.some((part) => part.page === p && part.title !== '附录')) {
        // A blank page and a part's title page: nothing at the top.
        expect(squash(regionText(pdfPath, p, 0, 0, width, 50)), `page ${p}`).toBe('');
        continue;
      }
      const part = parts.filter((b) => b.page <= p).at(-1)!;
      const [left, right] = [regionText(pdfPath, p, 0, 0, width / 2, 50), regionText(pdfPath, p, width / 2, 0, width / 2, 50)].map(squash);
      if (p % 2 === 0) expect([left, right], `page ${p}`).toEqual(['测试案例汇编', '']);
      else expect([left, right], `page ${p}`).toEqual(['', part.title === '附录' ? '附录' : part.title]);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('starts every part on a right-hand (odd) page', () => {
    const parts = outline.filter((b) => b.title.endsWith('篇'));
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part.page % 2, part.title).toBe(1);
  });

  it('bookmarks 前言, 目录, the parts in configured order with their cases, and 附录 with its sections, nothing deeper', () => {
    expect(outline.map((b) => b.title)).toEqual(['前言', '目录', '一、国有企业篇', '二、高校篇', '三、机关篇', '附录']);
    const html = readFileSync(join(dir, 'out', '测试汇编.html'), 'utf8');
    const appendixHtml = html.slice(html.indexOf('<section class="appendix"'));
    const appendixSections = (appendixHtml.match(/<h2[\s>]/g) ?? []).length;
    expect(appendixSections).toBeGreaterThan(0);
    expect(countBookmarks(outline)).toBe(3 + 6 + 3 + appendixSections);
    const sectors = ['soe', 'university', 'agency'];
    outline
      .filter((b) => b.title.endsWith('篇'))
      .forEach((part, i) => {
        const expected = cases.filter((c) => c.sector === sectors[i]);
        expect(part.kids.map((k) => squash(k.title)).sort()).toEqual(expected.map((c) => squash(c.title)).sort());
        for (const kid of part.kids) {
          expect(kid.kids).toEqual([]);
          const kase = expected.find((c) => squash(c.title) === squash(kid.title))!;
          expect(kid.page, kase.id).toBe(startPage.get(kase.id));
        }
      });
  });

  it('embeds every font as CID TrueType, with no Type 3', () => {
    const rows = fonts(pdfPath);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.type === 'Type 3')).toEqual([]);
    expect(rows.filter((r) => !r.embedded)).toEqual([]);
    expect(new Set(rows.map((r) => r.type))).toEqual(new Set(['CID TrueType']));
  });

  it('says what it is: metadata, language, tags, 16K page size, and dates from SOURCE_DATE_EPOCH', async () => {
    const i = info(pdfPath);
    expect(i.Title).toBe('测试案例汇编');
    expect(i.Author).toBe('测试编印单位');
    expect(i.Subject).toBe('端到端测试用的小汇编');
    expect(i.Keywords).toContain('国有企业');
    expect(i.Keywords).toContain('找准结合点、融入中心工作');
    expect(i.Creator).toBe('huibian');
    expect(i.Tagged).toBe('yes');
    expect(i['Page size']).toBe('524.41 x 737.01 pts');
    expect(new Date(i.CreationDate!).getTime()).toBe(Number(epoch) * 1000);
    expect(new Date(i.ModDate!).getTime()).toBe(Number(epoch) * 1000);
    const doc = await PDFDocument.load(readFileSync(pdfPath), { updateMetadata: false });
    expect((doc.catalog.lookup(PDFName.of('Lang'), PDFString) as PDFString).decodeText()).toBe('zh-Hans');
  });

  it('reads back as the source text: no broken glyph mapping in a paragraph', () => {
    const source = readFileSync(join(fixture, 'cases/soe/shougang.md'), 'utf8');
    const paragraph = source.split('\n').find((l) => l.length > 60 && !l.startsWith('#') && !l.includes(':') && !l.includes('!['))!;
    const sentence = paragraph.slice(0, 30);
    expect(squash(pages.join(''))).toContain(squash(sentence));
  });

  it('gives the same bytes for the same input (HTML always, PDF with SOURCE_DATE_EPOCH)', async () => {
    const again = await compile({ cwd: dir, outDir: 'again', env: { SOURCE_DATE_EPOCH: epoch } });
    expect(again.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'again', '测试汇编.html')).equals(readFileSync(join(dir, 'out', '测试汇编.html'))), 'HTML').toBe(true);
    expect(again.pages).toBe(result.pages);
    expect(readFileSync(join(dir, 'again', '测试汇编.pdf')).equals(readFileSync(pdfPath)), 'PDF').toBe(true);
  });
});

describe('compile: a book that cannot be built leaves everything as it was', () => {
  it('stops at lint errors with exit code 1 and writes nothing', async () => {
    const dir = copyOfFixture();
    writeFileSync(join(dir, 'cases', 'agency', 'broken.md'), '---\ntitle: 缺少字段的案例\nsector: 国营企业\n---\n\n正文。\n');
    const out = captured();
    const result = await compile({ cwd: dir, streams: out.streams, env: {} });
    expect(result.exitCode).toBe(1);
    expect(out.text()).toContain('国营企业');
    expect(out.text()).toContain('未生成汇编');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('with no browser, says how to get one, exits 2 and writes nothing', async () => {
    const dir = copyOfFixture();
    const out = captured();
    const result = await compile({ cwd: dir, streams: out.streams, env: { PUPPETEER_EXECUTABLE_PATH: join(dir, 'no-such-chrome') } });
    expect(result.exitCode).toBe(2);
    expect(result.problem).toContain('PUPPETEER_EXECUTABLE_PATH');
    expect(out.text()).toContain(`huibian：${result.problem}`);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('keeps the previous outputs byte for byte when the browser fails, and leaves no temporary file', async () => {
    const dir = copyOfFixture();
    const config = join(dir, 'huibian.yaml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}browser:\n  executablePath: /bin/false\n  timeout: 20000\n`);
    const outDir = join(dir, 'out');
    mkdirSync(outDir);
    cpSync(join(fixture, 'huibian.yaml'), join(outDir, '测试汇编.html'));
    cpSync(join(fixture, 'preface.md'), join(outDir, '测试汇编.pdf'));
    const out = captured();
    const result = await compile({ cwd: dir, streams: out.streams, env: {} });
    expect(result.exitCode).toBe(2);
    expect(result.problem).toContain('无法启动浏览器');
    expect(readFileSync(join(outDir, '测试汇编.html'))).toEqual(readFileSync(join(fixture, 'huibian.yaml')));
    expect(readFileSync(join(outDir, '测试汇编.pdf'))).toEqual(readFileSync(join(fixture, 'preface.md')));
    expect(readdirSync(outDir).sort()).toEqual(['测试汇编.html', '测试汇编.pdf']);
  });

  it('two compiles at once into one folder both finish and leave one whole file', async () => {
    const dir = copyOfFixture();
    const [a, b] = await Promise.all([
      compile({ cwd: dir, formats: ['html'] }),
      compile({ cwd: dir, formats: ['html'] }),
    ]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    const alone = await compile({ cwd: dir, formats: ['html'], outDir: 'alone' });
    expect(alone.exitCode).toBe(0);
    expect(readFileSync(join(dir, 'out', '测试汇编.html')).equals(readFileSync(join(dir, 'alone', '测试汇编.html')))).toBe(true);
    expect(readdirSync(join(dir, 'out'))).toEqual(['测试汇编.html']);
  });

  it('on Ctrl-C while printing: exit code 130, previous outputs untouched, no browser process left', async () => {
    const dir = copyOfFixture();
    const outDir = join(dir, 'out');
    mkdirSync(outDir);
    cpSync(join(fixture, 'huibian.yaml'), join(outDir, '测试汇编.html'));
    cpSync(join(fixture, 'preface.md'), join(outDir, '测试汇编.pdf'));
    // A private temp folder: the browser's profile lives there, so its processes can be told from other tests'.
    const tmp = mkdtempSync(join(tmpdir(), 'huibian-sigint-'));
    const child = spawn(process.execPath, [bin, 'compile'], { cwd: dir, env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let sawBrowser = false;
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
      if (stderr.includes('排版 PDF') && !child.killed) {
        sawBrowser = processesMatching(tmp).length > 0;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(stderr).toContain('已中断');
    expect(code).toBe(130);
    expect(sawBrowser).toBe(true);
    expect(processesMatching(tmp)).toEqual([]);
    expect(readdirSync(tmp).filter((f) => f.startsWith('huibian-'))).toEqual([]);
    expect(readFileSync(join(outDir, '测试汇编.html'))).toEqual(readFileSync(join(fixture, 'huibian.yaml')));
    expect(readFileSync(join(outDir, '测试汇编.pdf'))).toEqual(readFileSync(join(fixture, 'preface.md')));
    expect(readdirSync(outDir).sort()).toEqual(['测试汇编.html', '测试汇编.pdf']);
  });
});

describe('progress on stderr', () => {
  function stream(isTTY: boolean, columns?: number) {
    let text = '';
    const s = Object.assign(
      new Writable({
        write(chunk, _enc, done) {
          text += String(chunk);
          done();
        },
      }),
      { isTTY, columns },
    );
    return { s, text: () => text };
  }

  it('writes plain lines when stderr is not a terminal', () => {
    const out = stream(false);
    const p = createProgress(out.s);
    p.stage('检查 3 个案例');
    p.stage('排版 PDF（第 1/6 段）');
    p.line('完成');
    expect(out.text()).toBe('huibian：检查 3 个案例\nhuibian：排版 PDF（第 1/6 段）\n完成\n');
  });

  it('rewrites one line on a terminal, cut to its width, and clears it before lasting lines', () => {
    const out = stream(true, 30);
    let now = 0;
    const p = createProgress(out.s, { now: () => now });
    p.stage('检查 3 个案例');
    now = 1500;
    p.stage('排版 PDF（第 1/6 段），这一行比终端宽得多，要截短');
    p.line('完成');
    const text = out.text();
    expect(text).not.toContain('\n完成\n完成');
    expect(text.split('\r\x1b[2K')).toHaveLength(3);
    expect(text).toContain('… 检查 3 个案例（0.0 秒）');
    // 29 columns at most: CJK characters take two.
    const second = text.split('\r\x1b[2K')[1]!;
    expect(second.startsWith('… 排版 PDF')).toBe(true);
    expect([...second].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/u.test(ch) ? 2 : 1), 0)).toBeLessThanOrEqual(29);
    expect(text.endsWith('完成\n')).toBe(true);
  });
});
