// editBetween (src/pdf/print-book.ts): what a watch rebuild sends to the kept book page instead of the whole book. The
// page rebuilds the new HTML from the one it holds and checks it against its SHA-256 (test/watch.test.ts runs that
// end to end); here, that the edit always rebuilds exactly the new text, stays small for a small change, and never
// cuts a surrogate pair (the protocol would not carry half of one).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editBetween } from '../src/pdf/print-book.js';

const apply = (before: string, edit: { at: number; cut: number; text: string }) => before.slice(0, edit.at) + edit.text + before.slice(edit.at + edit.cut);
const lone = (text: string) => /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

describe('editBetween', () => {
  it('is one word for a one-word edit, nothing for no change, everything for no common ground', () => {
    const book = '<html><body><p>党建引领，百年历史。</p><p>其余不变。</p></body></html>';
    expect(editBetween(book, book.replace('历史', '风华'))).toEqual({ at: book.indexOf('历史'), cut: 2, text: '风华' });
    expect(editBetween(book, book)).toEqual({ at: book.length, cut: 0, text: '' });
    expect(editBetween('abc', 'xyz')).toEqual({ at: 0, cut: 3, text: 'xyz' });
    // A repeated stretch: the common start and end must not overlap.
    expect(apply('aaaa', editBetween('aaaa', 'aa'))).toBe('aa');
    expect(apply('aa', editBetween('aa', 'aaaa'))).toBe('aaaa');
  });

  it('keeps a character outside the basic plane whole where the edit begins or ends inside its pair', () => {
    // 𠀀 (U+20000) and 𠀁 (U+20001) share their high surrogate.
    const edit = editBetween('前𠀀后', '前𠀁后');
    expect(edit.text).toBe('𠀁');
    expect(lone(edit.text)).toBe(false);
  });

  it('rebuilds the new text exactly, without a lone surrogate, for any pair of texts', () => {
    const text = fc.string({ unit: fc.constantFrom('a', '，', '党', '𠀀', '𠀁', '𡀀', '\ud840'), maxLength: 30 });
    fc.assert(
      fc.property(text, text, (before, after) => {
        const edit = editBetween(before, after);
        expect(apply(before, edit)).toBe(after);
        expect(edit.at + edit.cut).toBeLessThanOrEqual(before.length);
        // A lone surrogate already in the texts may stay lone; the edit must not make one of a pair.
        if (!lone(before) && !lone(after)) expect(lone(edit.text)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
