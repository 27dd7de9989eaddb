/** Each measure number of a case must be one of the taxonomy's measures (1–10 in “融合10条”). */
import { unknownMeasureMessage } from '../../case/taxonomy.js';
import { fieldRange, frontMatterData } from '../front-matter.js';
import { defineRule } from '../rule.js';

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
      report(unknownMeasureMessage(config, v), { range: fieldRange(document, path) });
    }
  },
);
