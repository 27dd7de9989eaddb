/**
 * Spacing between Chinese and Latin letters or digits, as `lint.spacing` in huibian.yaml says: `off` (the default:
 * official documents usually set no space), `require` (one space, 中文文案排版指北) or `forbid`.
 *
 * require 时不通过：使用API接口，共3个        通过：使用 API 接口，共 3 个
 * forbid 时不通过： 使用 API 接口，共 3 个     通过：使用API接口，共3个
 */
import { defineRule } from '../rule.js';
import { fileRange, textBlocks } from '../text/blocks.js';
import { hanBefore, isAlnum, isBlank, isDigit, isHan, isLatinLetter } from '../text/chars.js';
import { Mark, marksOf } from '../text/marks.js';
import { reportReplace } from '../text/scan.js';
import { inOpaque } from '../text/tokens.js';

/** A word starts at `i` (after Han): a letter or digit, or a sign before a number (值范围-255, 或+255; not 2019年-2021年). */
function wordStartsAt(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  if (isAlnum(c)) return true;
  if ((c !== 0x2d && c !== 0x2b) || !isDigit(t.charCodeAt(i + 1))) return false;
  // After `2019年` (a number and its unit, spaced or not) a dash joins a range: 2019年-2021年.
  if (c === 0x2b) return true;
  let k = i - 2;
  while (k >= 0 && isBlank(t.charCodeAt(k))) k--;
  return !isDigit(t.charCodeAt(k));
}

/** A word ends before `i` (before Han): a letter or digit, or a sign attached to one (0.1%, C++, Yahoo!). */
function wordEndsBefore(t: string, i: number): boolean {
  const c = t.charCodeAt(i - 1);
  if (isAlnum(c)) return true;
  if (c === 0x25) return isDigit(t.charCodeAt(i - 2)); // %
  if (c === 0x21) return isLatinLetter(t.charCodeAt(i - 2)); // !
  if (c === 0x2b) {
    let j = i - 1;
    while (t.charCodeAt(j) === 0x2b) j--;
    return isLatinLetter(t.charCodeAt(j));
  }
  return false;
}

export default defineRule(
  { id: 'text-spacing', group: 'text', defaultSeverity: 'warn', fixable: true, description: '中文与拉丁字母、数字之间的空格应符合 lint.spacing 的规定' },
  (context) => {
    const policy = context.config.lint.spacing;
    if (policy === 'off') return;
    const { document } = context;
    for (const block of textBlocks(document.mdast, document.source)) {
      // Both policies look at a Han character next to a Latin letter or digit.
      const marks = marksOf(block, context.config.language);
      if (!(marks & Mark.han) || !(marks & Mark.alnum)) continue;
      const t = block.text;
      for (let i = 1; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (policy === 'require') {
          // A boundary Han|word or word|Han with nothing between; a word takes the signs attached to it (-255, 0.1%, C++).
          const boundary = (hanBefore(t, i) && wordStartsAt(t, i)) || (isHan(c) && wordEndsBefore(t, i));
          if (!boundary) continue;
          // Paths, anchors and placeholders (`wiki/网页#基於WebKit`, `%s或`) are not prose.
          if (inOpaque(block, i - 1) || inOpaque(block, i)) continue;
          // Insert only where both sides are one stretch of the file: never inside `**` or a link's brackets.
          const around = fileRange(block, i - 1, i + 1);
          if (!around) continue;
          context.report('中文与拉丁字母或数字之间应有一个空格', {
            range: { start: around.start, end: around.end },
            fix: { range: { start: around.start + 1, end: around.start + 1 }, text: ' ' },
          });
        } else if (isBlank(c) && !isBlank(t.charCodeAt(i - 1))) {
          let j = i;
          while (j < t.length && isBlank(t.charCodeAt(j))) j++;
          const next = t.charCodeAt(j);
          const forbidden = (hanBefore(t, i) && isAlnum(next)) || (isAlnum(t.charCodeAt(i - 1)) && isHan(next));
          if (forbidden) reportReplace(context, block, i, j, '中文与拉丁字母或数字之间不应有空格', '');
          i = j - 1;
        }
      }
    }
  },
);
