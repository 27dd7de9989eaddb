/** title, unit, sector, measure and mechanism must be present and not empty. */
import { defineRule } from '../rule.js';
import { requiredCaseFields } from '../../case/schema.js';
import { fieldRange, frontMatterData, frontMatterHead } from '../front-matter.js';

const labels: Record<(typeof requiredCaseFields)[number], string> = {
  title: '标题',
  unit: '报送单位',
  sector: '领域',
  measure: '举措编号',
  mechanism: '工作机制',
};

export default defineRule(
  { id: 'field-required', group: 'front-matter', defaultSeverity: 'error', description: '必填字段 title、unit、sector、measure、mechanism 不能缺少或为空' },
  ({ document, report }) => {
    const data = frontMatterData(document);
    if (!data) return;
    for (const field of requiredCaseFields) {
      const value = data[field];
      if (value === undefined) {
        report(`缺少必填字段“${field}”（${labels[field]}）`, { range: frontMatterHead(document) });
      } else if (value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0)) {
        report(`必填字段“${field}”（${labels[field]}）是空的`, { range: fieldRange(document, [field], { key: true }) });
      }
    }
  },
);
