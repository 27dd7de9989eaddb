// The text rules skip a block when its marks (src/lint/text/marks.ts: which kinds of character it holds, found in one
// pass) show they can have nothing to say there. That must never change a message: each mark is checked against what
// it stands for, and every text rule is run on random Markdown twice — with the marks, and with every mark forced on
// (the full scan of every block, as before the marks existed) — and must say exactly the same.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { parseCase } from '../src/case/parse.js';
import { resolveCase } from '../src/case/resolve.js';
import { loadConfig, type ResolvedConfig } from '../src/config/load.js';
import type { Diagnostic } from '../src/shared/diagnostics.js';
import { contextFor } from '../src/lint/rule.js';
import { rules } from '../src/lint/rules/index.js';
import { textBlocks } from '../src/lint/text/blocks.js';
import { hasChinese, isHan } from '../src/lint/text/chars.js';
import { Mark, marksIn } from '../src/lint/text/marks.js';
import { findMisdecodes } from '../src/lint/text/mojibake.js';
import { normalIn, type Script } from '../src/lint/text/script.js';
import { makeSource } from '../src/shared/source.js';

const root = fileURLToPath(new URL('./fixtures/text/', import.meta.url));
const textRules = rules.filter((r) => r.id.startsWith('text-') && r.scope === 'file');

/** Pieces of text that each text rule reacts to, and plain Chinese around them. */
const piece = fc.constantFrom(
  '党建', '业务', '融合', '工作', '的', '了', '，', '。', '、', '：', '；', '！', '？', '…', '——', '—', '―', '--', '-', '...', '.', '。。', '，，', '！！',
  '“', '”', '‘', '’', '《', '》', '（', '）', '【', '】', '"', "'", '(', ')', ',', ':', ';', '!', '?', ' ', '\t', '\u3000', '\n',
  'API', '5G', '3.5', '10:30', '1,000', "don't", 'a', 'Z', '0', '２０２４', 'ＡＩ', 'ｘ', '黨', '發', '後', '於', '乾', '著', '们', '发',
  '锟斤拷', '锟斤', '烫烫烫', '屯屯屯', '\ufffd', '勇于担当?shù', '鍏氬缓', '鐨勫', 'å…š', 'é‡è¦', 'â€œ', 'ä¸­æ–‡', '业(yè)务(wù)', '(ye)', '（shēn）',
  '𠮷', '𩸽', '`x`', '**', '*', '\\*', '&amp;', '&#x4e2d;', '[链接](http://x.cn)', '<b>x</b>', '\u00a0', 'é', 'ü',
  '「', '」', '『', '』', '\u200b', '\u200d', '\u00ad', '\u202e', '\ufeff', 'wiki/网页#基於WebKit', '说明.md', '%s', '$1', '{{x("a","中")}}', ';-)',
  '!import', 'C++', '0.1%', '-255', '１６：３２', 'iPhone', 'hello world', 'Come and', '![图1 党建,业务](a.png)', 'it’s', '“a”', '‘b’',
);
const text = fc.array(piece, { maxLength: 60 }).map((a) => a.join(''));

