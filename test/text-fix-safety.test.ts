// Issue 13: `--fix` on random Markdown that mixes Chinese prose with links, code spans, paths and English sentences
// never changes a link destination, a code span, a path-like token, or a sentence with no Chinese in it — with every
// text rule on, under each spacing policy and both scripts.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Nodes, Root } from 'mdast';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../src/case/parse.js';
import { loadConfig, type ResolvedConfig } from '../src/config/load.js';
import { fixSource } from '../src/lint/fix.js';
import { lintSource } from '../src/lint/run.js';
import { makeSource } from '../src/shared/source.js';

const root = fileURLToPath(new URL('./fixtures/text/', import.meta.url));

const chinese = ['党建', '业务', '融合', '工作', '的', '了', '，', '。', '、', '：', '；', '！', '？', '“', '”', '（', '）', '《', '》', ',', '.', ':', '!', '?', '(', ')', '"', ' ', '\u3000', '\u00a0', '\u200b', '「', '」', '…', '--', '１６：３２', 'ＡＩ', '黨', '於', 'API', '3.5', '0.1%', 'C++', '-255'];
const english = ['Hello world.', 'It works (really)!', 'Is it ok?', 'It’s “new”, they said.', 'See the suppliers’ list.', 'Version 2.0 is out.', 'Come and join us!'];
const paths = ['wiki/网页浏览器列表#基於WebKit排版引擎', 'foo-bar_01.htm#测试copy', 'docs/说明,第1版.md', '/wiki/hello网页', 'ch04-01.html#只在堆疊上copy'];
const destinations = ['https://example.com/a,b.c', 'wiki/网页,列表.md', '../docs/说明（草稿）.md', 'https://x.cn/路径?a=1&b=中文。', '#锚点,一'];
const codes = ['a,b。', '中文,英文', 'x = "中"', 'f(x)；', '  两端  '];

const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...chinese) },
  { weight: 1, arbitrary: fc.constantFrom(...english).map((s) => ` ${s} `) },
  { weight: 1, arbitrary: fc.constantFrom(...paths).map((s) => ` ${s} `) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('链接', '说明 ,文字', 'Link'), fc.constantFrom(...destinations)).map(([t, d]) => `[${t}](${d})`) },
  { weight: 1, arbitrary: fc.constantFrom(...codes).map((c) => `\`${c}\``) },
);
const paragraph = fc.array(piece, { minLength: 1, maxLength: 30 }).map((a) => a.join('').trim());
const body = fc.array(paragraph, { minLength: 1, maxLength: 3 }).map((a) => a.filter((p) => p.length > 0).join('\n\n'));

function collect(tree: Root, type: 'link' | 'inlineCode'): string[] {
  const found: string[] = [];
  const walk = (node: Nodes): void => {
    if (node.type === 'link' && type === 'link') found.push(node.url);
    if (node.type === 'inlineCode' && type === 'inlineCode') found.push(node.value);
    if ('children' in node) for (const child of node.children) walk(child as Nodes);
  };
  walk(tree);
  return found;
}

const count = (text: string, part: string) => text.split(part).length - 1;

async function configFor(language: 'zh-Hans' | 'zh-Hant', spacing: 'off' | 'require' | 'forbid'): Promise<ResolvedConfig> {
  const loaded = await loadConfig({ cwd: root, configPath: join(root, 'huibian.yaml') });
  if (!loaded.ok) throw new Error('fixture config');
  return { ...loaded.config, language, lint: { ...loaded.config.lint, spacing } };
}

const head = '---\ntitle: 测试\n---\n\n';

describe('--fix never changes what is not Chinese prose', () => {
  // Found by the property below with random seeds: a fix beside a link's `[` made it an image.
  // Case 2: each zero-width space alone is safe to delete (scan.ts's safeToJoin), both together are not.
  for (const [language, text, rule, applied] of [
    ['zh-Hans', 'docs/说明,第1版.md API！[链接](https://example.com/a,b.c)党建', 'text-english-punctuation', 0],
    ['zh-Hant', '!\u200b\u200b[链接](https://example.com/a,b.c)党建', 'text-invisible', 2],
  ] as const) {
    it(`withholds a fix that would make Markdown syntax: ${JSON.stringify(text)}`, async () => {
      const config = await configFor(language, 'require');
      const before = `${head}${text}\n`;
      const source = makeSource(join(root, 'safety.md'), before);
      const fixed = fixSource(source, config, root);
      expect(collect(parseMarkdown(fixed.text), 'link')).toEqual(['https://example.com/a,b.c']);
      expect(parseMarkdown(fixed.text).children.map((n) => n.type)).toEqual(parseMarkdown(before).children.map((n) => n.type));
      // What was withheld is still reported; the other fixes (链 → 鏈, one of the two spaces) were made.
      const left = lintSource(makeSource(source.path, fixed.text), config, root).file.messages;
      expect(left.filter((m) => m.ruleId === rule)).toHaveLength(1);
      expect(fixed.applied).toBe(applied);
    });
  }


  for (const [language, spacing] of [['zh-Hans', 'off'], ['zh-Hans', 'require'], ['zh-Hans', 'forbid'], ['zh-Hant', 'require']] as const) {
    it(`${language}, spacing ${spacing}`, async () => {
      const config = await configFor(language, spacing);
      fc.assert(
        fc.property(body, (text) => {
          const before = `${head}${text}\n`;
          const after = fixSource(makeSource(join(root, 'safety.md'), before), config, root).text;
          const [a, b] = [parseMarkdown(before), parseMarkdown(after)];
          expect(collect(b, 'link')).toEqual(collect(a, 'link'));
          expect(collect(b, 'inlineCode')).toEqual(collect(a, 'inlineCode'));
          for (const token of [...paths, ...english]) expect([token, count(after, token)]).toEqual([token, count(before, token)]);
        }),
        { numRuns: 250 },
      );
    });
  }
});
