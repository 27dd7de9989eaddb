/** Small helpers for scanning a block's text: neighbours past blanks, and the fix shape most text rules share. */
import type { RuleContext } from '../rule.js';
import { fileRange, reportRange, type TextBlock } from './blocks.js';
import { isBlank } from './chars.js';

/** Index of the first non-blank at or before `i` (or -1). */
export function prevNonBlank(text: string, i: number): number {
  while (i >= 0 && isBlank(text.charCodeAt(i))) i--;
  return i;
}

/** Index of the first non-blank at or after `i` (or text.length). */
export function nextNonBlank(text: string, i: number): number {
  while (i < text.length && isBlank(text.charCodeAt(i))) i++;
  return i;
}

/**
 * Report `text[from, to)` of a block, offering to replace it with `replacement` when that stretch is a verbatim copy of
 * the file (otherwise the message stands without a fix).
 */
export function reportReplace(context: RuleContext, block: TextBlock, from: number, to: number, message: string, replacement?: string): void {
  const range = replacement === undefined ? undefined : fileRange(block, from, to);
  context.report(message, {
    range: range ?? reportRange(block, from, Math.max(to, from + 1)),
    fix: range && replacement !== undefined ? { range, text: replacement } : undefined,
  });
}

/** Quote a found text for a message, shortening long ones. */
export function shown(text: string, max = 24): string {
  const flat = text.replace(/\n/g, '↵');
  return [...flat].length > max ? `${[...flat].slice(0, max - 1).join('')}…` : flat;
}

/**
 * Whether deleting the file's `[start, end)` (blanks) leaves the Markdown around it meaning the same: `! [链接](…)`
 * must not become an image, two code spans must not run into one, an escape must not take a new character, and emphasis or strikethrough delimiters must keep their neighbours (their flanking).
 */
export function safeToJoin(source: string, start: number, end: number): boolean {
  const before = source[start - 1];
  const after = source[end];
  if ((before === '!' && after === '[') || (before === '`' && after === '`') || (before === '\\' && after !== undefined)) return false;
  return !(before === '*' || before === '_' || before === '~' || after === '*' || after === '_' || after === '~' || after === '<');
}
