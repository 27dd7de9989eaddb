/**
 * Straight quotes around Chinese text should be curly: "…" → “…”, '…' → ‘…’ (fixable). Unbalanced “” ‘’ 《》 （） 【】
 * within one paragraph are reported (not fixable: only the author knows where the mark belongs).
 *
 * 不通过：推广"四同步四对接"工作法；《融合10条
 * 通过：  推广“四同步四对接”工作法；《融合10条》
 */
import { defineRule } from '../rule.js';
import { fileRange, reportRange, textBlocks, type TextBlock } from '../text/blocks.js';
import { chineseAt, chineseBefore, isAlnum, isHan } from '../text/chars.js';
import { Mark, marksOf } from '../text/marks.js';
import { reportReplace } from '../text/scan.js';
import { inOpaque } from '../text/tokens.js';

const pairsOf: ReadonlyArray<readonly [string, string]> = [
  ['“', '”'],
  ['‘', '’'],
  ['《', '》'],
  ['（', '）'],
  ['【', '】'],
];

/** The mark's place in `pairsOf` as `pair * 2` (opening) or `pair * 2 + 1` (closing), or -1 for any other code. */
function markOf(code: number): number {
  switch (code) {
    case 0x201c: return 0; // “
    case 0x201d: return 1; // ”
    case 0x2018: return 2; // ‘
    case 0x2019: return 3; // ’
    case 0x300a: return 4; // 《
    case 0x300b: return 5; // 》
    case 0xff08: return 6; // （
    case 0xff09: return 7; // ）
    case 0x3010: return 8; // 【
    case 0x3011: return 9; // 】
    default: return -1;
  }
}

function hasHan(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isHan(text.charCodeAt(i))) return true;
  return false;
}

export default defineRule(
  { id: 'text-quotes', group: 'text', defaultSeverity: 'warn', fixable: true, description: '中文里应使用弯引号“”‘’，括号和引号应成对' },
  (context) => {
    const { document } = context;
    for (const block of textBlocks(document.mdast, document.source)) {
      const marks = marksOf(block, context.config.language);
      if (!(marks & Mark.chinese)) continue;
      if (marks & Mark.doubleQuote) straight(block, '"', '“', '”');
      if (marks & Mark.singleQuote) straight(block, "'", '‘', '’');
      if (marks & Mark.pairedMark) balance(block);
    }

    function straight(block: TextBlock, mark: string, open: string, close: string): void {
      const t = block.text;
      const at: number[] = [];
      for (let i = t.indexOf(mark); i >= 0; i = t.indexOf(mark, i + 1)) {
        // An apostrophe inside a word (don't, 80's) is not a quote.
        if (mark === "'" && isAlnum(t.charCodeAt(i - 1)) && isAlnum(t.charCodeAt(i + 1))) continue;
        // Quotes in a template or call (`{{jsxref("…","代理句柄")}}`) are code.
        if (inOpaque(block, i)) continue;
        at.push(i);
      }
      for (let k = 0; k + 1 < at.length; k += 2) {
        const o = at[k]!;
        const c = at[k + 1]!;
        const inner = t.slice(o + 1, c);
        const around = chineseBefore(t, o) || chineseAt(t, c + 1);
        // Han inside decides: `"Only the first time break。"` is English with a stray full stop.
        const chinese = hasHan(inner) || (mark === '"' && around);
        if (!chinese) continue;
        const message = `中文里的直引号 ${mark}…${mark}，应为 ${open}…${close}`;
        // Across a soft line break the pair is still one quotation: each mark is fixed on its own line.
        if (fileRange(block, o, c + 1) && !inner.includes('\n')) reportReplace(context, block, o, c + 1, message, `${open}${inner}${close}`);
        else {
          reportReplace(context, block, o, o + 1, message, open);
          reportReplace(context, block, c, c + 1, message, close);
        }
      }
    }

    function balance(block: TextBlock): void {
      const t = block.text;
      // One pass for all five pairs; the messages are then given pair by pair, as the pairs are listed.
      let pairs: { stack: number[]; extra: number[] }[] | undefined;
      for (let i = 0; i < t.length; i++) {
        const code = t.charCodeAt(i);
        // Han characters (U+4E00–U+9FFF) and most others are none of the marks.
        if (code < 0x2018 || (code > 0x3011 && code < 0xff08) || code > 0xff09) continue;
        const mark = markOf(code);
        if (mark < 0) continue;
        // ’ between letters is an apostrophe (don’t), and so is one after a word with no ‘ open (suppliers’).
        if (code === 0x2019 && isAlnum(t.charCodeAt(i - 1)) && (isAlnum(t.charCodeAt(i + 1)) || !pairs?.[1]!.stack.length)) continue;
        pairs ??= pairsOf.map(() => ({ stack: [], extra: [] }));
        const p = pairs[mark >> 1]!;
        if ((mark & 1) === 0) p.stack.push(i);
        else if (p.stack.length) p.stack.pop();
        else p.extra.push(i);
      }
      if (!pairs) return;
      pairsOf.forEach(([open, close], k) => {
        const { stack, extra } = pairs![k]!;
        for (const i of extra) context.report(`多出的“${close}”：前面没有与之配对的“${open}”`, { range: reportRange(block, i, i + 1) });
        for (const i of stack) context.report(`“${open}”没有配对的“${close}”`, { range: reportRange(block, i, i + 1) });
      });
    }
  },
);
