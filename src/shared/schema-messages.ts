/** Turn a zod issue into one Chinese sentence that says what was found and what was expected. */
import type { z } from 'zod';
import { closest } from './suggest.js';

const typeNames: Record<string, string> = {
  string: '文字',
  number: '数字',
  int: '整数',
  boolean: '布尔值（true 或 false）',
  array: '列表',
  object: '键值对（映射）',
  null: '空值',
  undefined: '空值',
  date: '日期',
};

/** The name of a value's type as a reader of YAML sees it. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return '空值';
  if (Array.isArray(value)) return '列表';
  if (value instanceof Date) return '日期';
  if (typeof value === 'object') return '键值对（映射）';
  if (typeof value === 'number') return Number.isInteger(value) ? `数字 ${value}` : `数字 ${value}`;
  if (typeof value === 'boolean') return `布尔值 ${value}`;
  return `“${truncate(String(value))}”`;
}

export function truncate(text: string, max = 40): string {
  return [...text].length > max ? [...text].slice(0, max).join('') + '…' : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg as string];
  }
  return v;
}

/** A label for a path, e.g. `measures[2].title`. */
export function pathLabel(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${String(seg)}` : String(seg);
  return out;
}

/**
 * The Chinese message for one issue. `input` is the whole validated value, `known` the field names
 * allowed where an unknown key was found (for a suggestion).
 */
export function issueMessage(issue: z.core.$ZodIssue, input: unknown, known: readonly string[] = []): string {
  const field = pathLabel(issue.path);
  const value = valueAt(input, issue.path);
  const where = field ? `“${field}”` : '';
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) return `缺少必填字段${where}`;
      const expected = typeNames[issue.expected] ?? issue.expected;
      return `${where}的值是${describeValue(value)}，应为${expected}`;
    }
    case 'invalid_union': {
      const expected = issue.errors
        .map((errs) => errs.find((e) => e.code === 'invalid_type'))
        .filter((e): e is z.core.$ZodIssueInvalidType => !!e)
        .map((e) => typeNames[e.expected] ?? e.expected);
      if (value === undefined) return `缺少必填字段${where}`;
      return expected.length
        ? `${where}的值是${describeValue(value)}，应为${[...new Set(expected)].join('或')}`
        : `${where}的值${describeValue(value)}不合要求`;
    }
    case 'invalid_value':
      return `${where}的值是${describeValue(value)}，应为：${issue.values.map(String).join('、')}`;
    case 'invalid_format':
      return `${where}的值${describeValue(value)}格式不对${formatHint(issue.path)}`;
    case 'too_small':
      if (issue.origin === 'array') return `${where}至少要有 ${issue.minimum} 项`;
      if (issue.origin === 'string') return `${where}不能为空`;
      return `${where}的值是${describeValue(value)}，应不小于 ${issue.minimum}`;
    case 'too_big':
      return `${where}的值是${describeValue(value)}，应不大于 ${issue.maximum}`;
    case 'unrecognized_keys': {
      const key = issue.keys[0] ?? '';
      const suggestion = closest(key, known);
      return `未知的字段“${key}”${suggestion ? `，是不是“${suggestion}”？` : ''}${known.length ? `可用的字段：${known.join('、')}` : ''}`;
    }
    default:
      return `${where}的值${describeValue(value)}不合要求`;
  }
}

function formatHint(path: readonly PropertyKey[]): string {
  const last = path[path.length - 1];
  if (last === 'date') return '，应为 YYYY-MM 或 YYYY-MM-DD';
  if (last === 'key') return '，应为小写英文字母、数字和连字符，如 agency';
  if (last === 'id') return '，应只含文字、数字、下划线和连字符';
  if (last === 'name') return '，不能含 / \\ : * ? " < > |';
  return '';
}
