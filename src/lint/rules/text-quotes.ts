/**
 * Straight quotes around Chinese text should be curly: "…" → “…”, '…' → ‘…’ (fixable). Unbalanced “” ‘’ 《》 （） 【】
 * within one paragraph are reported (not fixable: only the author knows where the mark belongs).
 *
 * 不通过：推广"四同步四对接"工作法；《融合10条
 * 通过：  推广“四同步四对接”工作法；《融合10条》
 */
import { defineRule } from '../rule.js';
import { fileRange, reportRange, textBlocks, type TextBlock } from '../text/blocks.js';
import { chineseBefore, hasChinese, isAlnum, isCjkPunct, isHan } from '../text/chars.js';
import { reportReplace } from '../text/scan.js';

const pairsOf: ReadonlyArray<readonly [string, string]> = [
  ['“', '”'],
  ['‘', '’'],
  ['《', '》'],
  ['（', '）'],
  ['【', '】'],
];

export default defineRule(
  { id: 'text-quotes', group: 'text', defaultSeverity: 'warn', fixable: true, description: '中文里应使用弯引号“”‘’，括号和引号应成对' },
  (context) => {
    const { document } = context;
    for (const block of textBlocks(document.mdast, document.source)) {
      const t = block.text;
      if (!hasChinese(t)) continue;
      if (t.includes('"')) straight(block, '"', '“', '”');
      if (t.includes("'")) straight(block, "'", '‘', '’');
      balance(block);
    }

    function straight(block: TextBlock, mark: string, open: string, close: string): void {
      const t = block.text;
      const at: number[] = [];
      for (let i = t.indexOf(mark); i >= 0; i = t.indexOf(mark, i + 1)) {
        // An apostrophe inside a word (don't, 80's) is not a quote.
        if (mark === "'" && isAlnum(t.charCodeAt(i - 1)) && isAlnum(t.charCodeAt(i + 1))) continue;
        at.push(i);
      }
      for (let k = 0; k + 1 < at.length; k += 2) {
        const o = at[k]!;
        const c = at[k + 1]!;
        const inner = t.slice(o + 1, c);
        if (inner.includes('\n')) continue;
        const around = chineseBefore(t, o) || isHan(t.charCodeAt(c + 1)) || isCjkPunct(t.charCodeAt(c + 1));
        const chinese = hasChinese(inner) || (mark === '"' && around);
        if (!chinese) continue;
        const message = `中文里的直引号 ${mark}…${mark}，应为 ${open}…${close}`;
        if (fileRange(block, o, c + 1)) reportReplace(context, block, o, c + 1, message, `${open}${inner}${close}`);
        else {
          reportReplace(context, block, o, o + 1, message, open);
          reportReplace(context, block, c, c + 1, message, close);
        }
      }
    }

    function balance(block: TextBlock): void {
      const t = block.text;
      for (const [open, close] of pairsOf) {
        if (!t.includes(open) && !t.includes(close)) continue;
        const stack: number[] = [];
        const openCode = open.charCodeAt(0);
        const closeCode = close.charCodeAt(0);
        for (let i = 0; i < t.length; i++) {
          const code = t.charCodeAt(i);
          if (code === openCode) stack.push(i);
          else if (code === closeCode) {
            // ’ between letters is an apostrophe (don’t).
            if (close === '’' && isAlnum(t.charCodeAt(i - 1)) && isAlnum(t.charCodeAt(i + 1))) continue;
            if (stack.length) stack.pop();
            else context.report(`多出的“${close}”：前面没有与之配对的“${open}”`, { range: reportRange(block, i, i + 1) });
          }
        }
        for (const i of stack) context.report(`“${open}”没有配对的“${close}”`, { range: reportRange(block, i, i + 1) });
      }
    }
  },
);
