/**
 * Half-width `, . : ; ! ? ( )` next to Chinese text should be full-width `，。：；！？（）` (中文文案排版指北, GB/T 15834).
 * Numbers (3.5), times (10:30), URLs, e-mail, file names, English sentences and code are left alone.
 *
 * 不通过：党建和业务融合,是一个重要问题.
 * 通过：  党建和业务融合，是一个重要问题。
 */
import { defineRule } from '../rule.js';
import { fileRange, textBlocks } from '../text/blocks.js';
import { chineseBefore, hanAt, hasChinese, isAlnum, isCjkPunct, isDigit, isHan, isLatinLetter } from '../text/chars.js';
import { nextNonBlank, prevNonBlank, reportReplace } from '../text/scan.js';

const fullWidth: Record<string, string> = { ',': '，', '.': '。', ':': '：', ';': '；', '!': '！', '?': '？', '(': '（', ')': '）' };

/** Opening marks after which a half-width mark still reads as part of Chinese text. */
const isCjkOpening = (c: number) => c === 0x201c || c === 0x2018 || c === 0xff08 || c === 0x300a || c === 0x300c || c === 0x300e || c === 0x3010;

export default defineRule(
  { id: 'text-punctuation-width', group: 'text', defaultSeverity: 'warn', fixable: true, description: '中文里的标点应为全角（，。：；！？（））' },
  (context) => {
    const { document } = context;
    for (const block of textBlocks(document.mdast, document.source)) {
      const t = block.text;
      if (!hasChinese(t)) continue;
      const parens: number[] = [];
      const pairs: Array<[number, number]> = [];
      for (let i = 0; i < t.length; i++) {
        const ch = t[i]!;
        if (ch === '(') parens.push(i);
        else if (ch === ')') {
          const open = parens.pop();
          if (open !== undefined) pairs.push([open, i]);
        } else if (ch in fullWidth) {
          markAt(i);
        }
      }
      for (const [open, close] of pairs) pairAt(open, close);

      function markAt(i: number): void {
        const ch = t[i]!;
        const before = prevNonBlank(t, i - 1);
        const after = nextNonBlank(t, i + 1);
        const chBefore = before >= 0 && chineseBefore(t, before + 1);
        const nextCode = t.charCodeAt(after);
        const chAfter = after < t.length && (isHan(nextCode) || isCjkOpening(nextCode));
        const prevCode = t.charCodeAt(i - 1);
        const nextImmediate = t.charCodeAt(i + 1);
        let convert: boolean;
        switch (ch) {
          case '.':
            // Only a sentence end: not 3.5, not 说明.md, not part of an ellipsis.
            if (t[i - 1] === '.' || t[i + 1] === '.') return;
            convert = chBefore && !isAlnum(nextImmediate) && nextImmediate !== 0x2f && nextImmediate !== 0x5f;
            break;
          case ':':
            if (isDigit(prevCode) && isDigit(nextImmediate)) return; // 10:30
            convert = (chBefore && t[i + 1] !== '/') || (chAfter && !isAlnum(prevCode));
            break;
          case '?':
            // 当?的: a question mark inside a run of Chinese is more likely mojibake (text-mojibake reports it).
            if (hanAt(t, i - 1) && (isHan(nextImmediate) || isLatinLetter(nextImmediate))) return;
            convert = chBefore || (chAfter && !isAlnum(prevCode));
            break;
          default: // , ; !
            if (isDigit(prevCode) && isDigit(nextImmediate)) return; // 1,000
            convert = chBefore || (chAfter && !isAlnum(prevCode));
        }
        if (!convert) return;
        // Full-width marks carry their own spacing: blanks around them go.
        const from = before + 1;
        const to = after;
        reportReplace(context, block, from, to, `中文里的半角“${ch}”，应为全角“${fullWidth[ch]}”`, fullWidth[ch]);
      }

      function pairAt(open: number, close: number): void {
        const inner = t.slice(open + 1, close);
        const before = prevNonBlank(t, open - 1);
        const after = nextNonBlank(t, close + 1);
        const innerChinese = hasChinese(inner);
        const chBefore = before >= 0 && chineseBefore(t, before + 1);
        const chAfter = after < t.length && (isHan(t.charCodeAt(after)) || isCjkPunct(t.charCodeAt(after)));
        if (!innerChinese && !chBefore && !chAfter) return;
        // f(x), a(1): a formula or an identifier, not a parenthetical remark.
        if (!innerChinese && isAlnum(t.charCodeAt(open - 1))) return;
        const from = chBefore ? before + 1 : open;
        const to = chAfter ? after : close + 1;
        const message = `中文里的半角括号“(…)”，应为全角“（…）”`;
        const whole = t.slice(from, to);
        const replaced = `（${inner}）`;
        // One edit for the pair when it is a plain stretch of the file; otherwise one for each mark.
        if (fileRange(block, from, to) && !whole.includes('\n')) {
          reportReplace(context, block, from, to, message, replaced);
        } else {
          reportReplace(context, block, from, open + 1, message, '（');
          reportReplace(context, block, close, to, message, '）');
        }
      }
    }
  },
);
