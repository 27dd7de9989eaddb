/**
 * Full-width digits and Latin letters `０-９ Ａ-Ｚ ａ-ｚ` should be half-width (GB/T 15835 writes numbers in half-width
 * Arabic digits), and so should the colon of a time written with them (`１６：３２` → `16:32`).
 *
 * 不通过：２０２３年，ＡＩ赋能，１６：３２开始
 * 通过：  2023年，AI赋能，16:32开始
 */
import { defineRule } from '../rule.js';
import { textBlocks } from '../text/blocks.js';
import { Mark, marksOf } from '../text/marks.js';
import { reportReplace } from '../text/scan.js';

const fullWidthRun = /[０-９Ａ-Ｚａ-ｚ]+/g;
/** A clock time `HH：MM`: one or two digits, a full-width colon, two digits (not a ratio like 1：1000). */
const timeColon = /(?<![0-9０-９])[0-9０-９]{1,2}(：)[0-9０-９]{2}(?![0-9０-９])/g;

export default defineRule(
  { id: 'text-fullwidth-alnum', group: 'text', defaultSeverity: 'warn', fixable: true, description: '数字和拉丁字母应为半角' },
  (context) => {
    const { document } = context;
    for (const block of textBlocks(document.mdast, document.source)) {
      const marks = marksOf(block, context.config.language);
      if (!(marks & (Mark.fullwidthAlnum | Mark.alnum))) continue;
      if (marks & Mark.fullwidthAlnum) {
        for (const match of block.text.matchAll(fullWidthRun)) {
          const run = match[0];
          const half = run.replace(/[０-９Ａ-Ｚａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
          reportReplace(context, block, match.index, match.index + run.length, `全角字母或数字“${run}”，应为半角“${half}”`, half);
        }
      }
      if (!block.text.includes('：')) continue;
      for (const match of block.text.matchAll(timeColon)) {
        const at = match.index + match[0].indexOf('：');
        reportReplace(context, block, at, at + 1, `时间“${match[0]}”中的冒号应为半角“:”`, ':');
      }
    }
  },
);
