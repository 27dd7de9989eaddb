// The segment cache (src/pdf/segment-cache.ts): its keys and entries on their own, then the sample book compiled with
// it — a rebuild after an edit reprints only what changed, and gives the same bytes as a cold build of the same input.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCompilation } from '../bench/generate.js';
import { compile } from '../src/index.js';
import { SegmentCache } from '../src/pdf/segment-cache.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const epoch = '1790000000';
let base: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'huibian-segment-cache-'));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A segment's source as segmentSource gives it from the page: its HTML's SHA-256 and the files it names. */
const source = (html: string, files: string[] = []) => ({ sha256: createHash('sha256').update(html).digest('hex'), files });

describe('SegmentCache', () => {
  const book = { head: '<head><style>p{color:red}</style></head>', browserVersion: 'Chromium/1', printer: 'abc' };
  const view = { throwawayPage: false, counter: 1, tagged: true };
  const entry = { bytes: new Uint8Array([37, 80, 68, 70, 1, 2, 3]), pages: 3, destinations: new Map([['a', 1], ['案例', 3]]), headings: [{ level: 1, title: '一', id: 'a' }] };

  it('keys on the segment, the head, the view, the browser and the files named', async () => {
    const dir = mkdtempSync(join(base, 'keys-'));
    const font = join(dir, 'face.ttf');
    writeFileSync(font, 'one');
    const cache = new SegmentCache({ dir });
    const withFont = { ...book, head: `<head><style>@font-face{src:url("${pathToFileURL(font).href}")}</style></head>` };
    const key = await cache.key(withFont, source('<p>甲</p>'), view);
    expect(await cache.key(withFont, source('<p>甲</p>'), view)).toBe(key);
    const others = [
      await cache.key(withFont, source('<p>乙</p>'), view),
      await cache.key({ ...withFont, head: withFont.head.replace('@font-face', '@font-face ') }, source('<p>甲</p>'), view),
      await cache.key({ ...withFont, browserVersion: 'Chromium/2' }, source('<p>甲</p>'), view),
      await cache.key({ ...withFont, printer: 'abd' }, source('<p>甲</p>'), view),
      await cache.key(withFont, source('<p>甲</p>'), { ...view, counter: 2 }),
      await cache.key(withFont, source('<p>甲</p>'), { ...view, throwawayPage: true }),
      await cache.key(withFont, source('<p>甲</p>'), { ...view, tagged: false }),
    ];
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
    // A named file touched but not changed keeps the key; one that changes changes it (a new cache: files are read
    // once per run).
    utimesSync(font, new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect(await new SegmentCache({ dir }).key(withFont, source('<p>甲</p>'), view)).toBe(key);
    writeFileSync(font, 'two');
    expect(await new SegmentCache({ dir }).key(withFont, source('<p>甲</p>'), view)).not.toBe(key);
    // So does a file the segment names (a template's image by file: URL).
    const image = join(dir, 'logo.png');
    writeFileSync(image, 'one');
    const named = source(`<img src="${pathToFileURL(image).href}">`, [pathToFileURL(image).href]);
    const before = await new SegmentCache({ dir }).key(book, named, view);
    writeFileSync(image, 'two');
    expect(await new SegmentCache({ dir }).key(book, named, view)).not.toBe(before);
  });

  it('gives back what was put, and ignores and removes an entry whose bytes do not match', async () => {
    const dir = mkdtempSync(join(base, 'entries-'));
    const cache = new SegmentCache({ dir });
    const key = await cache.key(book, source('<p>甲</p>'), view);
    expect(await cache.get(key)).toBeUndefined();
    await cache.put(key, entry);
    expect(await cache.get(key)).toEqual(entry);
    const [file] = readdirSync(dir);
    const data = readFileSync(join(dir, file!));
    data[data.length - 1] ^= 0xff;
    writeFileSync(join(dir, file!), data);
    expect(await cache.get(key)).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
    // Not even a header.
    writeFileSync(join(dir, file!), 'garbage');
    expect(await cache.get(key)).toBeUndefined();
  });

  it('keeps within its bound, dropping the least recently used entries that this run did not use', async () => {
    const dir = mkdtempSync(join(base, 'prune-'));
    const old = new SegmentCache({ dir });
    const keys: string[] = [];
    for (let i = 0; i < 4; i++) {
      keys.push(await old.key(book, source(`<p>${i}</p>`), view));
      await old.put(keys[i]!, { ...entry, bytes: new Uint8Array(1000).fill(i) });
      const time = new Date(2020, 0, 1 + i);
      utimesSync(join(dir, `${keys[i]}.pdfseg`), time, time);
    }
    const cache = new SegmentCache({ dir, limitBytes: 2500 });
    // Used in this run, though the oldest: kept.
    expect(await cache.get(keys[0]!)).toBeDefined();
    await cache.prune();
    expect(readdirSync(dir).sort()).toEqual([keys[0], keys[3]].map((k) => `${k}.pdfseg`).sort());
  });
});

/** Compile `root` to a PDF, with or without the cache: its bytes and how many segments were printed and reused. */
async function build(root: string, cache: boolean) {
  const result = await compile({ cwd: root, formats: ['pdf'], cache, env: { SOURCE_DATE_EPOCH: epoch } });
  expect(result.exitCode, result.problem).toBe(0);
  return { pdf: readFileSync(result.outputs[0]!), prints: result.prints!, frames: result.frames! };
}

/** Change one file the same way in every copy. */
function edit(roots: string[], file: string, change: (text: string) => string): void {
  for (const root of roots) writeFileSync(join(root, file), change(readFileSync(join(root, file), 'utf8')));
}

/** Text enough to push a case over at least one more page. */
const morePages = `\n\n${'新增的一段文字，用来把这个案例撑长一页以上。'.repeat(40)}\n\n${'再加一段。'.repeat(80)}\n`;

describe('the sample book (15 cases: printed whole untagged, then body and front matter) with the cache', () => {
  const copy = (name: string) => {
    const root = join(base, name);
    for (const item of ['huibian.yaml', 'preface.md', 'cases']) cpSync(join(repoRoot, item), join(root, item), { recursive: true });
    return root;
  };
  const file = join('cases', 'school', 'bashizhong.md');
  let cached: string;
  let cold: string;
  let first: Awaited<ReturnType<typeof build>>;

  beforeAll(async () => {
    cached = copy('sample-cached');
    cold = copy('sample-cold');
    first = await build(cached, true);
  }, 120_000);

  it('prints the whole book, the body and the front matter the first time, nothing the second, with the same bytes', async () => {
    expect(first.prints).toEqual({ printed: 3, reused: 0, loads: 1 });
    const again = await build(cached, true);
    expect(again.prints).toEqual({ printed: 0, reused: 3, loads: 1 });
    expect(again.pdf.equals(first.pdf)).toBe(true);
    expect((await build(cold, false)).pdf.equals(first.pdf)).toBe(true);
  }, 120_000);

  it('after a one-word edit reprints the whole book and the body but not the front matter, giving what a cold build gives', async () => {
    edit([cached, cold], file, (text) => text.replace('学校', '学堂'));
    const rebuilt = await build(cached, true);
    expect(rebuilt.prints).toEqual({ printed: 2, reused: 1, loads: 1 });
    const coldBuild = await build(cold, false);
    expect(coldBuild.prints.reused).toBe(0);
    expect(rebuilt.pdf.equals(coldBuild.pdf)).toBe(true);
    expect(rebuilt.pdf.equals(first.pdf)).toBe(false);
  }, 120_000);

  it('after an edit that adds pages also reprints the 目录, whose numbers moved', async () => {
    edit([cached, cold], file, (text) => text + morePages);
    const rebuilt = await build(cached, true);
    expect(rebuilt.prints).toEqual({ printed: 3, reused: 0, loads: 1 });
    expect(rebuilt.pdf.equals((await build(cold, false)).pdf)).toBe(true);
  }, 120_000);

  it('prints afresh over damaged entries and still gives the same bytes', async () => {
    const dir = join(cached, '.cache', 'huibian', 'pdf');
    for (const name of readdirSync(dir)) writeFileSync(join(dir, name), readFileSync(join(dir, name)).subarray(0, 200));
    const rebuilt = await build(cached, true);
    expect(rebuilt.prints.reused).toBe(0);
    expect(rebuilt.pdf.equals((await build(cold, false)).pdf)).toBe(true);
  }, 120_000);
});

describe('a 40-case book (printed in segments) with the cache', () => {
  let cached: string;
  let cold: string;
  let file: string;
  let first: Awaited<ReturnType<typeof build>>;

  beforeAll(async () => {
    cached = join(base, 'generated-cached');
    cold = join(base, 'generated-cold');
    for (const root of [cached, cold]) generateCompilation(root, 40, { seed: 3 });
    // A case in the middle of the book.
    const cases = readdirSync(join(cached, 'cases'), { recursive: true }).map(String).filter((f) => f.endsWith('.md')).sort();
    file = join('cases', cases[Math.floor(cases.length / 2)]!);
    first = await build(cached, true);
  }, 180_000);

  it('reprints only the edited segment after an edit that moves no page, giving what a cold build gives', async () => {
    expect(first.prints.printed).toBeGreaterThan(4);
    // The first full stop of the body (the front matter's summary does not print).
    edit([cached, cold], file, (text) => text.replace(/(\n---\n[^]*?)。/, '$1！'));
    const rebuilt = await build(cached, true);
    expect(rebuilt.prints.printed).toBe(1);
    expect(rebuilt.prints.reused).toBe(first.prints.printed - 1);
    expect(rebuilt.pdf.equals((await build(cold, false)).pdf)).toBe(true);
  }, 180_000);

  it('after an edit that adds pages reprints what moved and keeps what came before', async () => {
    edit([cached, cold], file, (text) => text + morePages);
    const rebuilt = await build(cached, true);
    expect(rebuilt.prints.reused).toBeGreaterThan(1);
    expect(rebuilt.prints.printed).toBeGreaterThan(1);
    expect(rebuilt.pdf.equals((await build(cold, false)).pdf)).toBe(true);
  }, 180_000);

  it('after an edit that adds pages to the first part, prints again that part, the appendix, the front matter and the frames, nothing else', async () => {
    // Each part is one segment and begins on a right-hand page, after a blank page when needed: a blank page is a page
    // of the frame only, so the later parts print as before wherever they land, and only their frames change.
    const agency = readdirSync(join(cached, 'cases', 'agency')).filter((f) => f.endsWith('.md')).sort();
    edit([cached, cold], join('cases', 'agency', agency[0]!), (text) => text + morePages.repeat(3));
    const rebuilt = await build(cached, true);
    const later = ['soe', 'university', 'school', 'hospital'].length;
    expect(rebuilt.prints.reused).toBeGreaterThanOrEqual(later);
    // The first part, the appendix (its index's numbers moved), the front matter (its 目录's), once more if odd.
    expect(rebuilt.prints.printed).toBeLessThanOrEqual(4);
    expect(rebuilt.frames.printed).toBeGreaterThanOrEqual(1);
    const coldBuild = await build(cold, false);
    expect(coldBuild.frames.reused).toBe(0);
    expect(rebuilt.pdf.equals(coldBuild.pdf)).toBe(true);
  }, 180_000);
});
