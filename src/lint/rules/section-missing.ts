/** The usual sections (lint.sections: 基本情况、主要做法、工作成效、经验启示) should each have a title, with or without an ordinal. */
import { bodyFacts } from '../body.js';
import { defineRule } from '../rule.js';

const numeral = '[一二三四五六七八九十百零〇两\\d]+';
/** Ordinals before a section title: 一、 （一） (1) 1. 1、 1.2 第一部分 第1章 ① Ⅰ. */
const ordinal = new RegExp(
  `^(?:第${numeral}(?:部分|章|节|篇|条)?|\\d+(?:\\.\\d+)+|${numeral}[、.．]|[（(]${numeral}[）)]|[①-⑳]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]+[、.．]?|[IVX]+[、.．])[\\s:：、.．]*`,
  'u',
);

/** A title as compared with a section name: ordinal, spaces and trailing punctuation removed. */
export function normaliseTitle(text: string): string {
  return text
    .trim()
    .replace(ordinal, '')
    .replace(/(?<![\s:：。.])[\s:：。.]+$/u, '')
    .replace(/\s+/gu, '');
}

export default defineRule(
  {
    id: 'section-missing',
    group: 'body',
    defaultSeverity: 'warn',
    description: '正文应有 lint.sections 中的各个小节（默认 基本情况、主要做法、工作成效、经验启示），标题可带“一、”等序号',
  },
  ({ document, config, report }) => {
    const facts = bodyFacts(document);
    if (!document.frontMatter || facts.nodes.length === 0) return; // body-empty
    const titles = facts.titles.map((t) => normaliseTitle(t.text));
    const sections = config.lint.sections;
    for (const section of sections) {
      const name = section.replace(/\s+/gu, '');
      if (titles.some((t) => t.startsWith(name))) continue;
      report(`缺少小节“${section}”：案例通常应有 ${sections.join('、')} 这些小节（标题可带“一、”等序号）`, { range: facts.start });
    }
  },
);