describe('marks', () => {
  const is = (marks: number, mark: number) => (marks & mark) !== 0;

  it('each mark says exactly (or, for runs, at least) what it stands for', () => {
    fc.assert(
      fc.property(text, fc.constantFrom<Script>('zh-Hans', 'zh-Hant'), (t, script) => {
        const m = marksIn(t, script);
        expect(is(m, Mark.chinese)).toBe(hasChinese(t));
        expect(is(m, Mark.han)).toBe([...t].some((_, i) => isHan(t.charCodeAt(i))) || /[\ud840-\ud8bf]/.test(t));
        expect(is(m, Mark.question)).toBe(t.includes('?'));
        expect(is(m, Mark.doubleQuote)).toBe(t.includes('"'));
        expect(is(m, Mark.singleQuote)).toBe(t.includes("'"));
        expect(is(m, Mark.pairedMark)).toBe(/[“”‘’《》（）【】]/.test(t));
        expect(is(m, Mark.halfPunct)).toBe(/[,.:;!?()]/.test(t));
        expect(is(m, Mark.fullwidthAlnum)).toBe(/[０-９Ａ-Ｚａ-ｚ]/.test(t));
        expect(is(m, Mark.paren)).toBe(/[(（]/.test(t));
        expect(is(m, Mark.alnum)).toBe(/[0-9A-Za-z]/.test(t));
        expect(is(m, Mark.cp1252Lead)).toBe(/[\u00e2-\u00e9]/.test(t));
        expect(is(m, Mark.fullwidthMark)).toBe(/[，。、：；！？（）《》〈〉【】「」『』〔〕“”‘’]/.test(t));
        expect(is(m, Mark.blank)).toBe(/[ \t]/.test(t));
        expect(is(m, Mark.wideSpace)).toBe(/[\u3000\u00a0]/.test(t));
        expect(is(m, Mark.invisible)).toBe(/[\u200b-\u200f\u2060\u00ad\ufeff\ufffc\u061c\u202a-\u202e\u2066-\u2069]/.test(t));
        expect(is(m, Mark.cornerQuote)).toBe(/[「」『』]/.test(t));
        const otherScript = (c: number) => c >= 0x3400 && c < 0xd800 && isHan(c) && !normalIn(c, script);
        expect(is(m, Mark.otherScript)).toBe([...t].some((ch) => otherScript(ch.charCodeAt(0))));
        // Runs: a mark may be set without a match, never missing with one.
        if (/(?:锟斤拷)+|锟斤|烫{3,}|屯{3,}|\ufffd+/.test(t)) expect(is(m, Mark.mojibakeKnown)).toBe(true);
        if (/\.{3,}|。{2,}|…+|-{2,}|[—―]+|，{2,}|！{2,}/.test(t)) expect(is(m, Mark.ellipsisDash)).toBe(true);
        // Misdecodes: the scans the marks let through find what the unfiltered scans find.
        expect(findMisdecodes(t, m)).toEqual(findMisdecodes(t, -1));
      }),
      { numRuns: 3000 },
    );
  });

  it('a GBK or Windows-1252 misreading of any common Chinese text is still found', () => {
    const gbk = new TextDecoder('gbk');
    const cp1252 = new TextDecoder('windows-1252');
    const chinese = fc.array(fc.constantFrom(...'党建和业务深度融合的工作重要中国人民政府一二三'), { minLength: 2, maxLength: 12 }).map((a) => a.join(''));
    fc.assert(
      fc.property(chinese, (original) => {
        const bytes = new TextEncoder().encode(original);
        for (const garbled of [gbk.decode(bytes), cp1252.decode(bytes)]) {
          expect(findMisdecodes(garbled)).toEqual(findMisdecodes(garbled, -1));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('text rules with and without the marks', () => {
  async function config(script: Script, spacing: ResolvedConfig['lint']['spacing']): Promise<ResolvedConfig> {
    const loaded = await loadConfig({ cwd: root, configPath: join(root, 'huibian.yaml') });
    if (!loaded.ok) throw new Error('fixture config');
    return { ...loaded.config, language: script, lint: { ...loaded.config.lint, spacing } };
  }

  /** Every text rule's messages on `body`; `fullScan` forces every mark on in every block first. */
  function messages(body: string, config: ResolvedConfig, fullScan: boolean) {
    const source = makeSource(join(root, 'marks.md'), `---\ntitle: 测\n---\n\n${body}\n`);
    const file = new VFile({ path: source.path, cwd: root, value: source.text });
    const document = parseCase(source, file, config.root);
    if (fullScan) {
      for (const block of textBlocks(document.mdast, document.source)) {
        block.marks = -1;
        block.marksScript = config.language;
      }
    }
    const kase = resolveCase(document, config);
    for (const rule of textRules) if (rule.scope === 'file') rule.check(contextFor(rule, { document, case: kase, config }));
    return (file.messages as Diagnostic[]).map((m) => ({ rule: m.ruleId, reason: m.reason, place: m.place, fix: m.fix }));
  }

  for (const [script, spacing] of [['zh-Hans', 'off'], ['zh-Hans', 'require'], ['zh-Hans', 'forbid'], ['zh-Hant', 'off']] as const) {
    it(`${script}, spacing ${spacing}`, async () => {
      const c = await config(script, spacing);
      const paragraphs = fc.array(text, { minLength: 1, maxLength: 4 }).map((a) => a.join('\n\n'));
      fc.assert(
        fc.property(paragraphs, (body) => {
          expect(messages(body, c, false)).toEqual(messages(body, c, true));
        }),
        { numRuns: 400 },
      );
    });
  }
});
