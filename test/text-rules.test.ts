// The Chinese text rules: fixtures in test/fixtures/text/<rule-id>/ (ok.md, not-ok.md, expected.txt, fixed.md), inline
// switches, the other policies (spacing forbid, zh-Hant), and no false positives over the prose the project ships.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { generateCompilation } from '../bench/generate.js';
import { loadConfig, type ResolvedConfig } from '../src/config/load.js';
import { fixSource } from '../src/lint/fix.js';
import { rules } from '../src/lint/rules/index.js';
import { lintSource } from '../src/lint/run.js';
import { makeSource } from '../src/shared/source.js';

const root = fileURLToPath(new URL('./fixtures/text/', import.meta.url));
const repo = fileURLToPath(new URL('../', import.meta.url));
const textRules = rules.filter((r) => r.id.startsWith('text-'));

async function configAt(path: string, patch: (c: ResolvedConfig) => ResolvedConfig = (c) => c): Promise<ResolvedConfig> {
  const loaded = await loadConfig({ cwd: root, configPath: path });
  if (!loaded.ok) throw new Error(loaded.file.messages.map(String).join('\n'));
  return patch(loaded.config);
}

function configFor(id: string): Promise<ResolvedConfig> {
  const own = join(root, id, 'huibian.yaml');
  return configAt(existsSync(own) ? own : join(root, 'huibian.yaml'));
}

/** One line per message, sorted by place: `line:col-line:col severity rule reason`. */
function format(file: VFile, only?: (ruleId: string) => boolean): string {
  return [...file.messages]
    .filter((m) => !only || only(m.ruleId ?? ''))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
    .map((m) => {
      const p = m.place && 'start' in m.place ? m.place : undefined;
      return `${p ? `${p.start.line}:${p.start.column}-${p.end.line}:${p.end.column}` : '1:1-1:1'} ${m.fatal ? 'error' : 'warn'} ${m.ruleId} ${m.reason}`;
    })
    .join('\n');
}

function lintText(path: string, text: string, config: ResolvedConfig) {
  return lintSource(makeSource(path, text), config, root).file;
}

describe('text rule fixtures', () => {
  it('every text rule has ok.md, not-ok.md and expected.txt, and fixed.md when fixable', () => {
    const lacking = textRules.filter((r) => {
      const has = (name: string) => existsSync(join(root, r.id, name));
      return !has('ok.md') || !has('not-ok.md') || !has('expected.txt') || has('fixed.md') !== !!r.fixable;
    });
    expect(lacking.map((r) => r.id)).toEqual([]);
  });

  describe.each(textRules.map((r) => [r.id, r] as const))('%s', (id, rule) => {
    if (rule.fixable) fixTest(id);
    const read = (name: string) => readFileSync(join(root, id, name), 'utf8');

    it('ok.md gives no message of any rule', async () => {
      const config = await configFor(id);
      expect(format(lintText(join(root, id, 'ok.md'), read('ok.md'), config))).toBe('');
    });

    it('not-ok.md gives exactly the expected messages', async () => {
      const config = await configFor(id);
      const file = lintText(join(root, id, 'not-ok.md'), read('not-ok.md'), config);
      expect(format(file, (r) => r === id)).toBe(read('expected.txt').trimEnd());
      // Only text rules speak: the fixture's front-matter and sections are valid.
      expect(format(file, (r) => !r.startsWith('text-'))).toBe('');
    });

  });
});

function fixTest(id: string): void {
    const read = (name: string) => readFileSync(join(root, id, name), 'utf8');
    it('--fix turns not-ok.md into fixed.md, and fixing again changes nothing', async () => {
      const config = await configFor(id);
      const path = join(root, id, 'not-ok.md');
      const fixed = fixSource(makeSource(path, read('not-ok.md')), config, root);
      expect(fixed.text).toBe(read('fixed.md'));
      expect(fixed.applied).toBeGreaterThan(0);
      const again = fixSource(makeSource(path, fixed.text), config, root);
      expect(again.applied).toBe(0);
      expect(again.text).toBe(fixed.text);
      // Whatever the rule still reports after fixing has no fix left (e.g. a genuine lone pinyin gloss is not touched).
      const after = lintText(path, fixed.text, config);
      expect(after.messages.filter((m) => m.ruleId === id && (m as { fix?: unknown }).fix)).toEqual([]);
    });
}

