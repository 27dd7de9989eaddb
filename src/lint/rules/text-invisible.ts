/**
 * Characters that print as nothing but are there: zero-width spaces and joiners, the word joiner, soft hyphens, a BOM
 * inside the text, U+FFFC (an object Word lost on the way), and bidi controls, which can also reorder what a reader
 * sees and hide text. A warning, fixed by removing the character. A joiner inside an emoji sequence (👨‍👩‍👧) is kept.
 *
 * 不通过：党建​工作（中间有零宽空格）
 * 通过：  党建工作
 */
import { defineRule } from '../rule.js';
import { fileRange, textBlocks } from '../text/blocks.js';
import { INVISIBLE, OBJECT_CODE } from '../text/chars.js';
import { Mark, marksOf } from '../text/marks.js';
import { reportReplace, safeToJoin } from '../text/scan.js';

const names: Record<string, string> = {
  '\u200b': '零宽空格',
  '\u200c': '零宽不连字',
  '\u200d': '零宽连字',
  '\u2060': '零宽不换行',
  '\u00ad': '软连字符',
  '\ufeff': '字节顺序标记（BOM）',
  '\ufffc': '对象替换字符',
};

const codes = new Set([...INVISIBLE].map((c) => c.charCodeAt(0)));

function nameOf(ch: string): string {
  return names[ch] ?? '双向控制字符';
}

/** An emoji or a variation selector: a zero-width joiner between two of them builds one picture. */
function pictographic(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  return (c >= 0xd800 && c <= 0xdfff) || (c >= 0x2600 && c <= 0x27bf) || c === 0xfe0f;
}

export default defineRule(
  { id: 'text-invisible', group: 'text', defaultSeverity: 'warn', fixable: true, description: '正文中不应有零宽字符、软连字符、双向控制字符等不可见字符' },
  (context) => {
    const { document } = context;
    for (const block of textBlocks(document.mdast, document.source)) {
      if (!(marksOf(block, context.config.language) & Mark.invisible)) continue;
      const t = block.text;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (!codes.has(c)) continue;
        // U+FFFC also stands in for inline code and HTML here: only one the file itself holds counts.
        if (c === OBJECT_CODE) {
          const at = fileRange(block, i, i + 1);
          if (!at || block.source.text.charCodeAt(at.start) !== OBJECT_CODE) continue;
        }
        if (c === 0x200d && pictographic(t, i - 1) && pictographic(t, i + 1)) continue;
        // Removing it must not join two pieces of Markdown syntax (`a`​`b` would become one code span).
        const at = fileRange(block, i, i + 1);
        const safe = at !== undefined && safeToJoin(block.source.text, at.start, at.end);
        reportReplace(context, block, i, i + 1, `不可见的${nameOf(t[i]!)}（U+${c.toString(16).toUpperCase().padStart(4, '0')}），应删除`, safe ? '' : undefined);
      }
    }
  },
);
