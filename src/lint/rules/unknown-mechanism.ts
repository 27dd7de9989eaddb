/** A case's mechanism must be one of the taxonomy's mechanisms, written as its key or name (quotes allowed). */
import { findMechanism, stripQuotes } from '../../case/taxonomy.js';
import { closest } from '../../shared/suggest.js';
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
    const names = config.mechanisms.flatMap((m) => [m.name, m.key]);
    const suggestion = closest(stripQuotes(value), names);
    const allowed = config.mechanisms.map((m) => m.name).join('、');
    report(
      `未知的工作机制“${stripQuotes(value)}”${suggestion ? `，是不是“${suggestion}”？` : '，'}${
        allowed ? `应为：${allowed}（也可写 key）` : 'huibian.yaml 中没有定义任何工作机制（mechanisms）'
      }`,
      { range: fieldRange(document, ['mechanism']) },
    );
  },
);
