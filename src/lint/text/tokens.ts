/**
 * Stretches of a block's text that look like something other than prose: a path or anchor without a scheme
 * (`wiki/网页#基於WebKit`, `foo-bar_01.htm#测试copy`), a template or call (`{{jsxref("…","代理句柄")}}`, `${x}`), a
 * format placeholder (`%s`, `$1`), an emoticon (`;-)`) or a `!flag` (`!important`). Text rules leave them alone: a fix
 * there would change a link target or a token a program reads, not a sentence.
 */
import type { TextBlock } from './blocks.js';
import { isBlank, isChinese, isHan, OBJECT_CODE } from './chars.js';

const cache = new WeakMap<TextBlock, Array<[number, number]>>();

/** The non-prose stretches of a block, as sorted `[from, to)` pairs (computed once per block). */
export function opaqueRanges(block: TextBlock): Array<[number, number]> {
  let ranges = cache.get(block);
  if (!ranges) {
    ranges = find(block.text);
    cache.set(block, ranges);
  }
  return ranges;
}

/** Whether `text[i]` lies in a non-prose stretch of the block. */
export function inOpaque(block: TextBlock, i: number): boolean {
  const ranges = opaqueRanges(block);
  if (ranges.length === 0) return false;
  for (const [from, to] of ranges) {
    if (i < from) return false;
    if (i < to) return true;
  }
  return false;
}

/** Characters that may start or go on a path-like run: anything but blanks, line ends, CJK punctuation and stand-ins. */
function runChar(c: number): boolean {
  return !(isBlank(c) || c === 0x0a || c === OBJECT_CODE || c === 0x3000 || (isChinese(c) && !isHan(c)));
}

function asciiWordish(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x5f || c === 0x2e;
}

const fileName = /[^.\s]\.[A-Za-z][A-Za-z0-9]{0,4}$/;
const template = /\{\{[^{}\n]*\}\}|\$\{[^{}\n]*\}|\{%[^%\n]*%\}/g;
const call = /\b[A-Za-z_][\w.]*\(\s*["'][^()\n]*\)/g;
const placeholder = /[%$][A-Za-z0-9](?![A-Za-z0-9])/g;
const emoticon = /[:;]-[()DPp](?!\w)|(?<![\w\u4e00-\u9fff])[:;][()DPp](?!\w)/g;
const bangFlag = /!(?=[A-Za-z])/g;

function find(t: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  // Cheap exits: every pattern needs one of these characters.
  if (!/[/#{$%:;!(.]/.test(t)) return ranges;
  // Path-like runs (split at blanks and CJK punctuation): from an ASCII name of two or more characters followed by
  // `/` (`wiki/网页`, `../docs/说明`, or a leading `/`), or a slug or file name followed by `#` (`foo-bar_01.htm#测试`),
  // to the end of the run. `C/C++代码` and `万桶/日` are prose.
  for (let i = 0; i < t.length; ) {
    if (!runChar(t.charCodeAt(i))) {
      i++;
      continue;
    }
    let j = i;
    let start = -1;
    while (j < t.length && runChar(t.charCodeAt(j))) {
      const c = t.charCodeAt(j);
      if (start < 0 && (c === 0x2f || c === 0x23) && j + 1 < t.length && runChar(t.charCodeAt(j + 1))) {
        let s = j;
        while (s > i && asciiWordish(t.charCodeAt(s - 1))) s--;
        const name = t.slice(s, j);
        if (c === 0x2f && (j === i || name.length >= 2)) start = s > i && t.charCodeAt(s - 1) === 0x2f ? s - 1 : s;
        if (c === 0x23 && name.length >= 2 && /[-_.]/.test(name)) start = s;
      }
      j++;
    }
    // A file name: the run ends in `.md`, `.html`, `.docx`.
    if (start < 0 && j - i > 3 && fileName.test(t.slice(Math.max(i, j - 8), j))) start = i;
    if (start >= 0) ranges.push([start, j]);
    i = j;
  }
  for (const pattern of [template, call, placeholder, emoticon, bangFlag]) {
    for (const m of t.matchAll(pattern)) ranges.push([m.index, m.index + Math.max(1, m[0].length)]);
  }
  if (ranges.length <= 1) return ranges;
  ranges.sort((a, b) => a[0] - b[0]);
  // Merge overlaps so `inOpaque` can stop at the first range past `i`.
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}
