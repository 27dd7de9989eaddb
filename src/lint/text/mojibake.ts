/**
 * Detecting text decoded with the wrong code page. UTF-8 Chinese read as GBK (鍏氬缓 for 党建) or as Windows-1252
 * (å…š for 党) leaves runs whose bytes, re-encoded in that code page, form valid UTF-8 for common Chinese characters.
 * Normal text almost never does: the chain needs UTF-8 lead bytes (E2–E9) and continuation bytes (80–BF) in a row.
 */
import type { Misdecode, TextBlock } from './types.js';
import { gbkCode } from './codepages.js';
import { Mark, marksIn, marksOf } from './marks.js';

export type { Misdecode } from './types.js';

/** Windows-1252 bytes 0x80–0x9F and the characters they decode to. */
const cp1252High = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function cp1252Byte(code: number): number {
  if (code >= 0xa0 && code <= 0xff) return code;
  if (code < 0x80 || code > 0x2122) return 0; // ASCII, and everything past ™ (all of CJK)
  const k = cp1252High.indexOf(String.fromCharCode(code));
  return k >= 0 ? 0x80 + k : 0;
}

/** A common character: GB2312 symbols (rows A1–A9) or first-level Han (rows B0–D7). */
function common(code: number): boolean {
  const lead = gbkCode(code) >> 8;
  return (lead >= 0xa1 && lead <= 0xa9) || (lead >= 0xb0 && lead <= 0xd7);
}

/** Misdecoded runs in a block's text, computed once (text-mojibake reports them, text-script keeps out of them). */
export function misdecodesIn(block: TextBlock): Misdecode[] {
  // The marks' bits used here do not depend on the script: any script's marks will do.
  return (block.misdecodes ??= findMisdecodes(block.text, marksOf(block, block.marksScript ?? 'zh-Hans')));
}

/**
 * Misdecoded runs in `text`: at least two common characters' worth of valid UTF-8 hidden in the re-encoded bytes.
 * `marks` (of the same text) lets text without the lead bytes of a chain, nearly all text, skip the byte-by-byte scans.
 */
export function findMisdecodes(text: string, marks: number = marksIn(text)): Misdecode[] {
  const found: Misdecode[] = [];
  if (marks & Mark.gbkLead) scan(text, 'GBK', (code) => (code >= 0x80 ? gbkCode(code) : 0), 2, found);
  if (marks & Mark.cp1252Lead) scan(text, 'Windows-1252', cp1252Byte, 1, found);
  return found;
}

function scan(text: string, readAs: Misdecode['readAs'], encode: (code: number) => number, width: 1 | 2, out: Misdecode[]): void {
  let i = 0;
  while (i < text.length) {
    if (encode(text.charCodeAt(i)) === 0) {
      i++;
      continue;
    }
    let j = i;
    const bytes: number[] = [];
    for (; j < text.length; j++) {
      const b = encode(text.charCodeAt(j));
      if (b === 0) break;
      if (width === 2) bytes.push(b >> 8, b & 0xff);
      else bytes.push(b);
    }
    if (j - i >= 2) chains(bytes, i, width, readAs, out);
    i = j;
  }
}

function chains(bytes: number[], base: number, width: number, readAs: Misdecode['readAs'], out: Misdecode[]): void {
  const cont = (b: number | undefined) => b !== undefined && b >= 0x80 && b <= 0xbf;
  let p = 0;
  while (p + 5 < bytes.length) {
    let q = p;
    let original = '';
    while (q + 2 < bytes.length && bytes[q]! >= 0xe2 && bytes[q]! <= 0xe9 && cont(bytes[q + 1]) && cont(bytes[q + 2])) {
      const code = ((bytes[q]! & 0x0f) << 12) | ((bytes[q + 1]! & 0x3f) << 6) | (bytes[q + 2]! & 0x3f);
      if (!common(code)) break;
      original += String.fromCharCode(code);
      q += 3;
    }
    if (original.length >= 2) {
      out.push({ from: base + Math.floor(p / width), to: base + Math.ceil(q / width), original, readAs });
      p = q;
    } else p++;
  }
}
