/** A body nested too deep or with absurd runs of markup is refused before it can stall or overflow the parser and renderer (see case/limits.ts). */
import { defineRule } from '../rule.js';

export default defineRule(
  {
    id: 'body-limits',
    group: 'body',
    defaultSeverity: 'error',
    description: '正文的结构应在排版能处理的限度内：引用和列表嵌套不超过 32 层，HTML 元素嵌套不超过 100 层，连续的 * 或 _ 不超过 200 个',
  },
  ({ document, report }) => {
    for (const p of document.limitProblems) report(p.message, { range: p.range });
  },
);