describe('other policies', () => {
  it('text-spacing: forbid removes spaces between Chinese and Latin letters or digits, off checks nothing', async () => {
    const base = await configAt(join(root, 'huibian.yaml'));
    const text = '---\ntitle: 测\n---\n\n使用 API 接口，共 3 个，`x` 中文。\n';
    const forbid = { ...base, lint: { ...base.lint, spacing: 'forbid' as const } };
    const path = join(root, 'spacing.md');
    expect(format(lintText(path, text, forbid), (r) => r === 'text-spacing')).toBe(
      [
        '5:3-5:4 warn text-spacing 中文与拉丁字母或数字之间不应有空格',
        '5:7-5:8 warn text-spacing 中文与拉丁字母或数字之间不应有空格',
        '5:12-5:13 warn text-spacing 中文与拉丁字母或数字之间不应有空格',
        '5:14-5:15 warn text-spacing 中文与拉丁字母或数字之间不应有空格',
      ].join('\n'),
    );
    expect(fixSource(makeSource(path, text), forbid, root).text).toBe('---\ntitle: 测\n---\n\n使用API接口，共3个，`x` 中文。\n');
    expect(format(lintText(path, text, base), (r) => r === 'text-spacing')).toBe('');
  });

  it('text-script: in a zh-Hant compilation simplified-only characters are flagged, shared ones are not', async () => {
    const base = await configAt(join(root, 'huibian.yaml'));
    const hant = { ...base, language: 'zh-Hant' as const };
    const path = join(root, 'hant.md');
    const text = '---\ntitle: 測\n---\n\n黨員們发挥作用，皇后、台灣、乾坤、面積都不變。\n';
    expect(format(lintText(path, text, hant), (r) => r === 'text-script')).toBe(
      ['5:4-5:5 warn text-script 简体字“发”，繁体中文中应为“發”', '5:5-5:6 warn text-script 简体字“挥”，繁体中文中应为“揮”'].join('\n'),
    );
  });
});

describe('inline switches silence text rules', () => {
  it('disable … enable and disable-next-line', async () => {
    const config = await configAt(join(root, 'huibian.yaml'));
    const text = [
      '---',
      'title: 测',
      '---',
      '',
      '<!-- huibian-disable text-punctuation-width -->',
      '',
      '这里,不报。',
      '',
      '<!-- huibian-enable text-punctuation-width -->',
      '',
      '这里,要报。',
      '',
      '<!-- huibian-disable-next-line text-fullwidth-alnum -->',
      '第１次不报，',
      '第２次要报。',
      '',
    ].join('\n');
    const file = lintText(join(root, 'switch.md'), text, config);
    expect(format(file, (r) => r.startsWith('text-'))).toBe(
      ['11:3-11:4 warn text-punctuation-width 中文里的半角“,”，应为全角“，”', '15:2-15:3 warn text-fullwidth-alnum 全角字母或数字“２”，应为半角“2”'].join(
        '\n',
      ),
    );
    // A silenced message carries no fix either: --fix leaves the disabled stretch alone.
    const fixed = fixSource(makeSource(join(root, 'switch.md'), text), config, root).text;
    expect(fixed).toContain('这里,不报。');
    expect(fixed).toContain('第１次不报');
    expect(fixed).toContain('这里，要报。');
  });
});

