/**
 * Full-width digits and Latin letters `０-９ Ａ-Ｚ ａ-ｚ` should be half-width (GB/T 15835 writes numbers in half-width
 * Arabic digits).
 *
 * 不通过：２０２３年，ＡＩ赋能
 * 通过：  2023年，AI赋能
 */
import { defineRule } from '../rule.js';
import { textBlocks } from '../text/blocks.js';
import { Mark, marksOf } from '../text/marks.js';
import { reportReplace } from '../text/scan.js';

const fullWidthRun = /[０-９Ａ-Ｚａ-ｚ]+/g;

export default defineRule(
  { id: 'text-fullwidth-alnum', group: 'text', defaultSeverity: 'warn', fixable: true, description: '数字和拉丁字母应为半角' },
  (context) => {
    const { document } = context;
    for (const block of textBlocks(document.mdast, document.source)) {
      if (!(marksOf(block, context.config.language) & Mark.fullwidthAlnum)) continue;
      for (const match of block.text.matchAll(fullWidthRun)) {
        const run = match[0];
        const half = run.replace(/[０-９Ａ-Ｚａ-ｚ]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
        reportReplace(context, block, match.index, match.index + run.length, `全角字母或数字“${run}”，应为半角“${half}”`, half);
      }
    }
  },
);
