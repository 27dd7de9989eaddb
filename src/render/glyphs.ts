/** Find characters the packaged fonts cannot show, so the build warns instead of printing an empty box. */
import { coverage, type FontRole } from './fonts.js';

export interface MissingGlyph {
  char: string;
  /** e.g. U+20BB7 */
  codePoint: string;
  count: number;
}

/** Characters that need no glyph: controls, spaces, joiners, variation selectors. */
function invisible(cp: number): boolean {
  return (
    cp < 0x20 ||
    (cp >= 0x7f && cp < 0xa0) ||
    cp === 0x20 ||
    cp === 0xa0 ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0xe0100 && cp <= 0xe01ef) ||
    cp === 0xfeff
  );
}

/** Characters of `text` that the packaged font for `role` lacks (its cmap says), in order of first appearance. */
export async function missingGlyphs(text: string, role: FontRole): Promise<MissingGlyph[]> {
  const covered = await coverage(role);
  const found = new Map<string, MissingGlyph>();
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    if (covered[cp] === 1 || invisible(cp)) continue;
    const seen = found.get(char);
    if (seen) seen.count++;
    else found.set(char, { char, codePoint: `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`, count: 1 });
  }
  return [...found.values()];
}

/** The warning for one missing character, in the project's message style. */
export function missingGlyphMessage(glyph: MissingGlyph, userFonts: readonly string[]): string {
  const times = glyph.count > 1 ? `（出现 ${glyph.count} 次）` : '';
  const fonts = userFonts.length
    ? `，若配置的字体（${userFonts.join('、')}）也没有，印出来将是空框或别的字体`
    : '，印出来将是空框或别的字体';
  return `内置字体中没有字符“${glyph.char}”（${glyph.codePoint}）${times}${fonts}；请换用常用字，或在 huibian.yaml 的 fonts 中配置含有此字的字体`;
}
