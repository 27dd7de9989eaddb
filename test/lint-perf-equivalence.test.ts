// The fast paths of lint must not change what it says: checking on several threads gives exactly the messages (and,
// on demand, the trees and cases) of one thread, and the parser built for speed gives remark's tree.
//
// The threaded path runs the compiled worker, so this file imports dist/ (`npm test` builds it first; when running
// this file alone, run `npx tsc -p .` before).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import remarkCjkFriendly from 'remark-cjk-friendly';
import remarkFrontmatter from 'remark-frontmatter';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCompilation } from '../bench/generate.js';
import type { LintedFile } from '../src/lint/run.js';
import type { ResolvedConfig } from '../src/config/load.js';
import type { Diagnostic } from '../src/shared/diagnostics.js';
import { markdownFiles } from './helpers/files.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const dist = (path: string) => import(join(repo, 'dist', path));

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});


/** A message as every reporter sees it: all the fields huibian sets. */
function plain(m: Diagnostic) {
  return {
    reason: m.reason,
    ruleId: m.ruleId,
    source: m.source,
    fatal: m.fatal,
    url: m.url,
    name: m.name,
    file: m.file,
    line: m.line,
    column: m.column,
    place: m.place,
    range: m.range,
    fix: m.fix,
    cause: m.cause instanceof Error ? m.cause.message : m.cause,
  };
}

function messagesOf(linted: readonly LintedFile[]) {
  return linted.map((l) => ({ path: l.file.path, value: l.file.value, messages: (l.file.messages as Diagnostic[]).map(plain) }));
}

describe('lint on several threads', () => {
  let root: string;
  let config: ResolvedConfig;
  let paths: string[];
  let lintFiles: (paths: readonly string[], config: ResolvedConfig, cwd: string, signal?: AbortSignal, options?: { threads?: number }) => Promise<LintedFile[]>;
  let serial: LintedFile[];

  beforeAll(async () => {
    // ~60 generated cases, plus every lint and text-rule fixture: broken front-matter, an unreadable GB18030 file,
    // inline switches, fixes, and many files named ok.md/not-ok.md, so duplicate-id compares files of different threads.
    root = mkdtempSync(join(tmpdir(), 'huibian-lint-perf-'));
    dirs.push(root);
    generateCompilation(root, 60, { seed: 3 });
    for (const group of ['lint', 'text']) {
      const from = join(repo, 'test', 'fixtures', group);
      for (const file of markdownFiles(from)) cpSync(file, join(root, 'cases', 'fixtures', group, relative(from, file)));
    }
    writeFileSync(join(root, 'cases', 'fixtures', 'empty.md'), '');
    ({ lintFiles } = await dist('lint/run.js'));
    const { loadConfig } = await dist('config/load.js');
    const { collectFiles } = await dist('lint/collect.js');
    const loaded = await loadConfig({ cwd: root });
    if (!loaded.ok) throw new Error(String(loaded.file.messages[0]));
    config = loaded.config;
    paths = (await collectFiles([config.casesDir], root)).files;
    serial = await lintFiles(paths, config, root, undefined, { threads: 1 });
  });

  it('checks a compilation with many kinds of message', () => {
    expect(paths.length).toBeGreaterThan(100);
    const rules = new Set(serial.flatMap((l) => l.file.messages.map((m) => m.ruleId)));
    for (const id of ['duplicate-id', 'encoding', 'yaml-syntax', 'unknown-sector', 'text-quotes', 'field-required']) expect(rules).toContain(id);
    expect(serial.some((l) => !l.document)).toBe(true);
  });

  for (const threads of [2, 3]) {
    it(`gives the same messages, in the same order, on ${threads} threads`, async () => {
      const parallel = await lintFiles(paths, config, root, undefined, { threads });
      expect(messagesOf(parallel)).toEqual(messagesOf(serial));
      // How files divide between the threads depends on timing (a worker starts in ~0.5 s); with the main thread
      // left out, the workers check every file, and each comes back with a tree built only on first use.
      const workersOnly = await lintFiles(paths, config, root, undefined, { threads, mainThread: false });
      const fromWorkers = workersOnly.filter((l) => l.document && Object.getOwnPropertyDescriptor(l.document, 'mdast')?.get);
      expect(fromWorkers).toHaveLength(workersOnly.filter((l) => l.document).length);
      expect(messagesOf(workersOnly)).toEqual(messagesOf(serial));
    });
  }

  it('rebuilds, on demand, the same documents and cases as one thread', async () => {
    const parallel = await lintFiles(paths, config, root, undefined, { threads: 2 });
    for (let i = 0; i < paths.length; i++) {
      const [a, b] = [serial[i]!, parallel[i]!];
      expect(!!b.document).toBe(!!a.document);
      if (!a.document || !b.document) continue;
      expect(b.document.mdast).toEqual(a.document.mdast);
      expect(b.document.source).toEqual(a.document.source);
      expect([b.document.relPath, b.document.bodyRange, b.document.limitProblems]).toEqual([a.document.relPath, a.document.bodyRange, a.document.limitProblems]);
      const [fa, fb] = [a.document.frontMatter, b.document.frontMatter];
      expect(fb?.range).toEqual(fa?.range);
      expect(fb?.data).toEqual(fa?.data);
      expect(fb?.problems).toEqual(fa?.problems);
      expect(fb?.doc?.toString()).toEqual(fa?.doc?.toString());
      const withoutDocument = (l: LintedFile) => (l.case ? { ...l.case, document: undefined } : undefined);
      expect(withoutDocument(b)).toEqual(withoutDocument(a));
    }
  });

  it('stops when the signal aborts', async () => {
    const controller = new AbortController();
    const run = lintFiles(paths, config, root, controller.signal, { threads: 2 });
    controller.abort(new Error('stopped'));
    await expect(run).rejects.toThrow('stopped');
  });
});

