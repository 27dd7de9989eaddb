/**
 * Stray spaces inside a paragraph, as text pasted from a PDF or a justified Word page brings them: a space between two
 * Chinese characters (`党建 工作`, `文 字`), and a full-width space U+3000 or a no-break space U+00A0 anywhere but at the
 * start of a line (fixable). Headings, table cells and captions are left alone: `第一章　总则` and `张 三` there are
 * deliberate, and so is a paragraph that lists short names or words with a space between each (`张三 李四 王五`).
 * Spaces between Chinese and Latin letters or digits are text-spacing's.
 *
 * 不通过：加强党建 工作，推动业务　发展。
 * 通过：  加强党建工作，推动业务发展。
 */
import { defineRule } from '../rule.js';
import { fileRange, textBlocks } from '../text/blocks.js';
import { chineseBefore, hanBefore, isAlnum, isBlank, isChinese, isHan } from '../text/chars.js';
import { Mark, marksOf } from '../text/marks.js';
import { reportReplace, safeToJoin } from '../text/scan.js';
import { inOpaque } from '../text/tokens.js';

function isWide(c: number): boolean {
  return c === 0x3000 || c === 0xa0;
}

/** Length of the run of Han characters ending before `i` (BMP only; enough to tell a short word). */
function hanRunBefore(t: string, i: number): number {
  let n = 0;
  while (i - n > 0 && isHan(t.charCodeAt(i - n - 1))) n++;
  return n;
}

function hanRunAt(t: string, i: number): number {
  let n = 0;
  while (i + n < t.length && isHan(t.charCodeAt(i + n))) n++;
  return n;
}

/** `张三 李四 王五`: the blank at [i, j) is one of at least two in a list of short Han words. */
function spacedList(t: string, i: number, j: number): boolean {
  const left = hanRunBefore(t, i);
  const right = hanRunAt(t, j);
  if (left === 0 || right === 0 || left > 4 || right > 4) return false;
  const beforeLeft = i - left;
  const afterRight = j + right;
  const more = (k: number) => k >= 0 && k < t.length && t.charCodeAt(k) === 0x20;
  return (more(beforeLeft - 1) && isHan(t.charCodeAt(beforeLeft - 2))) || (more(afterRight) && isHan(t.charCodeAt(afterRight + 1)));
}

export default defineRule(
  { id: 'text-stray-space', group: 'text', defaultSeverity: 'warn', fixable: true, description: '段落中汉字之间不应有空格，不应有全角空格或不换行空格' },
  (context) => {
    const { document } = context;
    const spacing = context.config.lint.spacing;
    for (const block of textBlocks(document.mdast, document.source)) {
      if (block.kind !== 'paragraph') continue;
      const marks = marksOf(block, context.config.language);
      if (!(marks & Mark.wideSpace) && !(marks & Mark.han && marks & Mark.blank)) continue;
      const t = block.text;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (!isBlank(c) && !isWide(c)) continue;
        let j = i;
        let wide = false;
        for (; j < t.length && (isBlank(t.charCodeAt(j)) || isWide(t.charCodeAt(j))); j++) if (isWide(t.charCodeAt(j))) wide = true;
        const prev = t.charCodeAt(i - 1);
        const next = t.charCodeAt(j);
        // Not at the start or end of a line: indentation and trailing spaces are someone else's.
        if (i === 0 || prev === 0x0a || j >= t.length || next === 0x0a) {
          i = j - 1;
          continue;
        }
        if (wide) {
          // Only next to Chinese: a no-break space in English (`5 kg`) is the author's.
          if (!chineseBefore(t, i) && !isChinese(next)) {
            i = j - 1;
            continue;
          }
          // Beside English (a word, or its `?` or `.`) the space stays a space, unless lint.spacing forbids one
          // between Chinese and a Latin letter or digit.
          const ascii = prev < 0x80 || next < 0x80;
          const keep = ascii && !(spacing === 'forbid' && (isAlnum(prev) || isAlnum(next))) ? ' ' : '';
          const what = t.slice(i, j).includes('\u3000') ? '全角空格' : '不换行空格';
          const at = fileRange(block, i, j);
          if (!keep && at && !safeToJoin(block.source.text, at.start, at.end)) {
            i = j - 1;
            continue;
          }
          reportReplace(context, block, i, j, `段落中间的${what}，应${keep ? '为普通空格' : '删除'}`, keep);
        } else if (hanBefore(t, i) && isHan(next) && !spacedList(t, i, j) && !inOpaque(block, i - 1) && !inOpaque(block, j)) {
          // A space beside a link, emphasis or code (`[链接](…) 的`) was put there on purpose.
          if (!fileRange(block, i - 1, j + 1)) {
            i = j - 1;
            continue;
          }
          reportReplace(context, block, i, j, '汉字之间多余的空格', '');
        }
        i = j - 1;
      }
    }
  },
);
