// lint's fast Markdown path (src/case/fast-markdown.ts, the line reader of simple-markdown.ts) must give micromark's
// tree exactly — every node, field and position — or decline the file, which micromark then parses. And it must take
// nearly every case, or lint is slow. (The lezer path it had until #12 was removed with its tests.)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Nodes } from 'mdast';
import { classifyCharacter } from 'micromark-extension-cjk-friendly-util';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCompilation } from '../bench/generate.js';
import { classifyCode } from '../src/case/attention.js';
import { fastMarkdown } from '../src/case/fast-markdown.js';
import { guardMarkdown, limits, pruneDeepTree } from '../src/case/limits.js';
import { maxInlineDepth } from '../src/case/simple-markdown.js';
import { parseForLint, parseGuarded, parseMarkdown, micromarkTree } from '../src/case/parse.js';
import { markdownFiles } from './helpers/files.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});


/** The text as parse.ts receives it: read without its BOM. */
const read = (file: string) => readFileSync(file, 'utf8').replace(/^\uFEFF/, '');

interface Taken {
  lineReader: number;
}

function depth(node: Nodes): number {
  return 'children' in node ? 1 + Math.max(0, ...node.children.map((c) => depth(c as Nodes))) : 1;
}

/** How many of `texts` the fast path takes (added to `counts`), checking every tree it gives against micromark's. */
function taken(texts: Iterable<string>, counts: Taken = { lineReader: 0 }): Taken {
  for (const text of texts) {
    const fast = fastMarkdown(text);
    if (!fast) continue;
    expect(fast, JSON.stringify(text)).toEqual(micromarkTree(text));
    // parse.ts does not prune the fast path's trees.
    expect(depth(fast)).toBeLessThan(limits.treeDepth);
    counts.lineReader++;
  }
  return counts;
}

