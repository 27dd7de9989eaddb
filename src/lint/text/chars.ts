/** Character classes the text rules share: Han characters, CJK punctuation, Latin letters and digits. Codes are UTF-16 units. */

/** A Han character in the BMP, or the high half of a surrogate pair in the supplementary Han planes (2–3). */
export function isHan(code: number): boolean {
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    code === 0x3007 || // 〇
    (code >= 0xd840 && code <= 0xd8bf)
  );
}

/** The code unit before `i` is the end of a Han character (a BMP Han, or the low half of a supplementary one). */
export function hanBefore(text: string, i: number): boolean {
  const c = text.charCodeAt(i - 1);
  if (c >= 0xdc00 && c <= 0xdfff) return isHan(text.charCodeAt(i - 2));
  return isHan(c);
}

export function hanAt(text: string, i: number): boolean {
  return isHan(text.charCodeAt(i));
}

/** Full-width punctuation that belongs to Chinese text: 、。〈〉《》「」『』【】 and ，！？；：（）, curly quotes, …, —. */
export function isCjkPunct(code: number): boolean {
  return (
    (code >= 0x3001 && code <= 0x3003) ||
    (code >= 0x3008 && code <= 0x3011) ||
    (code >= 0x3014 && code <= 0x301f) ||
    code === 0xff01 ||
    (code >= 0xff08 && code <= 0xff09) ||
    code === 0xff0c ||
    (code >= 0xff1a && code <= 0xff1b) ||
    code === 0xff1f ||
    code === 0x2018 ||
    code === 0x2019 ||
    code === 0x201c ||
    code === 0x201d ||
    code === 0x2026 ||
    code === 0x2014 ||
    code === 0xff5e || // ～
    code === 0x00b7 // · 间隔号
  );
}

/** Han or CJK punctuation: the code unit belongs to Chinese text. */
export function isChinese(code: number): boolean {
  return isHan(code) || isCjkPunct(code);
}

/** “ ” ‘ ’: marks that English and Chinese share. */
export function isCurlyQuote(code: number): boolean {
  return code === 0x201c || code === 0x201d || code === 0x2018 || code === 0x2019;
}

/**
 * Whether the curly quote at `i` belongs to Chinese text: the nearest character on either side, past blanks and other
 * quotes, is Han or CJK punctuation. `He called it “a new era”.` is English; `的“formatting”功能` is Chinese.
 */
export function quoteIsChinese(text: string, i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const c = text.charCodeAt(j);
    if (isBlank(c) || isCurlyQuote(c)) continue;
    if (isChinese(c) || (c >= 0xdc00 && c <= 0xdfff && hanBefore(text, j + 1))) return true;
    break;
  }
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (isBlank(c) || isCurlyQuote(c)) continue;
    return isChinese(c);
  }
  return false;
}

/** The character before `i` is Chinese (Han, supplementary Han, or CJK punctuation; a curly quote only in Chinese text). */
export function chineseBefore(text: string, i: number): boolean {
  const c = text.charCodeAt(i - 1);
  if (isCurlyQuote(c)) return quoteIsChinese(text, i - 1);
  return hanBefore(text, i) || isCjkPunct(c);
}

/** The character at `i` is Chinese, as `chineseBefore` reads it. */
export function chineseAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (isCurlyQuote(c)) return quoteIsChinese(text, i);
  return isChinese(c);
}

/** Closing CJK punctuation after which a half-width mark is still "after Chinese": ”’）》」』】 */
export function isCjkClosing(code: number): boolean {
  return code === 0x201d || code === 0x2019 || code === 0xff09 || code === 0x300b || code === 0x300d || code === 0x300f || code === 0x3011;
}

export function isLatinLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

export function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export function isAlnum(code: number): boolean {
  return isLatinLetter(code) || isDigit(code);
}

/** Space or tab (never a line end or an ideographic space: fixes do not join lines or undo indentation). */
export function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** Stand-in for inline code, HTML, images and autolinks inside a block's text: not Chinese, not Latin, never fixed. */
export const OBJECT = '\ufffc';
export const OBJECT_CODE = 0xfffc;

/** Whether the text contains anything Chinese at all (rules skip blocks without it cheaply). */
export function hasChinese(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isChinese(text.charCodeAt(i))) return true;
  return false;
}

/**
 * Characters that print as nothing: zero-width space, non-joiner and joiner, word joiner, soft hyphen, a BOM inside the
 * text, U+FFFC (an object Word lost), and the bidi controls (LRM, RLM, ALM, LRE…RLO, LRI…PDI), which can hide text.
 */
export const INVISIBLE = '\u200b\u200c\u200d\u2060\u00ad\ufeff\ufffc\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
