/** The front-matter must be well-formed YAML; each syntax error is reported where it is. */
import { defineRule } from '../rule.js';

export default defineRule(
  { id: 'yaml-syntax', group: 'front-matter', defaultSeverity: 'error', description: '前置元数据应是合乎语法的 YAML' },
  ({ document, report }) => {
    for (const p of document.frontMatter?.problems ?? []) report(p.message, { range: p.range });
  },
);
