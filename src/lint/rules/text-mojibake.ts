/**
 * Mojibake (乱码) from a wrong decode somewhere upstream: U+FFFD, 锟斤拷 / 烫烫烫 / 屯屯屯, a `?` standing for a lost
 * character inside Chinese, and runs that are UTF-8 Chinese read as GBK or Windows-1252. Not fixable: the original
 * text is needed (the message shows what the bytes most likely said).
 *
 * 不通过：勇于担当?shù的精神；鍏氬缓寮曢锟斤拷
 * 通过：  勇于担当的精神；党建引领
 */
import { defineRule } from '../rule.js';
import { reportRange, textBlocks } from '../text/blocks.js';
import { Mark, marksOf } from '../text/marks.js';
import { misdecodesIn } from '../text/mojibake.js';
import { shown } from '../text/scan.js';

/** Sequences every Chinese programmer knows: 锟斤拷 (U+FFFD twice, read as GBK), 烫 / 屯 (uninitialised memory). */
const known = /(?:锟斤拷)+|锟斤|烫{3,}|屯{3,}|\ufffd+/g;

/** A `?` (or several) between a Han character and another Han character or a Latin letter. */
const lostChar = /(?<=[\u3400-\u4dbf\u4e00-\u9fff])[?？]*\?+(?=[\u3400-\u4dbf\u4e00-\u9fffA-Za-z])/g;

export default defineRule(
  { id: 'text-mojibake', group: 'text', defaultSeverity: 'warn', description: '正文中不应有乱码（错误解码留下的字符）' },
  (context) => {
    const { document } = context;
    for (const block of textBlocks(document.mdast, document.source)) {
      const t = block.text;
      const marks = marksOf(block, context.config.language);
      if (!(marks & (Mark.mojibakeKnown | Mark.question | Mark.gbkLead | Mark.cp1252Lead))) continue;
      if (marks & Mark.mojibakeKnown) for (const m of t.matchAll(known)) {
        const what = m[0].startsWith('\ufffd') ? `替换字符“\ufffd”（${m[0].length} 个）` : `“${shown(m[0])}”`;
        context.report(`疑似乱码${what}：文字在某次转换中已经损坏，请对照原稿修正`, {
          range: reportRange(block, m.index, m.index + m[0].length),
        });
      }
      if (marks & Mark.question) {
        for (const m of t.matchAll(lostChar)) {
          context.report(`中文中间的“${m[0]}”疑似乱码（丢失的字符），请对照原稿修正`, { range: reportRange(block, m.index, m.index + m[0].length) });
        }
      }
      for (const bad of misdecodesIn(block)) {
        context.report(
          `疑似乱码“${shown(t.slice(bad.from, bad.to))}”：像是 UTF-8 文字被按 ${bad.readAs} 读取，原文可能是“${shown(bad.original)}”；请对照原稿修正`,
          { range: reportRange(block, bad.from, bad.to) },
        );
      }
    }
  },
);
