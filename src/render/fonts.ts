/** The packaged fonts: subset @font-face rules for the print target, font stacks for both targets, and each family's coverage. */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeNamedCharacterReference } from 'decode-named-character-reference';
import type { ResolvedConfig } from '../config/load.js';
import { cmapCodePoints, fontCacheDir, subsetFace, type FontSource } from './font-subset.js';

/** A packaged family: one static TrueType file per weight the default template uses (every weight in the CSS is here). */
export interface PackagedFamily {
  family: string;
  /** The @expo-google-fonts package: Google Fonts' static TTFs, glyf outlines. */
  packageName: string;
  weights: number[];
  /** Weight → the .ttf inside the package. */
  files: Record<number, string>;
}

/** Serif for body text (400, and 700 for `strong`); sans for headings (500, and 700 for titles). */
export const packagedFamilies = {
  body: {
    family: 'Noto Serif SC',
    packageName: '@expo-google-fonts/noto-serif-sc',
    weights: [400, 700],
    files: { 400: '400Regular/NotoSerifSC_400Regular.ttf', 700: '700Bold/NotoSerifSC_700Bold.ttf' },
  },
  heading: {
    family: 'Noto Sans SC',
    packageName: '@expo-google-fonts/noto-sans-sc',
    weights: [500, 700],
    files: { 500: '500Medium/NotoSansSC_500Medium.ttf', 700: '700Bold/NotoSansSC_700Bold.ttf' },
  },
} as const satisfies Record<string, PackagedFamily>;

export type FontRole = keyof typeof packagedFamilies;

const require = createRequire(import.meta.url);

/** The package's folder, found the way Node finds it (works from dist/ and from an installed huibian). */
export function packageDir(packageName: string): string {
  return dirname(require.resolve(`${packageName}/package.json`));
}

/** One weight's TrueType file, with the package version that identifies it in the subset cache. */
export function fontSource(family: PackagedFamily, weight: number): FontSource {
  const file = family.files[weight];
  if (!file) throw new Error(`${family.family} 没有字重 ${weight}`);
  const { version } = require(`${family.packageName}/package.json`) as { version: string };
  return { path: join(packageDir(family.packageName), file), id: `${family.packageName}@${version}/${file}` };
}

/** The folders the print target reads fonts from (the subset cache), for the pdf side's file allow-list. */
export function fontDirs(cacheDir: string = fontCacheDir()): string[] {
  return [cacheDir];
}

/**
 * `@font-face` rules for every weight we use, one TrueType face each, cut to the characters of `documentText` (the
 * whole print HTML: body, TOC, index, the @page margin strings) plus a fixed base set, and pointed at by `file://` URL.
 */
export async function fontFaceCss(documentText: string, cacheDir: string = fontCacheDir()): Promise<string> {
  const codePoints = faceCodePoints(documentText);
  const rules: string[] = [];
  for (const f of Object.values(packagedFamilies) as PackagedFamily[]) {
    for (const weight of f.weights) {
      const path = await subsetFace(fontSource(f, weight), codePoints, cacheDir);
      rules.push(
        `@font-face{font-family:${cssString(f.family)};font-style:normal;font-weight:${weight};font-display:block;` +
          `src:url(${cssString(pathToFileURL(path).href)}) format("truetype")}`,
      );
    }
  }
  return rules.join('\n');
}

/** The code points a face must hold for `documentText`: the base set and every character the document names, sorted. */
export function faceCodePoints(documentText: string): number[] {
  // A table, not a Set of strings: the print HTML of 1,000 cases is ~20 MB, and this is read on every build.
  const seen = new Uint8Array(0x110000);
  for (const cp of baseCodePoints()) seen[cp] = 1;
  const text = decodedText(documentText);
  for (let i = 0; i < text.length; i++) {
    const cp = text.charCodeAt(i);
    if (cp < 0xd800 || cp > 0xdbff) {
      seen[cp] = 1;
      continue;
    }
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) {
      seen[0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00)] = 1;
      i++;
    }
  }
  const points: number[] = [];
  // Controls need no glyph; a lone surrogate is not a character.
  for (let cp = 0x20; cp < seen.length; cp++) if (seen[cp] && (cp < 0xd800 || cp > 0xdfff)) points.push(cp);
  return points;
}

/**
 * `text` with its character references (`&#x2014;`, `&hellip;`) and CSS escapes (`\201C `) added in decoded form, so a
 * character written either way is in the face. The undecoded text stays in: a stray `&` costs nothing.
 */
