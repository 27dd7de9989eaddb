// The print target's fonts: one subset TrueType face per weight, cut by HarfBuzz and cached under its content hash
// (src/render/font-subset.ts), and each family's coverage read from its cmap (src/render/fonts.ts). Real fonts, real
// HarfBuzz, a real cache folder in a temporary directory; no Chromium (test/pdf.test.ts prints them).
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as hb from 'harfbuzzjs';
import { describe, expect, it } from 'vitest';
import { cmapCodePoints, FontCacheProblem, fontCacheDir, pruneCache, subsetFace } from '../src/render/font-subset.js';
import { coverage, faceCodePoints, fontDirs, fontFaceCss, fontSource, packagedFamilies, type PackagedFamily } from '../src/render/fonts.js';

const serif: PackagedFamily = packagedFamilies.body;
const sans: PackagedFamily = packagedFamilies.heading;
const cacheDir = () => mkdtempSync(join(tmpdir(), 'huibian-fonts-'));
const points = (text: string) => [...new Set(Array.from(text, (c) => c.codePointAt(0)!))].sort((a, b) => a - b);
const sha16 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** The code points a font file maps, as HarfBuzz reads them (a subset's cmap is format 4, which huibian never reads). */
function hbCodePoints(path: string): number[] {
  return [...new hb.Face(new hb.Blob(readFileSync(path))).collectUnicodes()];
}

/** The sfnt table tags of a font file. */
function tables(bytes: Buffer): string[] {
  return Array.from({ length: bytes.readUInt16BE(4) }, (_, i) => bytes.toString('latin1', 12 + 16 * i, 16 + 16 * i));
}

describe('the packaged TrueType files', () => {
  it('are there for every weight the template uses, with TrueType (glyf) outlines, not CFF', () => {
    for (const family of [serif, sans]) {
      for (const weight of family.weights) {
        const bytes = readFileSync(fontSource(family, weight).path);
        expect(bytes.readUInt32BE(0), `${family.family} ${weight}`).toBe(0x00010000);
        expect(tables(bytes)).toEqual(expect.arrayContaining(['glyf', 'loca', 'cmap', 'GSUB', 'GPOS']));
        expect(tables(bytes)).not.toContain('CFF ');
      }
    }
  });

  it('have their code points read from the cmap exactly as HarfBuzz reads them', async () => {
    for (const family of [serif, sans]) {
      for (const weight of family.weights) {
        const path = fontSource(family, weight).path;
        expect(await cmapCodePoints(path), basename(path)).toEqual(hbCodePoints(path));
      }
    }
  });

  it('coverage() says which characters a family has: common hanzi and punctuation yes, U+20BB7 and ↩ no', async () => {
    const body = await coverage('body');
    for (const c of '党建“融合10条”，……——《》、。ABC↑•') expect(body[c.codePointAt(0)!], c).toBe(1);
    for (const c of ['𠮷', '↩', '\u{1F600}']) expect(body[c.codePointAt(0)!], c).toBe(0);
  });
});

describe('subsetFace', () => {
  const source = fontSource(serif, 400);
  const wanted = points('汇编案例：党建引领基层治理，ABC 123。𠮷');

  it('cuts a TrueType face holding exactly the wanted characters the font has, named by its content hash', async () => {
    const dir = cacheDir();
    const path = await subsetFace(source, wanted, dir);
    const bytes = readFileSync(path);
    expect(basename(path)).toBe(`NotoSerifSC_400Regular-${sha16(bytes)}.ttf`);
    expect(bytes.readUInt32BE(0)).toBe(0x00010000);
    expect(tables(bytes)).toEqual(expect.arrayContaining(['glyf', 'loca', 'GSUB', 'GPOS']));
    expect(tables(bytes)).not.toContain('CFF ');
    // 𠮷 is not in Noto Serif SC: asked for, not there.
    const has = new Set(await cmapCodePoints(source.path));
    expect(hbCodePoints(path)).toEqual(wanted.filter((cp) => has.has(cp)));
    expect(bytes.length).toBeLessThan(200_000);
  });

  it('gives the same bytes for the same input, from the cache and when made again from nothing', async () => {
    const dir = cacheDir();
    const first = await subsetFace(source, wanted, dir);
    const bytes = readFileSync(first);
    expect(await subsetFace(source, wanted, dir)).toBe(first);
    const other = await subsetFace(source, wanted, cacheDir());
    expect(basename(other)).toBe(basename(first));
    expect(readFileSync(other).equals(bytes)).toBe(true);
    // A different text is a different face.
    expect(basename(await subsetFace(source, points('另一段文字'), dir))).not.toBe(basename(first));
  });

  it('finds a damaged face or reference file and makes the face again', async () => {
    const dir = cacheDir();
    const path = await subsetFace(source, wanted, dir);
    const good = readFileSync(path);
    const damaged = Buffer.from(good);
    damaged[damaged.length >> 1] ^= 0xff;
    writeFileSync(path, damaged);
    expect(await subsetFace(source, wanted, dir)).toBe(path);
    expect(readFileSync(path).equals(good)).toBe(true);
    // Truncated to nothing.
    writeFileSync(path, '');
    await subsetFace(source, wanted, dir);
    expect(readFileSync(path).equals(good)).toBe(true);
    // A reference naming a file outside the cache, or garbage: ignored, the face is made again.
    for (const ref of readdirSync(dir).filter((n) => n.endsWith('.ref'))) writeFileSync(join(dir, ref), '../../etc/passwd');
    expect(await subsetFace(source, wanted, dir)).toBe(path);
    expect(readFileSync(path).equals(good)).toBe(true);
    // No temporary files are left behind.
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('says in one sentence when the cache folder cannot be written', async () => {
    const file = join(cacheDir(), 'a-file');
    writeFileSync(file, '');
    const failed = subsetFace(source, wanted, join(file, 'fonts'));
    await expect(failed).rejects.toBeInstanceOf(FontCacheProblem);
    await expect(failed).rejects.toThrow(/^无法把字体子集写入缓存文件夹“.*a-file\/fonts”（ENOTDIR）；请把环境变量 XDG_CACHE_HOME 设为/);
  });

  it('takes a text of any size: 200,000 code points, most of them in no font', async () => {
    const many = [...wanted, ...Array.from({ length: 200_000 }, (_, i) => 0x40000 + i)].sort((a, b) => a - b);
    const path = await subsetFace(source, many, cacheDir());
    const has = new Set(await cmapCodePoints(source.path));
    expect(hbCodePoints(path)).toEqual(many.filter((cp) => has.has(cp)));
  });

  it('is safe when runs cut the same face at once', async () => {
    const dir = cacheDir();
    const paths = await Promise.all([subsetFace(source, wanted, dir), subsetFace(source, wanted, dir), subsetFace(source, wanted, dir)]);
    expect(new Set(paths).size).toBe(1);
    expect(basename(paths[0]!)).toBe(`NotoSerifSC_400Regular-${sha16(readFileSync(paths[0]!))}.ttf`);
    expect(readdirSync(dir).filter((n) => n.endsWith('.ttf'))).toHaveLength(1);
  });
});

describe('pruneCache', () => {
  it('removes the least recently used faces (and their references) past the size limit, never a recent one', async () => {
    const dir = cacheDir();
    const source = fontSource(sans, 500);
    const old = await subsetFace(source, points('旧的一面'), dir);
    const newer = await subsetFace(source, points('新的一面'), dir);
    const hourAgo = new Date(Date.now() - 2 * 3600_000);
    utimesSync(old, hourAgo, hourAgo);
    const size = statSync(newer).size;
    // Room for one face: the old one goes, with the reference naming it.
    await pruneCache(dir, { bytes: size + 10, keepNewerThanMs: 3600_000 });
    expect(readdirSync(dir).filter((n) => n.endsWith('.ttf'))).toEqual([basename(newer)]);
    expect(readdirSync(dir).filter((n) => n.endsWith('.ref'))).toHaveLength(1);
    // Over the limit, but used within the hour: kept.
    await pruneCache(dir, { bytes: 1, keepNewerThanMs: 3600_000 });
    expect(readdirSync(dir).filter((n) => n.endsWith('.ttf'))).toEqual([basename(newer)]);
    // The pruned face is simply made again when asked for.
    expect(basename(await subsetFace(source, points('旧的一面'), dir))).toBe(basename(old));
  });
});

describe('fontFaceCss', () => {
  it('writes one TrueType @font-face per family and weight, each face holding the document’s characters and the base set', async () => {
    const dir = cacheDir();
    const html = '<style>@page { @top-left { content: "汇编\\201C"; } }</style><p>党建引领&#x9F98;&mdash;&lt;甲&gt;</p>';
    const css = await fontFaceCss(html, dir);
    const rules = css.split('\n');
    expect(rules.map((r) => /font-family:"([^"]+)";font-style:normal;font-weight:(\d+);/.exec(r)!.slice(1).join(' '))).toEqual([
      'Noto Serif SC 400',
      'Noto Serif SC 700',
      'Noto Sans SC 500',
      'Noto Sans SC 700',
    ]);
    const wanted = faceCodePoints(html);
    // Referenced and named characters are decoded: 龘 (U+9F98), — (&mdash;), “ (CSS \201C); the markup's < and > too.
    for (const c of '党建汇编龘—“<>甲') expect(wanted, c).toContain(c.codePointAt(0));
    // The base set: GB 2312 level-1 hanzi, digits and Latin letters for page numbers (roman ones too), the emphasis dot.
    for (const c of '的一是啊座0123456789ivxlcdmIVXLCDM•') expect(wanted, c).toContain(c.codePointAt(0));
    for (const [i, rule] of rules.entries()) {
      const url = /src:url\("(file:[^"]+)"\) format\("truetype"\)\}$/.exec(rule)![1]!;
      const path = fileURLToPath(url);
      expect(path.startsWith(`${dir}/`)).toBe(true);
      const family = i < 2 ? serif : sans;
      const has = new Set(await cmapCodePoints(fontSource(family, family.weights[i % 2]!).path));
      const inFace = hbCodePoints(path);
      expect(inFace, rule).toEqual(expect.arrayContaining(wanted.filter((cp) => has.has(cp))));
      // Beyond them only a few code points whose glyph is one of those kept (HarfBuzz maps every code point of a kept
      // glyph): nothing the font lacks, no glyph nobody asked for.
      const extra = inFace.filter((cp) => !wanted.includes(cp));
      expect(extra.every((cp) => has.has(cp))).toBe(true);
      expect(extra.length).toBeLessThan(10);
    }
    // A word more that the base set already holds changes no face, so the print HTML stays the same.
    expect(await fontFaceCss(html.replace('党建引领', '党建引领基层治理'), dir)).toBe(css);
  });

  it('reads and writes the faces where fontDirs() lets the PDF side read them', () => {
    expect(fontDirs('/x/fonts')).toEqual(['/x/fonts']);
    expect(fontCacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/huibian/fonts');
    // A relative XDG_CACHE_HOME is invalid by the spec: ignored.
    expect(fontCacheDir({ XDG_CACHE_HOME: 'rel' })).toMatch(/\/\.cache\/huibian\/fonts$/);
  });
});
