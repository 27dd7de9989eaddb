/**
 * Subset TrueType faces for the print target, cut by HarfBuzz's hb-subset (the subset-font package) and kept in a
 * cache folder under their content hash, so a rebuild reuses them and a URL changes exactly when the font bytes do.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { writeOutputs } from '../shared/write-outputs.js';

/** A TrueType file in an installed package, with a name that changes when the package does. */
export interface FontSource {
  /** Absolute path of the .ttf. */
  path: string;
  /** `<package>@<version>/<file>`: what the cache key says about the source, without reading its 15 MB. */
  id: string;
}

/**
 * Bump when the same inputs should give different faces (the subset options below). The subsetter's own version is in
 * the key too, so an upgraded HarfBuzz makes new faces instead of reusing the old ones.
 */
const formatVersion = 1;

/** How much the cache may hold before the least recently used faces are removed, and how recent a face is kept anyway. */
export const cacheLimits = { bytes: 256 * 1024 * 1024, keepNewerThanMs: 60 * 60 * 1000 };

/**
 * The cache folder: `$XDG_CACHE_HOME/huibian/fonts`, else `~/.cache/huibian/fonts`. One folder for every book, so the
 * common faces are cut once per machine; everything in it can be deleted at any time.
 */
export function fontCacheDir(env: Readonly<Record<string, string | undefined>> = {}): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'huibian', 'fonts');
}

/**
 * The face `source` cut to `codePoints` (sorted, each once; ones the font lacks are ignored), as a file in `cacheDir`
 * named `<font>-<first 16 hex of its SHA-256>.ttf`. A face found in the cache is checked against its name and remade
 * when damaged. Concurrent runs are safe: files are written beside their name and renamed into place, and two runs
 * cutting the same face write the same bytes.
 */
export async function subsetFace(source: FontSource, codePoints: readonly number[], cacheDir: string): Promise<string> {
  const key = createHash('sha256')
    .update(JSON.stringify({ formatVersion, subsetter: subsetterVersion(), font: source.id }))
    .update(Uint32Array.from(codePoints))
    .digest('hex')
    .slice(0, 32);
  const ref = join(cacheDir, `${key}.ref`);
  const cached = await readCachedFace(cacheDir, await readFile(ref, 'utf8').catch(() => ''));
  if (cached) return cached;

  // Required when first needed (a warm cache never loads HarfBuzz); a plain require works in the bundle too.
  const subsetFont = require('subset-font') as typeof import('subset-font').default;
  const bytes = await subsetFont(await readFile(source.path), textOf(codePoints), {
    // Keep glyf outlines: Chromium embeds TrueType as CID TrueType; CFF would become Type 3 in its PDFs.
    targetFormat: 'truetype',
  });
  const name = `${basename(source.path, '.ttf')}-${contentHash(bytes)}.ttf`;
  const path = join(cacheDir, name);
  try {
    await mkdir(cacheDir, { recursive: true });
    if (!(await readCachedFace(cacheDir, name))) await writeOutputs([{ path, data: bytes }]);
    await writeOutputs([{ path: ref, data: name }]);
  } catch (error) {
    throw new FontCacheProblem(cacheDir, error);
  }
  await pruneCache(cacheDir, cacheLimits);
  return path;
}

/** The code points as a string, in slices: a book of every rare character would pass too many arguments at once. */
function textOf(codePoints: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < codePoints.length; i += 8192) parts.push(String.fromCodePoint(...codePoints.slice(i, i + 8192)));
  return parts.join('');
}

/** The font cache folder cannot be written (permissions, a read-only or full disk, a file in its place): the environment, not a bug. */
export class FontCacheProblem extends Error {
  constructor(cacheDir: string, cause: unknown) {
    const code = (cause as NodeJS.ErrnoException).code;
    super(
      `无法把字体子集写入缓存文件夹“${cacheDir}”（${code ?? String(cause)}）；请把环境变量 XDG_CACHE_HOME 设为一个可写的文件夹（字体缓存在其中的 huibian/fonts 下），再运行一次`,
      { cause },
    );
    this.name = 'FontCacheProblem';
  }
}

/** The face a `.ref` file names, if it is there and its bytes still hash to its name; its use is recorded in its mtime. */
async function readCachedFace(cacheDir: string, name: string): Promise<string | undefined> {
  const match = /^[\w.-]+-([0-9a-f]{16})\.ttf$/.exec(name.trim());
  if (!match) return undefined;
  const path = join(cacheDir, name.trim());
  const bytes = await readFile(path).catch(() => undefined);
  if (!bytes || contentHash(bytes) !== match[1]) return undefined;
  const now = new Date();
  await utimes(path, now, now).catch(() => undefined);
  return path;
}

