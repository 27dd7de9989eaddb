/** Positions: 1-based lines and columns counted in Unicode characters (code points), whatever the line ends. */
import { describe, expect, it } from 'vitest';
import { makeSource, pointAt } from '../src/shared/source.js';

describe('pointAt', () => {
  it('counts a character outside the BMP (a surrogate pair) as one column', () => {
    const text = '标题\n𠮷野家,好\n';
    const source = makeSource('/x.md', text);
    expect(pointAt(source, text.indexOf(','))).toEqual({ line: 2, column: 4 });
    expect(pointAt(source, text.indexOf('好'))).toEqual({ line: 2, column: 5 });
  });

  it('counts UTF-16 units as columns when the text has no surrogate pair, on LF, CRLF and CR lines', () => {
    for (const eol of ['\n', '\r\n', '\r']) {
      const text = ['第一行', '党建和业务融合,是', ''].join(eol);
      const source = makeSource('/x.md', text);
      expect(pointAt(source, text.indexOf(','))).toEqual({ line: 2, column: 8 });
      expect(pointAt(source, 0)).toEqual({ line: 1, column: 1 });
    }
  });

  it('places thousands of messages on one 1 MB line in linear time', () => {
    const text = '中'.repeat(1_000_000);
    const source = makeSource('/x.md', text);
    let last = { line: 0, column: 0 };
    for (let i = 0; i < 10_000; i++) last = pointAt(source, i * 100);
    expect(last).toEqual({ line: 1, column: 999_901 });
  });
});

describe('makeSource', () => {
  it('finds the same line starts on LF, CRLF, lone CR and mixed line ends as a walk over every character', () => {
    const reference = (text: string) => {
      const starts = [0];
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
      }
      return starts;
    };
    const pieces = ['党建', 'a', '\n', '\r', '\r\n', '\n\r', '\n\n', ''];
    for (let seed = 1; seed <= 2000; seed++) {
      let s = seed;
      let text = '';
      for (let k = seed % 17; k > 0; k--) {
        s = (s * 1103515245 + 12345) & 0x7fffffff;
        text += pieces[s % pieces.length];
      }
      expect(makeSource('/x.md', text).lineStarts, JSON.stringify(text)).toEqual(reference(text));
    }
  });
});
