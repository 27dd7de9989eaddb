/** A case's mechanism must be one of the taxonomy's mechanisms, written as its key or name (quotes allowed). */
import { findMechanism, unknownMechanismMessage } from '../../case/taxonomy.js';
import { fieldRange, frontMatterData } from '../front-matter.js';
import { defineRule } from '../rule.js';

export default defineRule(
  {
    id: 'unknown-mechanism',
    group: 'front-matter',
    defaultSeverity: 'error',
    description: 'mechanism 应为 huibian.yaml 中某个工作机制的名称或 key（可带引号）',
  },
  ({ document, config, report }) => {
    const value = frontMatterData(document)?.mechanism;
    if (typeof value !== 'string' || value.trim() === '' || findMechanism(config, value)) return;
    report(unknownMechanismMessage(config, value), { range: fieldRange(document, ['mechanism']) });
  },
);
