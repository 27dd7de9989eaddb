/**
 * GB/T 15834 forms of the ellipsis and the dash in Chinese text: `...`, `。。。` and a single `…` become `……`;
 * `--`, a single `—` and `――` between Chinese become `——` (fixable). A doubled `，，` `。。` `！！` is reported.
 *
 * 不通过：积极探索...形成了“四融四促”--融合机制，，
 * 通过：  积极探索……形成了“四融四促”——融合机制，
 */
import { defineRule } from '../rule.js';
import { reportRange, textBlocks } from '../text/blocks.js';
import { chineseBefore, isChinese } from '../text/chars.js';
import { Mark, marksOf } from '../text/marks.js';
import { nextNonBlank, prevNonBlank, reportReplace, shown } from '../text/scan.js';

/** Runs this rule looks at: dots, ideographic full stops, ellipses, dashes, and doubled marks. */
const candidates = /\.{3,}|。{2,}|…+|-{2,}|[—―]+|，{2,}|！{2,}/g;

export default defineRule(
  { id: 'text-ellipsis-dash', group: 'text', defaultSeverity: 'warn', fixable: true, description: '省略号应为“……”，破折号应为“——”，标点不应重复（GB/T 15834）' },
  (context) => {
    const { document } = context;
    for (const block of textBlocks(document.mdast, document.source)) {
      const t = block.text;
      const marks = marksOf(block, context.config.language);
      if (!(marks & Mark.chinese) || !(marks & Mark.ellipsisDash)) continue;
      for (const match of t.matchAll(candidates)) {
        const run = match[0];
        const from = match.index;
        const to = from + run.length;
        const before = prevNonBlank(t, from - 1);
        const after = nextNonBlank(t, to);
        const chBefore = before >= 0 && chineseBefore(t, before + 1);
        const chAfter = after < t.length && isChinese(t.charCodeAt(after));
        const near = chBefore || chAfter;
        const c = run[0]!;
        if (c === '.' || (c === '。' && run.length >= 3)) {
          if (!near) continue;
          reportReplace(context, block, from, to, `省略号“${shown(run)}”应为“……”`, '……');
        } else if (c === '…') {
          if (run.length !== 1 || !near) continue;
          reportReplace(context, block, from, to, '省略号应为两个“…”连用的“……”', '……');
        } else if (c === '-' || c === '—' || c === '―') {
          if (run === '——') continue;
          // Only between Chinese on both sides: `--flag`, `a — b` and `2020—2021` are not Chinese dashes.
          if (!(chBefore && chAfter)) continue;
          if (run.length > 2) continue; // ---, ——— : something else (a rule line, a table)
          reportReplace(context, block, before + 1, after, `破折号“${run}”应为“——”`, '——');
        } else {
          // 。。 (two only; three or more is an ellipsis above), ，，, ！！
          if (c === '。' && run.length !== 2) continue;
          context.report(`重复的标点“${run}”，应只用一个“${c}”`, { range: reportRange(block, from, to) });
        }
      }
    }
  },
);