function decodedText(text: string): string {
  const extra: string[] = [];
  // Found with indexOf, then matched where they start: a global regex over 20 MB of Chinese takes ~150 ms.
  const reference = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/y;
  for (let at = text.indexOf('&'); at >= 0; at = text.indexOf('&', at + 1)) {
    reference.lastIndex = at;
    const m = reference.exec(text);
    if (!m) continue;
    if (m[3]) {
      const named = decodeNamedCharacterReference(m[3]);
      if (named) extra.push(named);
    } else extra.push(fromCodePoint(m[1] ? parseInt(m[1], 10) : parseInt(m[2]!, 16)));
  }
  const escape = /\\([0-9a-fA-F]{1,6})/y;
  for (let at = text.indexOf('\\'); at >= 0; at = text.indexOf('\\', at + 1)) {
    escape.lastIndex = at;
    const m = escape.exec(text);
    if (m) extra.push(fromCodePoint(parseInt(m[1]!, 16)));
  }
  return extra.length ? text + extra.join('') : text;
}

function fromCodePoint(cp: number): string {
  return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '';
}

/**
 * Characters every face holds whatever the book says, so that an edit rarely changes a face (and with it the print
 * HTML that cached segments are keyed on): GB 2312's 3,755 level-1 hanzi (the most used, about 99 % of running text) and
 * its symbols, printable ASCII, and what CSS generates without it being in the text (emphasis dots, bullets, quotes,
 * dashes). Not all of GB 2312: its 3,008 level-2 hanzi made every face 70 % larger, and Chromium sanitises and parses
 * each face on every load of the book, which measured slower (README, 设计说明).
 */
function baseCodePoints(): readonly number[] {
  if (base) return base;
  const bytes: number[] = [];
  // GB 2312 rows 0xA1–0xA9 (symbols) and 0xB0–0xD7 (level-1 hanzi), columns 0xA1–0xFE; decoded by the ICU in Node.
  for (let row = 0xa1; row <= 0xd7; row++) {
    if (row > 0xa9 && row < 0xb0) continue;
    for (let col = 0xa1; col <= 0xfe; col++) bytes.push(row, col);
  }
  const points = new Set<number>();
  for (const char of new TextDecoder('gbk').decode(Uint8Array.from(bytes))) {
    const cp = char.codePointAt(0)!;
    // GBK maps GB 2312's unassigned cells to the Private Use Area (or U+FFFD): not characters a book uses.
    if (cp !== 0xfffd && (cp < 0xe000 || cp > 0xf8ff)) points.add(cp);
  }
  for (let cp = 0x20; cp < 0x7f; cp++) points.add(cp);
  for (const char of '\u00a0\u00ad\u00b7\u2010\u2011\u2013\u2014\u2015\u2018\u2019\u201c\u201d\u2022\u2026\u2027\u25cb\u25cf\u25c9\u25ce\u25b2\u25b3\u25e6\u25aa\u25a0\u25a1\ufe45\ufe46\u3007') {
    points.add(char.codePointAt(0)!);
  }
  base = [...points];
  return base;
}

// The base set is the same for every run; decoding it once is a cache, not state.
let base: number[] | undefined;

/** Code points each packaged family covers (its regular weight's cmap), as a table indexed by code point: 1 = covered. */
export function coverage(role: FontRole): Promise<Uint8Array> {
  let cached = coverageCache.get(role);
  if (!cached) {
    const family: PackagedFamily = packagedFamilies[role];
    cached = cmapCodePoints(fontSource(family, family.weights[0]!).path).then((points) => {
      const table = new Uint8Array(0x110000);
      for (const cp of points) table[cp] = 1;
      return table;
    });
    coverageCache.set(role, cached);
  }
  return cached;
}

// The coverage of an installed package never changes during a run; reading it once is a cache, not state.
const coverageCache = new Map<FontRole, Promise<Uint8Array>>();

/** System fallbacks for the web target, CJK faces first so “” and ，。 come from a CJK font. */
const webFallbacks: Record<FontRole, string[]> = {
  body: ['Noto Serif SC', 'Noto Serif CJK SC', 'Source Han Serif SC', 'Songti SC', 'STSong', 'SimSun', 'serif'],
  heading: ['Noto Sans SC', 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', 'sans-serif'],
};

/** The `font-family` value for a role: the user's fonts first, then the packaged face (print) or system CJK fonts (web). */
export function fontStack(role: FontRole, fonts: ResolvedConfig['fonts'], target: 'web' | 'print'): string {
  const user = fonts[role];
  const fallbacks = target === 'print' ? [packagedFamilies[role].family] : webFallbacks[role];
  const names = [...user, ...fallbacks.filter((f) => !user.includes(f))];
  return names.map((n) => (n === 'serif' || n === 'sans-serif' ? n : cssString(n))).join(', ');
}

/** A double-quoted CSS string; `<` is escaped too, so the value cannot close the `<style>` element it sits in. */
export function cssString(value: string): string {
  return `"${value.replace(/[\\"<>\n\r\f]/g, (c) => `\\${c.codePointAt(0)!.toString(16)} `)}"`;
}