describe('the Markdown parser', () => {
  // The configuration remark-parse + plugins gave before parse.ts called fromMarkdown itself.
  const remark = unified().use(remarkParse).use(remarkGfm).use(remarkCjkFriendly).use(remarkFrontmatter, ['yaml']);
  const root = mkdtempSync(join(tmpdir(), 'huibian-parse-'));
  dirs.push(root);
  const generated = generateCompilation(root, 60, { seed: 11 }).files;
  const corpus = [...markdownFiles(join(repo, 'cases')), ...markdownFiles(join(repo, 'test', 'fixtures')), ...generated, join(repo, 'preface.md')]
    .map((f) => readFileSync(f, 'utf8'));
  const autolinks = [
    '见 www.example.com 与 https://example.org/a?b=1。',
    '邮箱 party@example.cn，或 mailto:a@b.cn、xmpp:a@b.cn/x。',
    '字符引用也能拼出地址：a&#64;b.cn 与 www&period;example&period;com 。',
    'HTTP://EXAMPLE.COM 大写也算；http:/不算；wwwexample 不算。',
    '[已有链接 www.a.com](https://a.com) 与 <https://b.com>，以及 `www.c.com`。',
  ];

  it('gives the tree remark gives, on every sample, fixture and generated case', async () => {
    const { parseMarkdown } = await import('../src/case/parse.js');
    const { guardMarkdown, pruneDeepTree } = await import('../src/case/limits.js');
    const { guardHtmlNesting } = await import('../src/case/html-nesting.js');
    expect(corpus.length).toBeGreaterThan(100);
    for (const text of [...corpus, ...autolinks]) {
      const guarded = guardMarkdown(text).text;
      const expected = remark.parse(guarded);
      pruneDeepTree(expected);
      guardHtmlNesting(expected, guarded);
      expect(parseMarkdown(text)).toEqual(expected);
    }
  });

  it('still finds autolink literals, written or made by character references', async () => {
    const { parseMarkdown } = await import('../src/case/parse.js');
    const links = autolinks.slice(0, 3).map((t) => JSON.stringify(parseMarkdown(t)).match(/"type":"link"/g)?.length ?? 0);
    expect(links).toEqual([2, 3, 2]);
  });
});

