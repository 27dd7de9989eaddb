/** The packaged fonts: @font-face rules for the print target, font stacks for both targets, and each face's coverage. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResolvedConfig } from '../config/load.js';

/** A packaged family and the weights the default template uses; every weight used in CSS must be listed here. */
export interface PackagedFamily {
  family: string;
  /** The @fontsource package. */
  packageName: string;
  weights: number[];
}

/** Serif for body text (400, and 700 for `strong`); sans for headings (500, and 700 for titles). */
export const packagedFamilies = {
  body: { family: 'Noto Serif SC', packageName: '@fontsource/noto-serif-sc', weights: [400, 700] },
  heading: { family: 'Noto Sans SC', packageName: '@fontsource/noto-sans-sc', weights: [500, 700] },
} as const satisfies Record<string, PackagedFamily>;

export type FontRole = keyof typeof packagedFamilies;

const require = createRequire(import.meta.url);

/** The package's folder, found the way Node finds it (works from dist/ and from an installed huibian). */
export function packageDir(packageName: string): string {
  return dirname(require.resolve(`${packageName}/package.json`));
}

/** The folders the print target reads fonts from, for the pdf side's file allow-list. */
export function fontDirs(): string[] {
  return Object.values(packagedFamilies).map((f) => join(packageDir(f.packageName), 'files'));
}

/** `@font-face` rules for every subset of every weight we use, pointing at the woff2 files by `file://` URL. */
export function fontFaceCss(): string {
  const rules: string[] = [];
  for (const f of Object.values(packagedFamilies)) {
    const dir = packageDir(f.packageName);
    const ranges = subsetRanges(f.packageName);
    const slug = f.packageName.replace('@fontsource/', '');
    for (const weight of f.weights) {
      for (const [subset, range] of ranges) {
        // unicode.json names numbered subsets "[4]"; the files are named "…-4-400-normal.woff2".
        const file = `${slug}-${subset.replace(/^\[(\d+)\]$/, '$1')}-${weight}-normal.woff2`;
        const url = pathToFileURL(join(dir, 'files', file)).href;
        rules.push(
          `@font-face{font-family:${cssString(f.family)};font-style:normal;font-weight:${weight};font-display:block;` +
            `src:url(${cssString(url)}) format("woff2");unicode-range:${range}}`,
        );
      }
    }
  }
  return rules.join('\n');
}

/** Subset name → unicode-range, in the package's order. */
function subsetRanges(packageName: string): [string, string][] {
  const json = JSON.parse(readFileSync(join(packageDir(packageName), 'unicode.json'), 'utf8')) as Record<string, string>;
  return Object.entries(json);
}

/** Code points each packaged family covers (all its subsets), as a table indexed by code point: 1 = covered. */
export function coverage(role: FontRole): Uint8Array {
  const cached = coverageCache.get(role);
  if (cached) return cached;
  const table = new Uint8Array(0x110000);
  for (const [, range] of subsetRanges(packagedFamilies[role].packageName)) {
    for (const part of range.split(',')) {
      const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
      const start = parseInt(from!, 16);
      table.fill(1, start, (to ? parseInt(to, 16) : start) + 1);
    }
  }
  coverageCache.set(role, table);
  return table;
}

// The coverage of an installed package never changes during a run; reading it once is a cache, not state.
const coverageCache = new Map<FontRole, Uint8Array>();

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
