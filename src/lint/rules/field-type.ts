/** Each known field must have the right type and form (the date's form is date-format's). */
import { defineRule } from '../rule.js';
import { issueMessage } from '../../shared/schema-messages.js';
import { fieldRange, frontMatterData, frontMatterIssues } from '../front-matter.js';

export default defineRule(
  { id: 'field-type', group: 'front-matter', defaultSeverity: 'error', description: '字段的值应为正确的类型（如 measure 为 1–10 的数字或数字列表）' },
  ({ document, case: resolved, report }) => {
    const data = frontMatterData(document);
    if (!data) return;
    for (const issue of frontMatterIssues(document, resolved)) {
      if (issue.code === 'unrecognized_keys') continue; // unknown-field
      const field = issue.path[0];
      if (field === 'date') continue; // date-format
      const value = data[field as string];
      // Missing or empty required values are field-required's.
      if (value === undefined || value === null) continue;
      if (typeof value === 'string' && value.trim() === '' && issue.code === 'too_small') continue;
      if (Array.isArray(value) && value.length === 0) continue;
      report(issueMessage(issue, data), { range: fieldRange(document, issue.path) });
    }
  },
);
