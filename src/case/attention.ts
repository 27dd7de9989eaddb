/**
 * Emphasis runs (`*`, `**`, `_`…) as micromark-extension-cjk-friendly reads them: whether a run can open or close
 * emphasis depends on the classes of the characters on either side, with CJK characters counted so that
 * `**重点。**正文` is bold. Shared by both fast Markdown paths (simple-markdown.ts and fast-markdown.ts).
 */

/** cjk-friendly's classes of a character next to an emphasis run (micromark's constants). */
export const WHITESPACE = 1;
export const PUNCTUATION = 2;
export const CJK = 4096;
export const UNKNOWN = -1;

// Code points from U+1100 to U+FFFF that micromark-extension-cjk-friendly-util counts as CJK (East Asian Width wide,
// fullwidth or halfwidth and not emoji, or Hangul); the test compares every BMP code point with that package.
const cjkRanges = [
  0x1100, 0x11ff, 0x20a9, 0x20a9, 0x2329, 0x232a, 0x2630, 0x2637, 0x268a, 0x268f, 0x2e80, 0x2e99, 0x2e9b, 0x2ef3,
  0x2f00, 0x2fd5, 0x2ff0, 0x2fff, 0x3001, 0x303e, 0x3041, 0x3096, 0x3099, 0x30ff, 0x3105, 0x312f, 0x3131, 0x318e,
  0x3190, 0x31e5, 0x31ef, 0x321e, 0x3220, 0x3247, 0x3250, 0xa48c, 0xa490, 0xa4c6, 0xa960, 0xa97c, 0xac00, 0xd7a3,
  0xd7b0, 0xd7c6, 0xd7cb, 0xd7fb, 0xf900, 0xfaff, 0xfe10, 0xfe19, 0xfe30, 0xfe52, 0xfe54, 0xfe66, 0xfe68, 0xfe6b,
  0xff01, 0xffbe, 0xffc2, 0xffc7, 0xffca, 0xffcf, 0xffd2, 0xffd7, 0xffda, 0xffdc, 0xffe0, 0xffe6, 0xffe8, 0xffee,
];
const punctuation = /\p{P}|\p{S}/u;
const whitespace = /\s/;

/**
 * The class cjk-friendly's `classifyCharacter` gives a UTF-16 code unit (-1: the start or end of the text, which it
 * counts as whitespace), or UNKNOWN where this module does not follow it: surrogates (astral characters) and the
 * variation selectors it looks through.
 */
export function classifyCode(code: number): number {
  if (code < 0) return WHITESPACE;
  const known = classes[code];
  if (known) return known === 8 ? UNKNOWN : (known & 4 ? CJK : 0) | (known & 3);
  const cls = classify(code);
  classes[code] = cls === UNKNOWN ? 8 : (cls & CJK ? 4 : 0) | (cls & 3) | 16;
  return cls;
}

/** classifyCode's answers so far, by code unit: 16 | 4 (CJK) | 2 (punctuation) | 1 (whitespace), or 8 (unknown). */
const classes = new Uint8Array(0x10000);

function classify(code: number): number {
  if (code >= 0xd800 && code <= 0xdfff) return UNKNOWN;
  if (code >= 0xfe00 && code <= 0xfe0e) return UNKNOWN;
  const char = String.fromCharCode(code);
  if (whitespace.test(char)) return WHITESPACE;
  let value = punctuation.test(char) ? PUNCTUATION : 0;
  if (code >= 0x1100) {
    for (let i = 0; i < cjkRanges.length; i += 2) {
      if (code < cjkRanges[i]!) break;
      if (code <= cjkRanges[i + 1]!) {
        value |= CJK;
        break;
      }
    }
  }
  return value;
}

const isNonCjkPunctuation = (cls: number) => (cls & (CJK | PUNCTUATION)) === PUNCTUATION;

/** Bits of `flanking`'s answer. */
export const OPEN = 1;
export const CLOSE = 2;

/**
 * Whether a run of `marker` (`*` or `_`) between the characters `previous` and `following` (-1: the start or end of
 * the text being parsed) can open (OPEN) and close (CLOSE) emphasis, as cjk-friendly's `tokenizeAttention` decides;
 * -1 when a neighbour's class is not known here (the caller declines).
 */
export function flanking(marker: number, previous: number, following: number): number {
  const before = classifyCode(previous);
  const after = classifyCode(following);
  if (before === UNKNOWN || after === UNKNOWN) return -1;
  const beforeNonCjkPunctuation = isNonCjkPunctuation(before);
  const beforeSpaceOrNonCjkPunctuation = beforeNonCjkPunctuation || before === WHITESPACE || previous === 42 || previous === 95;
  const afterNonCjkPunctuation = isNonCjkPunctuation(after);
  const afterSpaceOrNonCjkPunctuation = afterNonCjkPunctuation || after === WHITESPACE || following === 42 || following === 95;
  const open = !afterSpaceOrNonCjkPunctuation || (afterNonCjkPunctuation && (beforeSpaceOrNonCjkPunctuation || (before & CJK) !== 0));
  const close = !beforeSpaceOrNonCjkPunctuation || (beforeNonCjkPunctuation && (afterSpaceOrNonCjkPunctuation || (after & CJK) !== 0));
  const spaceOrPunctuation = (cls: number) => (cls & (WHITESPACE | PUNCTUATION)) !== 0;
  const canOpen = marker === 42 ? open : open && (spaceOrPunctuation(before) || !close);
  const canClose = marker === 42 ? close : close && (spaceOrPunctuation(after) || !open);
  return (canOpen ? OPEN : 0) | (canClose ? CLOSE : 0);
}