function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 16);
}

const require = createRequire(import.meta.url);

/** subset-font and the HarfBuzz build under it: a new version may cut the same text to different bytes. */
function subsetterVersion(): string {
  const subsetFont = require.resolve('subset-font');
  // The HarfBuzz that subset-font itself loads; harfbuzzjs exports no package.json, so it is read beside its wasm.
  const wasm = createRequire(subsetFont).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm');
  const versionOf = (packageJson: string) => (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
  return `subset-font@${versionOf(join(dirname(subsetFont), 'package.json'))} harfbuzzjs@${versionOf(join(dirname(wasm), '..', 'package.json'))}`;
}

/**
 * Keep the cache under `limits.bytes`: remove the least recently used faces (and the `.ref` files naming them) first,
 * but never one used within `limits.keepNewerThanMs`, which another run may be printing with right now.
 */
export async function pruneCache(cacheDir: string, limits: typeof cacheLimits): Promise<void> {
  const names = await readdir(cacheDir).catch(() => [] as string[]);
  const faces: { name: string; size: number; used: number }[] = [];
  for (const name of names.filter((n) => n.endsWith('.ttf'))) {
    const info = await stat(join(cacheDir, name)).catch(() => undefined);
    if (info?.isFile()) faces.push({ name, size: info.size, used: info.mtimeMs });
  }
  let total = faces.reduce((sum, f) => sum + f.size, 0);
  if (total <= limits.bytes) return;
  const removed = new Set<string>();
  for (const face of faces.sort((a, b) => a.used - b.used)) {
    if (total <= limits.bytes || Date.now() - face.used < limits.keepNewerThanMs) break;
    await rm(join(cacheDir, face.name), { force: true });
    removed.add(face.name);
    total -= face.size;
  }
  for (const name of names.filter((n) => n.endsWith('.ref'))) {
    const target = await readFile(join(cacheDir, name), 'utf8').catch(() => '');
    if (removed.has(target.trim())) await rm(join(cacheDir, name), { force: true });
  }
}

/**
 * The code points a TrueType file maps: its cmap's Unicode full-repertoire subtable (platform 3, encoding 10, format
 * 12: ranges of code points to consecutive glyphs), which every CJK font has. Read here, not through HarfBuzz: the
 * bundled command line cannot import harfbuzzjs (an ES module with top-level await), and only the table directory and
 * the cmap (~130 kB) are read instead of the whole 15 MB file. test/fonts.test.ts checks it against HarfBuzz.
 */
export async function cmapCodePoints(path: string): Promise<number[]> {
  const [cmap] = await readTables(path, ['cmap']);
  const points: number[] = [];
  for (let i = 0; i < cmap!.readUInt16BE(2); i++) {
    const record = 4 + 8 * i;
    if (cmap!.readUInt16BE(record) !== 3 || cmap!.readUInt16BE(record + 2) !== 10) continue;
    const table = cmap!.readUInt32BE(record + 4);
    if (cmap!.readUInt16BE(table) !== 12) continue;
    const groups = cmap!.readUInt32BE(table + 12);
    for (let g = 0; g < groups; g++) {
      const at = table + 16 + 12 * g;
      const [first, last, glyph] = [cmap!.readUInt32BE(at), cmap!.readUInt32BE(at + 4), cmap!.readUInt32BE(at + 8)];
      // Glyph 0 is .notdef: a code point mapped to it has no glyph.
      for (let cp = first; cp <= last && cp <= 0x10ffff; cp++) if (glyph + (cp - first) !== 0) points.push(cp);
    }
    return points;
  }
  throw new Error(`字体文件“${path}”的 cmap 表中没有 Unicode 全字符集子表（平台 3，编码 10，格式 12）`);
}

/** Tables of an sfnt file, read through its table directory without reading the rest of the file. */
async function readTables(path: string, tags: readonly string[]): Promise<Buffer[]> {
  const handle = await open(path, 'r');
  try {
    const header = Buffer.alloc(12);
    await handle.read(header, 0, 12, 0);
    const records = Buffer.alloc(16 * header.readUInt16BE(4));
    await handle.read(records, 0, records.length, 12);
    const tables: Buffer[] = [];
    for (const tag of tags) {
      let at = -1;
      for (let i = 0; i < records.length; i += 16) if (records.toString('latin1', i, i + 4) === tag) at = i;
      if (at < 0) throw new Error(`字体文件“${path}”中没有 ${tag} 表，不是完整的 TrueType 字体`);
      const data = Buffer.alloc(records.readUInt32BE(at + 12));
      await handle.read(data, 0, data.length, records.readUInt32BE(at + 8));
      tables.push(data);
    }
    return tables;
  } finally {
    await handle.close();
  }
}