describe('the quick front-matter reader', () => {
  const root = mkdtempSync(join(tmpdir(), 'huibian-yaml-'));
  dirs.push(root);
  const generated = generateCompilation(root, 60, { seed: 5 }).files;
  const frontMatters = [...markdownFiles(join(repo, 'cases')), ...markdownFiles(join(repo, 'test', 'fixtures')), ...generated]
    .map((f) => readFileSync(f, 'utf8').replace(/^\uFEFF/, ''))
    .flatMap((text) => /^---\r?\n([\s\S]*?\r?\n)---/.exec(text)?.[1] ?? []);

  it('reads every generated front-matter, to the value the yaml package reads', async () => {
    const { readSimpleYaml } = await import('../src/case/simple-yaml.js');
    const { parseYaml } = await import('../src/shared/yaml-parse.js');
    let read = 0;
    for (const text of frontMatters) {
      const quick = readSimpleYaml(text);
      if (!quick) continue;
      read++;
      const full = parseYaml(text);
      expect(full.ok && full.value).toEqual(quick.value);
    }
    for (const text of generated.map((f) => readFileSync(f, 'utf8').split('\n---\n')[0]!.slice(4) + '\n')) expect(readSimpleYaml(text)).toBeDefined();
    expect(read).toBeGreaterThan(60);
  });

  it('gives the yaml package\'s value whenever it reads a text at all, or leaves the text to the package', async () => {
    const { readSimpleYaml } = await import('../src/case/simple-yaml.js');
    const { parseYaml } = await import('../src/shared/yaml-parse.js');
    // Mostly the pieces case values are made of, sometimes one that matters to YAML: indicators, quotes,
    // separators, spaces of every kind, numbers and keywords.
    const tricky = fc.constantFrom(
      '"', "'", ',', ', ', '[', ']', '{', '}', ':', ': ', '#', ' #', '-', '- ', '?', '!', '&', '*', '|', '>', '%', '@', '`', '\\',
      '  ', '\t', '\u3000', '\u00a0', '007', '.5', '1e3', '0x1F', '0o7', '+', 'true', 'False', 'NULL', '~', 'null', '.inf',
      '.NaN', '\r', '\u2028', '😀',
    );
    const plain = fc.constantFrom('a', 'Z', '党建', '（一）', '“融合”', '——', '。', ' ', '0', '1', '12', '2024-05', 'x.y', 'a_b');
    const piece = fc.oneof({ arbitrary: plain, weight: 12 }, { arbitrary: tricky, weight: 1 });
    const scalar = fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
    const value = fc.oneof(
      { arbitrary: scalar, weight: 4 },
      { arbitrary: scalar.map((v) => `"${v}"`), weight: 1 },
      { arbitrary: scalar.map((v) => `'${v}'`), weight: 1 },
      { arbitrary: fc.array(fc.oneof(scalar, scalar.map((v) => `"${v}"`)), { maxLength: 4 }).map((items) => `[${items.join(', ')}]`), weight: 2 },
      { arbitrary: fc.array(scalar, { maxLength: 3 }).map((items) => `[${items.join(',')}]`), weight: 1 },
    );
    const key = fc.constantFrom('title', 'id', 'tags', 'measure', 'a-b', '_x', 'x1', 'Y', 'true', 'Null', '__proto__', 'constructor');
    const separator = fc.oneof({ arbitrary: fc.constant(': '), weight: 12 }, { arbitrary: fc.constantFrom(':  ', ':', ' : '), weight: 1 });
    const ending = fc.oneof({ arbitrary: fc.constant(''), weight: 12 }, { arbitrary: fc.constantFrom(' ', '  # c'), weight: 1 });
    const line = fc.oneof(
      { arbitrary: fc.tuple(key, separator, value, ending).map((p) => p.join('')), weight: 12 },
      { arbitrary: fc.constantFrom('', ' ', '# c', '- a', '---', '  more'), weight: 1 },
    );
    const text = fc.array(line, { minLength: 1, maxLength: 4 }).map((lines) => lines.join('\n') + '\n');
    let read = 0;
    fc.assert(
      fc.property(text, (yaml) => {
        const quick = readSimpleYaml(yaml);
        if (!quick) return;
        read++;
        const full = parseYaml(yaml);
        expect(full.ok).toBe(true);
        expect(full.ok && full.value).toEqual(quick.value);
      }),
      { numRuns: 20000 },
    );
    // The property means something only if the reader took a fair share of the texts.
    expect(read).toBeGreaterThan(2000);
  });
});
