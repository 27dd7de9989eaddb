/** A field the case format does not know is probably a typo; the nearest known field is suggested. */
import { defineRule } from '../rule.js';
import { caseFields } from '../../case/schema.js';
import { closest } from '../../shared/suggest.js';
import { fieldRange, frontMatterIssues } from '../front-matter.js';

export default defineRule(
  { id: 'unknown-field', group: 'front-matter', defaultSeverity: 'warn', description: '前置元数据中不应有未知字段（多为拼写错误）' },
  ({ document, case: resolved, report }) => {
    for (const issue of frontMatterIssues(document, resolved)) {
      if (issue.code !== 'unrecognized_keys') continue;
      for (const key of issue.keys) {
        const suggestion = closest(key, caseFields);
        report(
          `未知的字段“${key}”${suggestion ? `，是不是“${suggestion}”？` : '，'}可用的字段：${caseFields.join('、')}`,
          { range: fieldRange(document, [key], { key: true }) },
        );
      }
    }
  },
);
