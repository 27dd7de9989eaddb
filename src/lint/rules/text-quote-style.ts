/**
 * The quotation marks of the book's script: simplified Chinese (GB/T 15834) uses “ ” and ‘ ’, so 「」『』 become
 * “”‘’ in a `language: zh-Hans` book; traditional Chinese uses 「」『』, so curly quotes in Chinese text become them
 * in a `zh-Hant` one (fixable). Curly quotes in English (`it’s “new”`) are left alone.
 *
 * 不通过（zh-Hans）：老师说：「要记住『青年要立志』这句话。」
 * 通过：            老师说：“要记住‘青年要立志’这句话。”
 */
import { defineRule } from '../rule.js';
import { textBlocks } from '../text/blocks.js';
import { isAlnum, quoteIsChinese } from '../text/chars.js';
import { Mark, marksOf } from '../text/marks.js';
import { reportReplace } from '../text/scan.js';

const toSimplified: Record<string, string> = { '「': '“', '」': '”', '『': '‘', '』': '’' };
const toTraditional: Record<string, string> = { '“': '「', '”': '」', '‘': '『', '’': '』' };

export default defineRule(
  { id: 'text-quote-style', group: 'text', defaultSeverity: 'warn', fixable: true, description: '引号应合乎汇编的文字：简体用“”‘’，繁体用「」『』' },
  (context) => {
    const { document } = context;
    const hans = context.config.language === 'zh-Hans';
    const map = hans ? toSimplified : toTraditional;
    const expected = hans ? '简体中文' : '繁体中文';
    for (const block of textBlocks(document.mdast, document.source)) {
      const marks = marksOf(block, context.config.language);
      if (!(marks & (hans ? Mark.cornerQuote : Mark.pairedMark)) || !(marks & Mark.chinese)) continue;
      const t = block.text;
      let single = 0; // open ‘ not yet closed: a ’ after a word with none open is an apostrophe
      for (let i = 0; i < t.length; i++) {
        const ch = t[i]!;
        const to = map[ch];
        if (!to) continue;
        if (!hans) {
          if (ch === '‘') single++;
          if (ch === '’') {
            if (isAlnum(t.charCodeAt(i - 1)) && (isAlnum(t.charCodeAt(i + 1)) || single === 0)) continue;
            single = Math.max(0, single - 1);
          }
          if (!quoteIsChinese(t, i)) continue;
        }
        reportReplace(context, block, i, i + 1, `引号“${ch}”，${expected}中应为“${to}”`, to);
      }
    }
  },
);
