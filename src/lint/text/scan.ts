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
