/** The body's length should lie within lint.minLength and lint.maxLength, counted in characters without whitespace or Markdown syntax. */
import { bodyFacts } from '../body.js';
import { defineRule } from '../rule.js';

export default defineRule(
  {
    id: 'body-length',
    group: 'body',
    defaultSeverity: 'warn',
    description: '正文字数（不计空白和 Markdown 标记）应在 lint.minLength 与 lint.maxLength 之间',
  },
  ({ document, config, report }) => {
    const facts = bodyFacts(document);
    if (!document.frontMatter || facts.nodes.length === 0) return; // body-empty
    const { minLength, maxLength } = config.lint;
    if (facts.length < minLength) {
      report(`正文只有 ${facts.length} 字（不计空白和标记），应不少于 ${minLength} 字`, { range: facts.start });
    } else if (facts.length > maxLength) {
      report(`正文有 ${facts.length} 字（不计空白和标记），应不多于 ${maxLength} 字`, { range: facts.start });
    }
  },
);
