/** Where the characters of a raw HTML node's value are in the case file. */
import type { Html } from 'mdast';
import { lineIndex } from '../shared/source.js';

/**
 * Maps an offset in the node's value to one in the file. The value is the file's text, except inside a block quote
 * or a list item, where micromark leaves each continuation line's `>` or indentation out: each line of the value is
 * then the end of its line in the file.
 */
export function htmlFileOffsets(node: Pick<Html, 'value' | 'position'>, text: string): (at: number) => number {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? start;
  const value = node.value;
  if (end - start === value.length && text.startsWith(value, start)) return (at) => start + at;
  const valueLines = lines(value, 0, value.length);
  const fileLines = lines(text, start, end);
  return (at) => {
    const line = lineIndex(valueLines.starts, at);
    if (line >= fileLines.starts.length) return end;
    return Math.max(fileLines.ends[line]! - (valueLines.ends[line]! - at), fileLines.starts[line]!);
  };
}

/** Where each line of `text` between `from` and `to` starts, and where it ends (before its line ending). */
function lines(text: string, from: number, to: number): { starts: number[]; ends: number[] } {
  const starts = [from];
  const ends: number[] = [];
  for (const m of text.slice(from, to).matchAll(/\r\n|\r|\n/g)) {
    ends.push(from + m.index);
    starts.push(from + m.index + m[0].length);
  }
  ends.push(to);
  return { starts, ends };
}