describe('no false positives on the prose the project ships', () => {
  it('the sample cases, Word-pasted text and generated cases (≥ 50,000 characters) give no text-* message', async () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.md')) files.push(join(dir, e.name));
      }
    };
    walk(join(repo, 'cases'));
    // Text as it comes out of Word (curly quotes, （一） numbering, lists, tables, a path, a URL).
    walk(join(root, 'clean'));
    const sample = await configAt(join(repo, 'huibian.yaml'));
    const generated = generateCompilation(mkdtempSync(join(tmpdir(), 'huibian-text-')), 40, { seed: 5 });
    const generatedConfig = await configAt(generated.config);
    let chars = 0;
    const found: string[] = [];
    for (const [paths, config] of [[files, sample], [generated.files, generatedConfig]] as const) {
      for (const path of paths) {
        const text = readFileSync(path, 'utf8');
        chars += [...text].length;
        const messages = format(lintText(path, text, config), (r) => r.startsWith('text-'));
        if (messages) found.push(`${path}\n${messages}`);
      }
    }
    expect(chars).toBeGreaterThanOrEqual(50_000);
    expect(found).toEqual([]);
  });
});

describe('issue 13: what the first pass got wrong', () => {
  // Each row: a paragraph, and what --fix must make of it (the same text when nothing is wrong). spacing: lint.spacing.
  const rows: Array<[string, string, ('off' | 'require')?]> = [
    // English with curly quotes is English.
    ['He called it “a new era”. Then he left.', 'He called it “a new era”. Then he left.'],
    ['He put it into ‘half-width’! 然后离开。', 'He put it into ‘half-width’! 然后离开。'],
    ['我们的 suppliers’ 报价都已到齐。', '我们的 suppliers’ 报价都已到齐。'],
    ['调用‘foo’(bar)即可。', '调用‘foo’(bar)即可。'],
    // A mark after a Latin word inside a Chinese sentence.
    ['刚刚买了一部 iPhone,好开心!', '刚刚买了一部 iPhone，好开心！'],
    ['中文,bar,中文', '中文，bar，中文'],
    // Signs attached to numbers and words.
    ['概率有0.1%或更少', '概率有 0.1% 或更少', 'require'],
    ['上涨33.80%个基点', '上涨 33.80% 个基点', 'require'],
    ['C++的差别', 'C++ 的差别', 'require'],
    ['值范围-255或+255之间', '值范围 -255 或 +255 之间', 'require'],
    ['2019年-2021年', '2019 年-2021 年', 'require'],
    // Full-width times.
    ['会议于１６：３２开始', '会议于16:32开始'],
    // Paths and anchors without a scheme.
    ['wiki/网页浏览器列表#基於WebKit排版引擎', 'wiki/网页浏览器列表#基於WebKit排版引擎', 'require'],
    ['见 foo-bar_01.htm#测试copy 一节', '见 foo-bar_01.htm#测试copy 一节', 'require'],
    // …but a slash in prose is prose (autocorrect's own path tests: `C/C++/Zig` is not a path).
    ['逐步改善你的C/C++/Zig代码库', '逐步改善你的 C/C++/Zig 代码库', 'require'],
    ['下降至302.3万桶/日', '下降至 302.3 万桶/日', 'require'],
    // Code-like tokens.
    ['用{{jsxref("Proxy","代理句柄")}}表示', '用{{jsxref("Proxy","代理句柄")}}表示'],
    ['开心;-)就好', '开心;-)就好'],
    ['规则后面是否跟随者!import以及规则的来源', '规则后面是否跟随者!import以及规则的来源'],
    // Image alt text is the caption: checked and fixed in place.
    ['![图1 党建,业务示意](../images/a.svg)', '![图1 党建，业务示意](../images/a.svg)'],
    // Quotes across a soft line break and inline markup.
    ['他说"这是\n重点"。', '他说“这是\n重点”。'],
    ['强调**"重点**"内容', '强调**“重点**”内容'],
  ];

  it.each(rows)('%j', async (input, expected, spacing = 'off') => {
    const base = await configAt(join(root, 'huibian.yaml'));
    const config = { ...base, lint: { ...base.lint, spacing } };
    const head = '---\ntitle: 测试\n---\n\n';
    const path = join(root, 'issue13.md');
    const fixed = fixSource(makeSource(path, `${head}${input}\n`), config, root).text;
    expect(fixed).toBe(`${head}${expected}\n`);
    // What is left has nothing more to fix.
    expect(lintText(path, fixed, config).messages.filter((m) => m.ruleId?.startsWith('text-') && (m as { fix?: unknown }).fix)).toEqual([]);
  });

  it('**“重点**” balances: no unmatched-quote message', async () => {
    const config = await configAt(join(root, 'huibian.yaml'));
    const file = lintText(join(root, 'issue13.md'), '---\ntitle: 测试\n---\n\n强调**“重点**”内容，“跨\n行”也配对。\n', config);
    expect(format(file, (r) => r === 'text-quotes')).toBe('');
  });

  it('a caption with a comma is reported at its place in the file', async () => {
    const config = await configAt(join(root, 'huibian.yaml'));
    const file = lintText(join(root, 'issue13.md'), '---\ntitle: 测试\n---\n\n示意如下。\n\n![图1 党建,业务示意](../images/a.svg)\n', config);
    expect(format(file, (r) => r.startsWith('text-'))).toBe('7:8-7:9 warn text-punctuation-width 中文里的半角“,”，应为全角“，”');
  });
});

