/** A case needs a body after its front-matter; HTML comments alone do not count. */
import { bodyFacts } from '../body.js';
import { defineRule } from '../rule.js';

export default defineRule(
  { id: 'body-empty', group: 'body', defaultSeverity: 'error', description: '前置元数据之后应有正文' },
  ({ document, report }) => {
    if (!document.frontMatter) return; // frontmatter-missing says what is wrong with such a file
    const facts = bodyFacts(document);
    if (facts.nodes.length === 0) report('正文是空的：前置元数据之后应有案例正文（基本情况、主要做法等）', { range: facts.start });
  },
);
