/**
 * Half-width `, . : ; ! ? ( )` next to Chinese text should be full-width `，。：；！？（）` (中文文案排版指北, GB/T 15834).
 * Numbers (3.5), times (10:30), URLs, e-mail, file names, English sentences and code are left alone.
 *
 * 不通过：党建和业务融合,是一个重要问题.
 * 通过：  党建和业务融合，是一个重要问题。
 */
import { defineRule } from '../rule.js';
import { fileRange, textBlocks } from '../text/blocks.js';
import { chineseAt, chineseBefore, hanAt, hasChinese, isAlnum, isBlank, isDigit, isHan, isLatinLetter } from '../text/chars.js';
import { Mark, marksOf } from '../text/marks.js';
import { nextNonBlank, prevNonBlank, reportReplace } from '../text/scan.js';
import { inOpaque } from '../text/tokens.js';

const fullWidth: Record<string, string> = { ',': '，', '.': '。', ':': '：', ';': '；', '!': '！', '?': '？', '(': '（', ')': '）' };
const markCodes = new Set([...',.:;!?()'].map((c) => c.charCodeAt(0)));

/** Han earlier in the sentence that `text[i]` ends or goes on (`Is it ok?中文` is an English question before Chinese). */
function chineseSentenceBefore(t: string, i: number): boolean {
  for (let k = i - 1; k >= 0; k--) {
    const c = t.charCodeAt(k);
    // `他问 Is it ok?`: more than one English word before the mark makes it the English phrase's.
    if (isBlank(c) && isLatinLetter(t.charCodeAt(k + 1)) && isLatinLetter(t.charCodeAt(k - 1))) return false;
    if (c === 0x0a || c === 0x2e || c === 0x21 || c === 0x3f || c === 0x3002 || c === 0xff01 || c === 0xff1f) return false;
    if (isHan(c)) return true;
  }
  return false;
}

export default defineRule(
  { id: 'text-punctuation-width', group: 'text', defaultSeverity: 'warn', fixable: true, description: '中文里的标点应为全角（，。：；！？（））' },
  (context) => {
    const { document } = context;
    for (const block of textBlocks(document.mdast, document.source)) {
      const t = block.text;
      const marks = marksOf(block, context.config.language);
      if (!(marks & Mark.chinese) || !(marks & Mark.halfPunct)) continue;
      const parens: number[] = [];
      const pairs: Array<[number, number]> = [];
      for (let i = 0; i < t.length; i++) {
        const code = t.charCodeAt(i);
        // Only , . : ; ! ? ( ) matter; compare codes so the scan allocates nothing per character.
        if (code > 0x3f || !markCodes.has(code)) continue;
        if (code === 0x28) parens.push(i);
        else if (code === 0x29) {
          const open = parens.pop();
          if (open !== undefined) pairs.push([open, i]);
        } else markAt(i);
      }
      for (const [open, close] of pairs) pairAt(open, close);

      function markAt(i: number): void {
        // `!important`, `%s`, `;-)`, a path: not a sentence's mark.
        if (inOpaque(block, i)) return;
        const ch = t[i]!;
        const before = prevNonBlank(t, i - 1);
        const after = nextNonBlank(t, i + 1);
        const chBefore = before >= 0 && chineseBefore(t, before + 1);
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
            convert = chBefore && t[i + 1] !== '/';
            break;
          case '?':
            // 当?的: a question mark inside a run of Chinese is more likely mojibake (text-mojibake reports it).
            if (hanAt(t, i - 1) && (isHan(nextImmediate) || isLatinLetter(nextImmediate))) return;
            convert = chBefore;
            break;
          default: // , ; !
            if (isDigit(prevCode) && isDigit(nextImmediate)) return; // 1,000
            // Only after Chinese: a mark after English (Hello, 世界) belongs to the English.
            convert = chBefore;
        }
        // A comma or question mark between a Latin word and Chinese is the Chinese sentence's (一部 iPhone,好开心), but
        // `Yahoo!的` and `Teahour.fm第` keep theirs: the mark may be part of the name.
        if (!convert && (ch === ',' || ch === '?') && isAlnum(prevCode) && hanAt(t, i + 1) && chineseSentenceBefore(t, i)) convert = true;
        if (!convert) return;
        // Full-width marks carry their own spacing: blanks around them go.
        const from = before + 1;
        const to = after;
        reportReplace(context, block, from, to, `中文里的半角“${ch}”，应为全角“${fullWidth[ch]}”`, fullWidth[ch]);
      }

      function pairAt(open: number, close: number): void {
        if (inOpaque(block, open) || inOpaque(block, close)) return;
        const inner = t.slice(open + 1, close);
        const before = prevNonBlank(t, open - 1);
        const after = nextNonBlank(t, close + 1);
        const innerChinese = hasChinese(inner);
        const chBefore = before >= 0 && chineseBefore(t, before + 1);
        const chAfter = after < t.length && chineseAt(t, after);
        // (1) opening a paragraph counts; (really) after English does not.
        if (!innerChinese && !chBefore && !(chAfter && before < 0)) return;
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
