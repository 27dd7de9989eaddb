/**
 * Which kinds of character a block's text holds, found in one pass over it, so that each text rule skips the blocks it
 * can have nothing to say about instead of scanning every block itself. Each mark is a necessary condition of some
 * rule's finding (a rule without its mark in a block would report nothing there), never a sufficient one.
 */
import type { TextBlock } from './types.js';
import { INVISIBLE, isChinese, isHan } from './chars.js';
import { gbkCode } from './codepages.js';
import { normalIn, type Script } from './script.js';

export const Mark = {
  /** Han or CJK punctuation (`hasChinese`). */
  chinese: 1 << 0,
  /** A Han character, supplementary ones included (text-spacing). */
  han: 1 << 1,
  /** 锟 烫 屯 or U+FFFD: every well-known mojibake sequence has one. */
  mojibakeKnown: 1 << 2,
  /** `?`: a lost character in text-mojibake. */
  question: 1 << 3,
  /** A character that GBK encodes with a lead byte E2–E9: UTF-8 read as GBK has one in every run of two characters. */
  gbkLead: 1 << 4,
  /** â–é (bytes E2–E9 in Windows-1252): UTF-8 read as Windows-1252 has one in every run of two characters. */
  cp1252Lead: 1 << 5,
  doubleQuote: 1 << 6,
  singleQuote: 1 << 7,
  /** “ ” ‘ ’ 《 》 （ ） 【 】: the marks whose pairing text-quotes checks. */
  pairedMark: 1 << 8,
  /** , . : ; ! ? ( ) */
  halfPunct: 1 << 9,
  /** What text-ellipsis-dash matches: … — ―, or one of . - 。 ， ！ twice in a row. */
  ellipsisDash: 1 << 10,
  /** ０-９ Ａ-Ｚ ａ-ｚ */
  fullwidthAlnum: 1 << 11,
  /** ( or （: a pinyin annotation. */
  paren: 1 << 12,
  /** ASCII letter or digit. */
  alnum: 1 << 13,
  /** A Han character outside the classic set of the compilation's script (text-script looks these up). */
  otherScript: 1 << 14,
  /** ，。、：；！？（）《》〈〉【】「」『』〔〕“”‘’: full-width marks (text-punctuation-space, text-english-punctuation). */
  fullwidthMark: 1 << 17,
  /** Space or tab (text-stray-space: a blank between Han characters). */
  blank: 1 << 18,
  /** U+3000 ideographic space or U+00A0 no-break space. */
  wideSpace: 1 << 19,
  /** A zero-width, bidi-control, soft-hyphen, BOM or object-replacement character (text-invisible). */
  invisible: 1 << 20,
  /** 「」『』 (text-quote-style). */
  cornerQuote: 1 << 21,
} as const;

/** Internal: the mark counts only when the character repeats (`..`, `--`, `。。`, `，，`, `！！`). */
const doubled = 1 << 15;
/** Internal: with `doubled`, the mark the repeat sets. */
const doubledMark = Mark.ellipsisDash;
/** Internal: the table entry has been worked out (a character with no mark is stored as just this). */
const known = 1 << 16;

/** The marks of single characters that no range covers. */
const singles = new Map<number, number>();
for (const [chars, m] of [
  ['锟烫屯\ufffd', Mark.mojibakeKnown],
  ['?', Mark.question],
  ['"', Mark.doubleQuote],
  ["'", Mark.singleQuote],
  ['“”‘’《》（）【】', Mark.pairedMark],
  [',.:;!?()', Mark.halfPunct],
  ['…—―', Mark.ellipsisDash],
  ['.-。，！', doubled],
  ['(（', Mark.paren],
  ['，。、：；！？（）《》〈〉【】「」『』〔〕“”‘’', Mark.fullwidthMark],
  [' \t', Mark.blank],
  ['\u3000\u00a0', Mark.wideSpace],
  [INVISIBLE, Mark.invisible],
  ['「」『』', Mark.cornerQuote],
] as const) {
  for (const ch of chars) singles.set(ch.charCodeAt(0), (singles.get(ch.charCodeAt(0)) ?? 0) | m);
}

/** The marks of one UTF-16 code unit in a compilation of `script`. */
function marksOfCode(c: number, script: Script): number {
  let m = known | (singles.get(c) ?? 0);
  if (isChinese(c)) m |= Mark.chinese;
  if (isHan(c)) {
    m |= Mark.han;
    if (c >= 0x3400 && c < 0xd800 && !normalIn(c, script)) m |= Mark.otherScript;
  }
  if (c >= 0x80) {
    const lead = gbkCode(c) >> 8;
    if (lead >= 0xe2 && lead <= 0xe9) m |= Mark.gbkLead;
  }
  if (c >= 0xe2 && c <= 0xe9) m |= Mark.cp1252Lead;
  if ((c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a)) m |= Mark.fullwidthAlnum;
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) m |= Mark.alnum;
  return m;
}

/** Per script, the marks of each code unit met so far (0: not yet worked out): text uses a few thousand of the 65,536. */
const tables = new Map<Script, Uint32Array>();

function tableFor(script: Script): Uint32Array {
  let table = tables.get(script);
  if (!table) tables.set(script, (table = new Uint32Array(0x10000)));
  return table;
}

/** The marks of one UTF-16 code unit (`doubled` aside, which only a text has). */
export function charMarks(c: number, script: Script): number {
  const table = tableFor(script);
  let m = table[c]!;
  if (m === 0) table[c] = m = marksOfCode(c, script);
  return m & ~(doubled | known);
}

/** The marks of `text` (`script`: the compilation's language, for `Mark.otherScript`). */
export function marksIn(text: string, script: Script = 'zh-Hans'): number {
  const table = tableFor(script);
  let marks = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let m = table[c]!;
    if (m === 0) table[c] = m = marksOfCode(c, script);
    if (m & doubled && i > 0 && text.charCodeAt(i - 1) === c) marks |= doubledMark;
    marks |= m;
  }
  return marks & ~(doubled | known);
}

/** The marks of a block's text, computed once per block (and script). */
export function marksOf(block: TextBlock, script: Script): number {
  if (block.marks === undefined || block.marksScript !== script) {
    block.marks = marksIn(block.text, script);
    block.marksScript = script;
  }
  return block.marks;
}