describe('issue 13: the new rules keep the file as it was around their fixes', () => {
  it('BOM and CRLF stay, only the offending characters change, fixing twice changes nothing', async () => {
    const config = await configAt(join(root, 'huibian.yaml'));
    const lines = ['---', 'title: 测试', '---', '', '目的 。 很多党建 工作\u200b推进，Hello world。', '', '老师说：「要记住」。', ''];
    const text = `\ufeff${lines.join('\r\n')}`;
    const path = join(root, 'crlf.md');
    const fixed = fixSource(makeSource(path, text), config, root);
    expect(fixed.text).toBe(`\ufeff${['---', 'title: 测试', '---', '', '目的。很多党建工作推进，Hello world。', '', '老师说：“要记住”。', ''].join('\r\n')}`);
    expect(fixSource(makeSource(path, fixed.text), config, root).applied).toBe(0);
  });

  it('text-quote-style: a zh-Hant book turns Chinese curly quotes into corner quotes, English ones stay', async () => {
    const base = await configAt(join(root, 'huibian.yaml'));
    const hant = { ...base, language: 'zh-Hant' as const };
    const head = '---\ntitle: 測\n---\n\n';
    const text = `${head}老師說：“要記住‘立志’這句話。”It’s “new” here.\n`;
    const fixed = fixSource(makeSource(join(root, 'hant.md'), text), hant, root).text;
    expect(fixed).toBe(`${head}老師說：「要記住『立志』這句話。」It’s “new” here.\n`);
  });
});

describe('issue 13: agreement with other linters (bench/text-agreement.json)', () => {
  it('≥ 97 % exact, ≤ 3 false positives, no meaning changed', async () => {
    const data = JSON.parse(readFileSync(join(repo, 'bench/text-agreement.json'), 'utf8')) as {
      sources: Array<{ spacing?: 'off' | 'require'; pairs: Array<[string, string]> }>;
    };
    const base = await configAt(join(root, 'huibian.yaml'));
    const head = '---\ntitle: 测试\nunit: 某单位\nsector: 机关\nmeasure: [1]\nmechanism: 六个引领工作法\n---\n\n';
    const path = join(root, 'agreement.md');
    let total = 0;
    let exact = 0;
    let falsePositives = 0;
    const misses: string[] = [];
    for (const source of data.sources) {
      const config = { ...base, lint: { ...base.lint, spacing: source.spacing ?? ('require' as const) } };
      for (const [input, expected] of source.pairs) {
        total++;
        const fixed = fixSource(makeSource(path, `${head}${input}\n`), config, root).text.slice(head.length, -1);
        if (fixed === expected) exact++;
        else misses.push(`${input} → ${fixed}（应为 ${expected}）`);
        falsePositives += [...lintText(path, `${head}${expected}\n`, config).messages].filter((m) => m.ruleId?.startsWith('text-')).length;
      }
    }
    expect(total).toBeGreaterThanOrEqual(140);
    expect({ misses: misses.slice(0, 5), ok: exact / total >= 0.97 }).toEqual({ misses: misses.slice(0, 5), ok: true });
    expect(falsePositives).toBeLessThanOrEqual(3);
  });
});
