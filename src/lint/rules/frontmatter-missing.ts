/** A case must open with a YAML front-matter block that is a mapping of fields. */
import { defineRule } from '../rule.js';
import { requiredCaseFields } from '../../case/schema.js';

export default defineRule(
  { id: 'frontmatter-missing', group: 'front-matter', defaultSeverity: 'error', description: '案例文件应以 YAML 前置元数据（--- 包围）开头' },
  ({ document, report }) => {
    const fm = document.frontMatter;
    const firstLineEnd = document.source.text.search(/\r?\n|$/);
    if (!fm) {
      report(`缺少前置元数据：文件应以 --- 开头，写明 ${requiredCaseFields.join('、')} 等字段，再以 --- 结束`, {
        range: { start: 0, end: firstLineEnd },
      });
      return;
    }
    if (fm.problems.length > 0) return; // yaml-syntax reports these
    const data = fm.data;
    if (data === null || data === undefined) {
      report(`前置元数据是空的，应写明 ${requiredCaseFields.join('、')} 等字段`, { range: { start: 0, end: firstLineEnd } });
    } else if (typeof data !== 'object' || Array.isArray(data)) {
      report(`前置元数据应为“字段: 值”的键值对，现在是${Array.isArray(data) ? '列表' : '一段文字'}`, { range: fm.range });
    }
  },
);
