/** Decoded text of one input file, with offset ↔ line:column conversion (columns count Unicode code points). */

/** A 1-based line and column; columns count Unicode characters (code points), not UTF-16 units or bytes. */
export interface Point {
  line: number;
  column: number;
}

export interface Range {
  /** UTF-16 offset into `SourceText.text`, inclusive. */
  start: number;
  /** UTF-16 offset into `SourceText.text`, exclusive. */
  end: number;
}

/** One file's text as huibian reads it: BOM removed, line ends kept as they were. */
export interface SourceText {
  /** Absolute path. */
  path: string;
  text: string;
  /** The file began with a UTF-8 byte-order mark (kept when the file is rewritten). */
  bom: boolean;
  /** Offsets at which each line starts. */
  lineStarts: number[];
}

export function makeSource(path: string, text: string, bom = false): SourceText {
  const lineStarts = [0];
  if (!text.includes('\r')) {
    // Only LF line ends (the usual case): let indexOf find them rather than looking at every character.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    return { path, text, bom, lineStarts };
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) lineStarts.push(i + 1);
    else if (c === 13 && text.charCodeAt(i + 1) !== 10) lineStarts.push(i + 1);
  }
  return { path, text, bom, lineStarts };
}

/** The 0-based index of the line holding `offset`, given the offsets where lines start (ascending, the first 0). */
export function lineIndex(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The line:column of a UTF-16 offset, with the column in code points. */
export function pointAt(source: SourceText, offset: number): Point {
  const clamped = Math.max(0, Math.min(offset, source.text.length));
  const lo = lineIndex(source.lineStarts, clamped);
  const lineStart = source.lineStarts[lo]!;
  // Without surrogate pairs a code point is a UTF-16 unit: no need to walk the line (a 1 MB line with thousands of
  // messages would otherwise cost billions of steps).
  if (!hasSurrogates(source)) return { line: lo + 1, column: clamped - lineStart + 1 };
  let column = 1;
  for (let i = lineStart; i < clamped; i++) {
    const c = source.text.charCodeAt(i);
    // The high half of a surrogate pair starts a character; the low half does not.
    if (c < 0xdc00 || c > 0xdfff) column++;
  }
  return { line: lo + 1, column };
}

const surrogates = new WeakMap<SourceText, boolean>();

function hasSurrogates(source: SourceText): boolean {
  let has = surrogates.get(source);
  if (has === undefined) surrogates.set(source, (has = /[\ud800-\udfff]/.test(source.text)));
  return has;
}

/** The UTF-16 offset at which a 1-based line starts. */
export function lineOffset(source: SourceText, line: number): number {
  return source.lineStarts[Math.max(0, Math.min(line - 1, source.lineStarts.length - 1))]!;
}
