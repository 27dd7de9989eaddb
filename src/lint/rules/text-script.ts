/**
 * Script consistency: in a zh-Hans compilation a traditional-only character is flagged with its simplified form, and
 * in a zh-Hant one the reverse (OpenCC data, character by character, with characters valid in both scripts allowed).
 *
 * 不通过（zh-Hans）：党員们發挥先锋作用
 * 通过：            党员们发挥先锋作用
 */
import { defineRule } from '../rule.js';
import { textBlocks } from '../text/blocks.js';
import { reportReplace } from '../text/scan.js';
import { charMarks, Mark, marksOf } from '../text/marks.js';
import { otherScriptChar } from '../text/script.js';
import { misdecodesIn } from '../text/mojibake.js';
import { inOpaque } from '../text/tokens.js';

export default defineRule(
  { id: 'text-script', group: 'text', defaultSeverity: 'warn', fixable: true, description: '简体汇编中不应混入繁体字（繁体汇编反之）' },
  (context) => {
    const { document } = context;
    const script = context.config.language;
    const found = script === 'zh-Hans' ? '繁体字' : '简体字';
    const expected = script === 'zh-Hans' ? '简体中文' : '繁体中文';
    for (const block of textBlocks(document.mdast, document.source)) {
      if (!(marksOf(block, script) & Mark.otherScript)) continue;
      const t = block.text;
      // Characters inside mojibake are not traditional text: converting them would destroy the evidence.
      const garbled = misdecodesIn(block);
      for (let i = 0; i < t.length; i++) {
        const code = t.charCodeAt(i);
        // Only Han characters outside the script's classic set are looked up.
        if (!(charMarks(code, script) & Mark.otherScript)) continue;
        if (garbled.some((g) => i >= g.from && i < g.to)) continue;
        // A path or anchor (`wiki/网页#基於WebKit`) names something elsewhere: converting it would break the name.
        if (inOpaque(block, i)) continue;
        const ch = t[i]!;
        const other = otherScriptChar(ch, script);
        if (other) reportReplace(context, block, i, i + 1, `${found}“${ch}”，${expected}中应为“${other}”`, other);
      }
    }
  },
);
