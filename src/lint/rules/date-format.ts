/** `date` is YYYY-MM or YYYY-MM-DD and names a real calendar date. */
import { fieldRange, frontMatterData } from '../front-matter.js';
import { defineRule } from '../rule.js';
import { describeValue } from '../../shared/schema-messages.js';

const pattern = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/** Why a date string is not a real date, or undefined when it is one. */
export function dateProblem(text: string): string | undefined {
  const match = pattern.exec(text);
  if (!match) return '格式不对，应为 YYYY-MM 或 YYYY-MM-DD（如 2024-05 或 2024-05-01）';
  const year = Number(match[1]);
  const month = Number(match[2]);
  if (month < 1 || month > 12) return `不存在：没有 ${match[2]} 月，月份应为 01–12`;
  if (match[3] === undefined) return undefined;
  const day = Number(match[3]);
  // Day 0 of the next month is the last day of this one.
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return `不存在：${year} 年 ${month} 月只有 ${days} 天，日应为 01–${days}`;
  return undefined;
}

export default defineRule(
  {
    id: 'date-format',
    group: 'front-matter',
    defaultSeverity: 'error',
    description: 'date 应为 YYYY-MM 或 YYYY-MM-DD，且是真实存在的日期',
  },
  ({ document, report }) => {
    const data = frontMatterData(document);
    if (!data || !('date' in data)) return;
    const value = data.date;
    // YAML 1.2 (the yaml package's default) reads 2024-05-01 as text; a Date appears only under a YAML 1.1 schema.
    if (value instanceof Date) return;
    // The range only when there is a message: finding it may parse the YAML again (see case/parse.ts).
    if (typeof value !== 'string') {
      report(`日期的值是${describeValue(value)}，应为 YYYY-MM 或 YYYY-MM-DD（如 2024-05）`, { range: fieldRange(document, ['date']) });
      return;
    }
    const problem = dateProblem(value.trim());
    if (problem) report(`日期“${value}”${problem}`, { range: fieldRange(document, ['date']) });
  },
);
