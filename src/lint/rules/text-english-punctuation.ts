/**
 * Full-width punctuation inside an English sentence should be half-width: `hello world。` → `hello world.`, with the
 * space English puts after a mark (`Said：Come` → `Said: Come`). Only when the whole sentence (up to its line break
 * or sentence mark) has no Chinese, Japanese or Korean in it and at least two English words, and the mark follows a
 * letter or digit (fixable).
 *
 * 不通过：Come and，Join us！
 * 通过：  Come and, Join us!
 */
import { defineRule } from '../rule.js';
import { textBlocks } from '../text/blocks.js';
import { isAlnum } from '../text/chars.js';
import { Mark, marksOf } from '../text/marks.js';
import { reportReplace } from '../text/scan.js';
import { inOpaque } from '../text/tokens.js';

const halfOf: Record<string, string> = { '，': ',', '。': '.', '：': ':', '；': ';', '！': '!', '？': '?', '（': '(', '）': ')', '【': '[', '】': ']' };
const opening = new Set(['（', '【']);
const sentenceEnd = /[。！？.!?\n]/;

/** Han, kana, hangul, or the other full-width CJK marks: the sentence is not English. */
const cjk = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ud840-\ud8bf、《》「」『』〈〉…—]/;
const twoWords = /[A-Za-z]+[ \t]+[A-Za-z]/;

export default defineRule(
  { id: 'text-english-punctuation', group: 'text', defaultSeverity: 'warn', fixable: true, description: '英文句子中的标点应为半角' },
  (context) => {
    const { document } = context;
    for (const block of textBlocks(document.mdast, document.source)) {
      const marks = marksOf(block, context.config.language);
      if (!(marks & Mark.fullwidthMark) || !(marks & Mark.alnum)) continue;
      const t = block.text;
      for (let i = 1; i < t.length; i++) {
        // Cheap test first: the mark follows a letter or digit (most full-width marks in a book follow Chinese).
        const prev = t.charCodeAt(i - 1);
        if (prev > 0x7a || !isAlnum(prev)) continue;
        const ch = t[i]!;
        const half = halfOf[ch];
        if (!half || inOpaque(block, i)) continue;
        const open = opening.has(ch);
        let from = i;
        while (from > 0 && !sentenceEnd.test(t[from - 1]!)) from--;
        // The sentence runs on to its end mark, unless this mark ends it.
        let to = i + 1;
        if (!sentenceEnd.test(ch)) while (to < t.length && !sentenceEnd.test(t[to++]!));
        const sentence = t.slice(from, to);
        if (cjk.test(sentence) || !twoWords.test(sentence)) continue;
        const next = t.charCodeAt(i + 1);
        const replacement = open ? ` ${half}` : isAlnum(next) ? `${half} ` : half;
        reportReplace(context, block, i, i + 1, `英文句子中的全角“${ch}”，应为半角“${half}”`, replacement);
      }
    }
  },
);
