/** Each measure number of a case must be one of the taxonomy's measures (1–10 in “融合10条”). */
import type { Measure } from '../../config/schema.js';
import { fieldRange, frontMatterData } from '../front-matter.js';
import { defineRule } from '../rule.js';

/** The allowed numbers, compact when they run without gaps: “1–10”, else “1、2、5”. */
function allowedNumbers(measures: readonly Measure[]): string {
  const numbers = measures.map((m) => m.number).sort((a, b) => a - b);
  const first = numbers[0];
  const last = numbers[numbers.length - 1];
  if (first === undefined || last === undefined) return '（huibian.yaml 中没有定义举措）';
  return last - first === numbers.length - 1 && numbers.length > 2 ? `${first}–${last}` : numbers.join('、');
}

export default defineRule(
  {
    id: 'unknown-measure',
    group: 'front-matter',
    defaultSeverity: 'error',
    description: 'measure 中的每个编号都应是 huibian.yaml 中的一条举措（1–10）',
  },
  ({ document, config, report }) => {
    const value = frontMatterData(document)?.measure;
    const items = Array.isArray(value) ? value.map((v, i) => ({ v, path: ['measure', i] })) : [{ v: value, path: ['measure'] }];
    for (const { v, path } of items) {
      // Not an integer ≥ 1 is field-type's; only numbers of the right form but absent from the taxonomy are ours.
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) continue;
      if (config.measures.some((m) => m.number === v)) continue;
      report(`未知的举措编号 ${v}，应为 ${allowedNumbers(config.measures)} 中的一个`, { range: fieldRange(document, path) });
    }
  },
);
