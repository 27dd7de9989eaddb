/**
 * Pinyin left behind by a web page (ruby text copied as plain text): a Han character followed by `(pinyin)` or
 * `（pinyin）` that is a reading of that character, several close together, is removed by the fix. A lone annotation
 * (莘(shēn)庄) is a genuine gloss and is left alone.
 *
 * 不通过：推动党建和业(yè)务(wù)工作深度融合
 * 通过：  推动党建和业务工作深度融合
 */
import { defineRule } from '../rule.js';
import { textBlocks } from '../text/blocks.js';
import { Mark, marksOf } from '../text/marks.js';
import { isReadingOf } from '../text/pinyin.js';
import { reportReplace } from '../text/scan.js';

/** A Han character, then a bracketed Latin syllable with optional tone marks or tone digit. */
const annotation = /([\u3400-\u4dbf\u4e00-\u9fff])[ \t]?([(（])[ \t]*([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüêńňǹḿ]{1,6}[1-5]?)[ \t]*[)）]/g;

/** Annotations at most this many characters apart count as one cluster. */
const nearby = 8;

export default defineRule(
  { id: 'text-pinyin', group: 'text', defaultSeverity: 'warn', fixable: true, description: '正文中不应残留网页复制带来的拼音注音' },
  (context) => {
    const { document } = context;
    for (const block of textBlocks(document.mdast, document.source)) {
      const t = block.text;
      if (!(marksOf(block, context.config.language) & Mark.paren)) continue;
      const found: Array<{ from: number; to: number; text: string }> = [];
      for (const m of t.matchAll(annotation)) {
        if (!isReadingOf(m[1]!, m[3]!)) continue;
        found.push({ from: m.index + m[1]!.length, to: m.index + m[0].length, text: m[0].slice(m[1]!.length) });
      }
      let start = 0;
      for (let k = 1; k <= found.length; k++) {
        if (k < found.length && found[k]!.from - found[k - 1]!.to <= nearby) continue;
        // found[start, k) is one cluster.
        if (k - start >= 2) {
          for (const a of found.slice(start, k)) {
            reportReplace(context, block, a.from, a.to, `疑似网页复制残留的拼音注音“${a.text.trim()}”，应删除`, '');
          }
        }
        start = k;
      }
    }
  },
);