describe('the fast Markdown path', () => {
  const generated: string[] = [];
  for (const seed of [1, 2, 7]) {
    const root = mkdtempSync(join(tmpdir(), 'huibian-fast-md-'));
    dirs.push(root);
    generated.push(...generateCompilation(root, 150, { seed }).files.map(read));
  }
  const samples = markdownFiles(join(repo, 'cases')).map(read);
  const fixtures = [...markdownFiles(join(repo, 'test', 'fixtures')), join(repo, 'preface.md')].map(read);

  it('gives micromark\'s tree for every generated case, and declines none of them', () => {
    // The generator writes only constructs the line reader reproduces, so any decline is a regression in speed: a
    // case it declines costs micromark's 3–6 ms, and 1,000 cases would miss lint's 1.5 s target.
    expect(generated.length).toBe(450);
    const counts = taken(generated);
    expect(counts).toEqual({ lineReader: 450 });
  });

  it('gives micromark\'s tree for the sample cases, taking at least 14 of the 15', () => {
    const counts = taken(samples);
    expect(samples.length).toBeGreaterThanOrEqual(15);
    expect(counts.lineReader).toBeGreaterThanOrEqual(samples.length - 1);
  });

  it('gives micromark\'s tree, or declines, for every fixture (hostile ones included)', () => {
    const counts = taken(fixtures);
    // Most fixtures are ordinary cases; the hostile ones must be declined rather than misread.
    expect(counts.lineReader).toBeGreaterThan(fixtures.length / 3);
  });

  it('is used by lint only: parseMarkdown (what is rendered) is micromark\'s tree even where the fast path takes the text', () => {
    for (const text of [...samples, ...generated.slice(0, 20)]) {
      expect(fastMarkdown(guardMarkdown(text).text)).toBeDefined();
      const expected = micromarkTree(guardMarkdown(text).text);
      expect(parseMarkdown(text)).toEqual(expected);
      expect(parseForLint(text)).toEqual(parseGuarded(text));
    }
  });

  it('leaves to micromark what it declines, and parseForLint and parseMarkdown still give micromark\'s tree', () => {
    const declined = [
      '标题\n===\n\n正文',
      '正文<b>加粗</b>',
      '正文&amp;更多',
      '正文\\*星号\\*',
      '\t缩进',
      '    代码块',
      '```js\ncode\n```',
      '[链接][ref]\n\n[ref]: /url',
      '> 引用\n懒惰的续行',
      '- 列表\n  - 嵌套',
      '网址 www.example.com',
      '**粗体*',
      '脚注[^未定义]',
      '第一行  \n第二行',
      '😀**强调**',
    ];
    for (const text of declined) {
      expect(fastMarkdown(text), text).toBeUndefined();
      const expected = micromarkTree(guardMarkdown(text).text);
      pruneDeepTree(expected);
      expect(parseMarkdown(text)).toEqual(expected);
      expect(parseForLint(text).mdast).toEqual(expected);
    }
  });

  it('strips a code span\'s padding only where micromark does: spaces, not other whitespace', () => {
    // CI's seed -599224504 found "` \u2028 `": String#trim counted U+2028 as a space and kept the padding micromark
    // strips. U+3000 (the full-width space Chinese writers type) is the same case in real cases.
    const insides = [' \u2028 ', ' \u3000 ', ' \u00a0 ', ' \v ', ' \f ', ' \u2029 ', ' \u0085 ', '   ', '  ', ' a ', '  a  ', ' \u3000a '];
    for (const inside of insides) {
      const text = `正文\`${inside}\`正文\n`;
      const fast = fastMarkdown(text);
      expect(fast, JSON.stringify(text)).toBeDefined();
      expect(fast, JSON.stringify(text)).toEqual(micromarkTree(text));
    }
    const code = (text: string) => JSON.stringify(fastMarkdown(text)).match(/"inlineCode","value":("[^"]*")/)?.[1];
    expect(JSON.parse(code('正文` \u3000 `正文')!)).toBe('\u3000');
    expect(JSON.parse(code('正文`   `正文')!)).toBe('   ');
  });

  it('leaves deep nesting to micromark rather than recursing into a stack overflow', () => {
    for (const text of ['*a '.repeat(1000) + 'x' + ' a*'.repeat(1000), '![a '.repeat(5000) + 'x' + '](u)'.repeat(5000)]) {
      expect(fastMarkdown(text)).toBeUndefined();
    }
  });

  it('builds trees shallower than the limit even at its deepest, so parse.ts need not prune them', () => {
    const text = `- ${'*a '.repeat(maxInlineDepth - 1)}x${' a*'.repeat(maxInlineDepth - 1)}`;
    expect(fastMarkdown(text)).toEqual(micromarkTree(text));
    expect(depth(fastMarkdown(text)!)).toBeGreaterThan(maxInlineDepth);
    expect(depth(fastMarkdown(text)!)).toBeLessThan(limits.treeDepth);
    expect(parseForLint(text)).toEqual({ mdast: micromarkTree(text), problems: [] });
    expect(parseGuarded(text)).toEqual({ mdast: micromarkTree(text), problems: [] });
  });

  it('classifies the characters next to emphasis as micromark-extension-cjk-friendly does', () => {
    let known = 0;
    for (let code = 0; code <= 0xffff; code++) {
      const cls = classifyCode(code);
      if (cls < 0) continue;
      known++;
      // Whitespace, punctuation and CJK are the bits cjk-friendly's rules read.
      expect(cls, code.toString(16)).toBe(classifyCharacter(code) & (1 | 2 | 4096));
    }
    expect(known).toBeGreaterThan(60000);
  });

  it('gives micromark\'s tree, or declines, for short strings of Markdown\'s significant characters', () => {
    // Grammar corners (a `**` here, a `]:` there) that whole generated documents reach only by chance.
    const alphabet = fc.constantFrom(
      '*', '*', '_', '[', ']', '(', ')', '!', '^', ':', '\n', '\n', ' ', ' ', '#', '>', '-', '|', '1', '.', 'a', '中', '。', '“', '”',
      '"', "'", '`', '[^1]', '[^1]: ', '](u)', '**', '\r\n', '=', '+', '0',
    );
    const counts = taken([]);
    fc.assert(
      fc.property(fc.array(alphabet, { minLength: 1, maxLength: 16 }).map((parts) => parts.join('')), (text) => {
        taken([text], counts);
      }),
      { numRuns: 10000 },
    );
    expect(counts.lineReader).toBeGreaterThan(2000);
  });

  // The properties mean something only if the fast path took a fair share of the texts (it declines any indentation,
  // trailing space, lazy line, loose list or quote, and most rough texts hold a bit it declines, as it should).
  for (const [kind, rough, runs, lineReaderShare] of [['tidy', false, 3000, 0.15], ['rough', true, 3000, 0.1]] as const) {
    it(`gives micromark's tree, or declines, for generated ${kind} Markdown`, () => {
      const counts = taken([]);
      fc.assert(
        fc.property(markdownArbitrary(rough), (text) => {
          taken([text], counts);
        }),
        { numRuns: runs },
      );
      expect(counts.lineReader).toBeGreaterThan(runs * lineReaderShare);
    });
  }
});

// --- Generators of Markdown made of the constructs cases use: tidy (as cases are written) or rough (odd delimiter
// runs, brackets, nesting and lazy lines), with hostile bits mixed into one rough text in three. ---

const word = fc.constantFrom('党建', '业务', '融合', '工作', '支部', '考核', 'abc', 'Word', '2024', '10', 'x', '一是', '第一', '𠀀字', '好😀');
const cjkPunctuation = fc.constantFrom('，', '。', '、', '：', '；', '“', '”', '‘', '’', '（', '）', '《', '》', '——', '…', '！', '？', '·', '「', '」');
const asciiPunctuation = fc.constantFrom('.', ',', ':', ';', '(', ')', '"', "'", '-', '/', '?', '%', '+', '=', '#', '|', '^', '$');
const space = fc.constantFrom(' ', '  ', '\u3000', '\u00a0');
const hostile = fc.constantFrom(
  '\t', '<b>', '</b>', '&amp;', '&#64;', '\\*', '\\|', '\\', '~', '~~', '@', 'www.a.cn', 'http://a.cn', '`', '``',
  '😀', '𠀀', '\uFE0F', '葛\uDB40\uDD00', '\uFE0E', '\u200b', '\r', '\0', '\uFEFF', '[', ']', '![', '](', '[^', ']:', '_',
  '__', '***', '____', '* ', '[ ]', '[x]', '<https://a.cn>', '\u2028',
);

function markdownArbitrary(rough: boolean): fc.Arbitrary<string> {
  const delimiter = fc.constantFrom('*', '**', '_', '__', '***');
  const footnoteMark = rough
    ? fc.constantFrom('[^1]', '[^note]', '[^2]', '[^Note]', '[^x y]', '[^1](u)', '[^1]:', '[1]', '[a]')
    : fc.constantFrom('[^1]', '[^note]', '[^Note]');
  const lineBreak = rough ? fc.constantFrom('\n', '\n  ', ' \n', '  \n', '\r\n') : fc.constantFrom('\n', '\n  ', ' \n', '\r\n');
  const inline: fc.Arbitrary<string> = fc.letrec<{ inline: string; piece: string }>((tie) => ({
    piece: fc.oneof(
      { arbitrary: word, weight: 10 },
      { arbitrary: cjkPunctuation, weight: 5 },
      { arbitrary: asciiPunctuation, weight: 2 },
      { arbitrary: space, weight: 2 },
      { arbitrary: delimiter, weight: rough ? 1 : 0 },
      { arbitrary: fc.tuple(delimiter, tie('inline'), cjkPunctuation).map(([d, t, p]) => `${d}${t}${p}${d}`), weight: rough ? 2 : 0 },
      { arbitrary: fc.tuple(fc.constantFrom('**', '*', '_'), tie('inline')).map(([d, t]) => `${d}${t}${d}`), weight: 3 },
      { arbitrary: fc.tuple(cjkPunctuation, fc.constantFrom('**', '*'), word, cjkPunctuation).map(([a, d, t, b]) => `${a}${d}${t}${b}${d}`), weight: 2 },
      { arbitrary: fc.tuple(fc.constantFrom('`', '``'), fc.constantFrom('code', ' a ', 'x|y', '*b*', '  ', 'a`b')).map(([d, t]) => `${d}${t}${d}`), weight: 1 },
      { arbitrary: fc.tuple(tie('inline'), fc.constantFrom('../images/a.svg', 'b.png', '', 'x_y.md', '/a b'), fc.constantFrom('', ' "题"', " 't'", ' (p)', ' ""')).map(([t, u, ti]) => `[${t}](${u}${ti})`), weight: 1 },
      { arbitrary: fc.tuple(tie('inline'), fc.constantFrom('../images/a.svg', 'b.png', '')).map(([t, u]) => `![${t}](${u})`), weight: 1 },
      { arbitrary: footnoteMark, weight: 2 },
      { arbitrary: lineBreak, weight: 1 },
    ),
    inline: fc.array(tie('piece'), { minLength: 1, maxLength: rough ? 8 : 5 }).map((parts) => parts.join('')),
  })).inline;

  const oneLine = inline.map((t) => t.replace(/ *\r?\n */g, ' '));
  const heading = fc
    .tuple(fc.constantFrom('', '', ' ', '   '), fc.integer({ min: 1, max: 6 }), oneLine, fc.constantFrom('', ' ', ' ##', rough ? '#' : '', '  '))
    .map(([indent, depth, text, end]) => `${indent}${'#'.repeat(depth)} ${text}${end}`);
  const cell = fc.oneof(oneLine.map((t) => t.replace(/\|/g, '')), fc.constantFrom('', ' ', '**粗**。', rough ? '`a|b`' : '`ab`', rough ? 'a\\|b' : 'ab'));
  const table = fc
    .tuple(
      fc.array(cell, { minLength: 1, maxLength: 4 }),
      fc.array(fc.constantFrom('---', ':--', '--:', ':-:', '-'), { minLength: 1, maxLength: 4 }),
      fc.array(fc.array(cell, { minLength: 0, maxLength: rough ? 5 : 4 }), { minLength: 0, maxLength: 3 }),
      fc.constantFrom('', ' ', '  '),
    )
    .map(([header, align, rows, trailing]) => {
      const row = (cells: string[]) => `| ${cells.join(' | ')} |${trailing}`;
      const delimiters = header.map((_, i) => align[i % align.length]);
      return [row(header), `|${(rough ? align.slice(0, header.length) : delimiters).join('|')}|`, ...rows.map(row)].join('\n');
    });
  const listItem = fc.tuple(inline, fc.option(inline, { nil: undefined }), fc.constantFrom('', '', '\n'));
  const list = fc
    .tuple(
      fc.constantFrom('- ', '* ', '+ ', '1. ', '3. ', '1) ', ' - ', '  1. ', rough ? '-  ' : '- '),
      fc.array(listItem, { minLength: 1, maxLength: 4 }),
      rough ? fc.constantFrom('\n', '\n\n', '\n  - 嵌套\n', '\n   ') : fc.constantFrom('\n', '\n\n', '\n \n'),
    )
    .map(([marker, items, between]) =>
      items
        .map(([first, second, gap], i) => {
          const m = /\d/.test(marker) ? marker.replace(/\d+/, String(i + Number.parseInt(marker, 10))) : marker;
          const pad = ' '.repeat(m.length);
          const body = first.replace(/\n/g, `\n${pad}`);
          return `${m}${body}${second ? `\n\n${pad}${second.replace(/\n/g, `\n${pad}`)}` : ''}${gap}`;
        })
        .join(between),
    );
  const quote = fc.array(oneLine, { minLength: 1, maxLength: 3 }).chain((lines) =>
    fc.constantFrom('> ', '>', '  > ').map((p) => lines.map((l, i) => (rough && i === 2 ? l : p + l)).join('\n')),
  );
  const footnote = fc.tuple(fc.constantFrom('1', 'note', 'Note', rough ? '注' : '1'), oneLine).map(([label, text]) => `[^${label}]: ${text}`);
  const block = fc.oneof(
    { arbitrary: inline, weight: 6 },
    { arbitrary: heading, weight: 3 },
    { arbitrary: list, weight: 3 },
    { arbitrary: table, weight: 2 },
    { arbitrary: quote, weight: 1 },
    { arbitrary: footnote, weight: 2 },
    { arbitrary: fc.constantFrom('---', '***', '* * *', '___', '![图1 示意](../images/a.svg)', rough ? '===' : '---'), weight: 1 },
  );
  const separator = fc.oneof(
    { arbitrary: fc.constant('\n\n'), weight: 8 },
    { arbitrary: fc.constantFrom(rough ? '\n' : '\n\n', '\n \n', '\r\n\r\n', '\n\n\n'), weight: 1 },
  );
  const frontMatter = fc.constantFrom('', '---\ntitle: 标题\n---\n\n', '---\r\na: 1\r\n---\r\n', '---\n---\n', '--- \nx: 1\n---  \n');
  // Tidy texts define every footnote they may mention, so their marks are references.
  const definitions = rough ? '' : '\n\n[^1]: 注一\n\n[^note]: 注二\n';
  const document = fc
    .tuple(frontMatter, fc.array(fc.tuple(block, separator), { minLength: 0, maxLength: 6 }), fc.constantFrom('', '\n', '\n\n'))
    .map(([front, blocks, end]) => front + blocks.map(([b, s]) => b + s).join('').replace(/\s+$/, '') + definitions + end);
  // Cases written on Windows: CRLF throughout.
  if (!rough) return fc.tuple(document, fc.boolean()).map(([text, crlf]) => (crlf ? text.replace(/\r?\n/g, '\r\n') : text));
  return fc.oneof(
    { arbitrary: document, weight: 2 },
    {
      arbitrary: fc.tuple(document, hostile, fc.nat()).map(([text, bit, at]) => text.slice(0, at % (text.length + 1)) + bit + text.slice(at % (text.length + 1))),
      weight: 1,
    },
  );
}
