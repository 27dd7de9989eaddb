/**
 * No space around full-width punctuation (中文文案排版指北: 全角标点与其他字符之间不加空格): the mark carries its own
 * spacing. Blanks between `，。、：；！？（）《》【】「」『』` (and curly quotes in Chinese text) and a Chinese character,
 * a letter, a digit or inline code are removed (fixable). Spaces before other ASCII marks (`| 表格 |`) stay.
 *
 * 不通过：以达到快速、 跨平台 、 低资源占用的目的 。 例如 Firefox 、 Dropbox
 * 通过：  以达到快速、跨平台、低资源占用的目的。例如 Firefox、Dropbox
 */
import { defineRule } from '../rule.js';
import type { Range } from '../../shared/source.js';
import { fileRange, textBlocks, type TextBlock } from '../text/blocks.js';
import { chineseAt, chineseBefore, hanBefore, isAlnum, isBlank, isCurlyQuote, isHan, OBJECT_CODE, quoteIsChinese } from '../text/chars.js';
import { Mark, marksOf } from '../text/marks.js';
import { nextNonBlank, prevNonBlank, reportReplace, safeToJoin } from '../text/scan.js';

/** The full-width marks this rule spaces: sentence marks, brackets and corner quotes (not the dash, ellipsis or ·). */
const marks = new Set([...'，。、：；！？（）《》〈〉【】「」『』〔〕“”‘’'].map((c) => c.charCodeAt(0)));

/**
 * What may stand on the other side of the blanks for them to go: Chinese, a letter or digit, another mark, or inline
 * code (not an autolink, which needs the space before it to stay a link).
 */
function neighbour(block: TextBlock, i: number, before: boolean): boolean {
  const t = block.text;
  const c = t.charCodeAt(i);
  if (Number.isNaN(c)) return false;
  if (isAlnum(c) || marks.has(c) || c === OBJECT_CODE) return true;
  return before ? hanBefore(t, i + 1) : isHan(c);
}

/**
 * A stand-in (inline code, HTML, an image, an autolink) beside the blanks at [i, j) is inline code, a backtick in the
 * file; an autolink needs the space before it to stay a link.
 */
function onlyCodeBeside(block: TextBlock, i: number, j: number, blanks: Range): boolean {
  const s = block.source.text;
  if (block.text.charCodeAt(i - 1) === OBJECT_CODE && s[blanks.start - 1] !== '`') return false;
  if (block.text.charCodeAt(j) === OBJECT_CODE && s[blanks.end] !== '`') return false;
  return true;
}

/** `图1`, `表 2-3`, `图一`: the label that opens a caption. */
const captionLabel = /^[图表圖][ \t]*[0-9一二三四五六七八九十〇零.\-–]+/;

/** Marks an English sentence may carry by mistake (text-english-punctuation turns them half-width, space and all). */
const sharedWithEnglish = new Set([...'，。：；！？（）【】'].map((c) => c.charCodeAt(0)));

/** `suppliers’`, `don’t`: a ’ after a letter with no ‘ open before it in the block. */
function apostrophe(t: string, i: number): boolean {
  if (t.charCodeAt(i) !== 0x2019 || !isAlnum(t.charCodeAt(i - 1))) return false;
  let open = 0;
  for (let k = 0; k < i; k++) {
    const c = t.charCodeAt(k);
    if (c === 0x2018) open++;
    else if (c === 0x2019 && open > 0) open--;
  }
  return open === 0;
}

function fullWidthAt(block: TextBlock, i: number): boolean {
  const t = block.text;
  const c = t.charCodeAt(i);
  if (!marks.has(c)) return false;
  if (isCurlyQuote(c)) return quoteIsChinese(t, i) && !apostrophe(t, i);
  if (!sharedWithEnglish.has(c)) return true;
  // `Come and， Join us`: between English words the mark is English's, and so is the space after it.
  return chineseBefore(t, prevNonBlank(t, i - 1) + 1) || chineseAt(t, nextNonBlank(t, i + 1));
}

export default defineRule(
  { id: 'text-punctuation-space', group: 'text', defaultSeverity: 'warn', fixable: true, description: '全角标点前后不应有空格' },
  (context) => {
    const { document } = context;
    for (const block of textBlocks(document.mdast, document.source)) {
      if (!(marksOf(block, context.config.language) & Mark.fullwidthMark)) continue;
      const t = block.text;
      // A caption's label keeps the space after it: `图1 “四同”工作机制`.
      const label = block.kind === 'caption' ? (captionLabel.exec(t)?.[0].length ?? -1) : -1;
      for (let i = 0; i < t.length; i++) {
        if (!isBlank(t.charCodeAt(i)) || i === label) continue;
        let j = i;
        while (j < t.length && isBlank(t.charCodeAt(j))) j++;
        // Blanks that open or close the block, or follow a line break, are indentation (not this rule's).
        if (i > 0 && j < t.length && t.charCodeAt(i - 1) !== 0x0a) {
          const markBefore = fullWidthAt(block, i - 1) && neighbour(block, j, false);
          const markAfter = !markBefore && fullWidthAt(block, j) && neighbour(block, i - 1, true);
          const blanks = markBefore || markAfter ? fileRange(block, i, j) : undefined;
          if (blanks && safeToJoin(block.source.text, blanks.start, blanks.end) && onlyCodeBeside(block, i, j, blanks)) {
            const mark = markBefore ? t[i - 1]! : t[j]!;
            reportReplace(context, block, i, j, `全角标点“${mark}”${markBefore ? '后' : '前'}不应有空格`, '');
          }
        }
        i = j - 1;
      }
    }
  },
);
