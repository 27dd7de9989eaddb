// Bad input never crashes: a short fuzz run (the long one is `npm run fuzz`), named nasty inputs, and the CLI on them.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint } from '../src/index.js';
import { buildCompilation } from '../src/compile/group.js';
import { renderBook } from '../src/render/book.js';
// @ts-expect-error plain JS harness shared with `npm run fuzz`
import { activeContent, checkInput, inputArbitrary, loadSeeds, makeWorkdir } from '../scripts/fuzz.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const pipeline = { lint, buildCompilation, renderBook };
const seeds = loadSeeds();
// A fixed seed keeps `npm test` repeatable; HUIBIAN_FUZZ_SEED explores other inputs.
const seed = Number(process.env.HUIBIAN_FUZZ_SEED ?? 20261101);
const runs = Number(process.env.HUIBIAN_FUZZ_RUNS ?? 200);

describe('fuzzed huibian.yaml and case files', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeWorkdir();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`lint and the HTML stage keep the exit-code contract over ${runs} mutated inputs (seed ${seed})`, async () => {
    const exits = { 0: 0, 1: 0, 2: 0 } as Record<number, number>;
    await fc.assert(
      fc.asyncProperty(inputArbitrary(seeds, { hugeSize: 100_000 }), async (input) => {
        const r = await checkInput(pipeline, input, dir, { timeLimit: 20_000 });
        exits[r.exitCode]++;
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    // The mutations reach every outcome: clean, case errors, broken config.
    expect(exits[0]! + exits[1]! + exits[2]!).toBe(runs);
    expect(exits[1]).toBeGreaterThan(0);
    expect(exits[2]).toBeGreaterThan(0);
  }, 600_000);
});

/** A compilation folder with the sample config and one case, for the named inputs below. */
function compilation(config: string | Buffer, kase: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'huibian-nasty-'));
  mkdirSync(join(dir, 'cases'));
  writeFileSync(join(dir, 'huibian.yaml'), config);
  writeFileSync(join(dir, 'cases', 'a.md'), kase);
  return dir;
}

const dirs: string[] = [];
function nasty(config: string | Buffer, kase: string | Buffer): string {
  const dir = compilation(config, kase);
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function messages(result: Awaited<ReturnType<typeof lint>>): string[] {
  return result.files.flatMap((f) => f.messages.map((m) => `${m.ruleId} ${m.reason}`));
}

const goodCase = seeds.cases[0].text as string;
const frontMatterEnd = goodCase.indexOf('\n---\n') + 5;

describe('named nasty inputs', () => {
  it('a billion-laughs huibian.yaml is refused (exit 2) without expanding it', async () => {
    const levels = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 9; i++) levels.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const started = performance.now();
    const result = await lint({ cwd: nasty(`${levels.join('\n')}\n${seeds.config}`, goodCase) });
    expect(result.exitCode).toBe(2);
    expect(messages(result).join('\n')).toContain('YAML 的别名展开过多');
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('deeply nested YAML in the config and in a front-matter ends in messages', async () => {
    const deep = `deep: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    const config = await lint({ cwd: nasty(deep + seeds.config, goodCase) });
    expect(config.exitCode).toBe(2);
    const kase = await lint({ cwd: nasty(seeds.config, goodCase.replace('---\n', `---\n${deep}`)) });
    expect(kase.exitCode).toBe(1);
    expect(messages(kase).length).toBeGreaterThan(0);
  });

  it('a paragraph of thousands of reference images is refused by body-limits instead of parsing for minutes', async () => {
    // Found by `npm run fuzz` (seed 7, input 790): definitions cannot interrupt a paragraph, so this is one paragraph of
    // 10,000 bracket constructs, which micromark resolves in quadratic time.
    const refs = Array.from({ length: 5000 }, (_, i) => `[r${i}]: ../../x${i}.png\n![图][r${i}]`).join('\n');
    const result = await lint({ cwd: nasty(seeds.config, goodCase + '\n\n' + refs + '\n') });
    expect(result.exitCode).toBe(1);
    expect(messages(result).filter((m) => m.startsWith('body-limits'))).toEqual([
      'body-limits 一段中有 15000 个“[”（链接、图片或脚注），超过上限 500 个；请分段或删去多余的符号',
    ]);
  });

  it('YAML over 256 K characters is refused before parsing, in the config and in a front-matter', async () => {
    // Found by `npm run fuzz`: 880 KB of brackets in huibian.yaml kept the YAML parser busy for minutes.
    const huge = `big: ${'['.repeat(300_000)}\n`;
    const config = await lint({ cwd: nasty(huge + seeds.config, goodCase) });
    expect(config.exitCode).toBe(2);
    expect(messages(config)).toEqual([expect.stringMatching(/^config YAML 内容有 29\d K 个字符，超过上限 256 K/)]);
    const kase = await lint({ cwd: nasty(seeds.config, goodCase.replace('---\n', `---\n${huge}`)) });
    const limits = messages(kase).filter((m) => /^(yaml-syntax|body-limits) /.test(m));
    expect(limits).toEqual([expect.stringMatching(/^yaml-syntax YAML 内容有 29\d K 个字符，超过上限 256 K/)]);
  });

  it('YAML with an error at every character reports the first 20 and counts the rest', async () => {
    // Found by `npm run fuzz` (seed 20261126): 89,000 `[` inside huibian.yaml gave 89,000 messages on one line,
    // and placing each on that line took half a minute.
    const broken = seeds.config.replace('title:', `x: ${'['.repeat(89_000)} y\ntitle:`);
    const result = await lint({ cwd: nasty(broken, goodCase) });
    expect(result.exitCode).toBe(2);
    const lines = messages(result);
    expect(lines).toHaveLength(21);
    expect(lines.slice(0, 20).every((m) => m.startsWith('config YAML 语法错误：'))).toBe(true);
    expect(lines[20]).toMatch(/^config YAML 语法错误：另有 \d+ 处错误未列出；请先改正上面的错误$/);
  });

  it('markup in a huibian.yaml value is shown as escaped text, never as an element', async () => {
    // From `npm run fuzz` (seed 20261126, input 3165): a measure group written as `方<img src=x onerror=…>法`.
    const config = seeds.config.replace('group: 方法', 'group: 方<img src=x onerror=alert(1)>法');
    const result = await lint({ cwd: nasty(config, goodCase) });
    expect(result.config).toBeDefined();
    const cases = result.linted.map((l) => l.case).filter((c) => c !== undefined);
    const html = (await renderBook(buildCompilation(cases, result.config!), { target: 'web' })).html;
    expect(html).toContain('方&lt;img src=x onerror=alert(1)&gt;法');
    expect(activeContent(html)).toBeUndefined();
    // The harness's check finds the real thing.
    expect(activeContent('<p>x<img src=x onerror=alert(1)></p>')).toBe('img onerror');
  });

  it('NUL bytes and invalid UTF-8 are reported, not thrown', async () => {
    const nul = await lint({ cwd: nasty(seeds.config, goodCase.replace('基本情况', '基本\0情况')) });
    expect([0, 1]).toContain(nul.exitCode);
    const bytes = Buffer.concat([Buffer.from(goodCase.slice(0, 200)), Buffer.from([0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80]), Buffer.from(goodCase.slice(200))]);
    const invalid = await lint({ cwd: nasty(seeds.config, bytes) });
    expect(invalid.exitCode).toBe(1);
    expect(messages(invalid).join('\n')).toMatch(/^encoding 文件不是 UTF-8 编码/m);
  });

  it('a case over 1 MB is refused with the limit named', async () => {
    const big = goodCase + '正文'.repeat(600_000);
    const result = await lint({ cwd: nasty(seeds.config, big) });
    expect(result.exitCode).toBe(1);
    expect(messages(result)).toEqual([expect.stringMatching(/^file-unreadable 文件有 3\.\d MB，超过上限 1 MB；/)]);
  });

  it('nesting and delimiter bombs become body-limits errors, quickly', async () => {
    const bombs = ['>'.repeat(50_000), '*'.repeat(30_000) + '强调' + '*'.repeat(30_000), '<div>'.repeat(10_000), '- '.repeat(5_000) + '项'];
    const started = performance.now();
    const result = await lint({ cwd: nasty(seeds.config, goodCase.slice(0, frontMatterEnd) + bombs.join('\n\n') + goodCase.slice(frontMatterEnd)) });
    expect(result.exitCode).toBe(1);
    const limits = messages(result).filter((m) => m.startsWith('body-limits'));
    expect(limits).toHaveLength(5); // one line of >, two runs of *, the divs, one line of list markers
    // Without the limits these inputs take micromark many minutes (8,000 asterisks alone took 36 s); the bound is
    // generous because this 2-core machine is often shared, and it still tells "limited" from "hung".
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it('long runs of one character in a heading, a front-matter value, a measure list and a sector name lint in seconds', async () => {
    // `npm run fuzz` (seed 22755) found lint still running after five minutes on 559,454 spaces inside a heading: the
    // section-missing rule stripped trailing punctuation with /[\s:：。.]+$/, which tries the run from each space. The
    // same shape was in the fast front-matter reader (a value's and a list item's trailing spaces) and the sector's
    // closing quotes. Each input below took 20 s to hours that way; now each takes a fraction of a second. The
    // front-matter's runs stay under its 256 K limit, which refuses it unread.
    const run = (ch: string, n: number) => ch.repeat(n);
    const baseline = messages(await lint({ cwd: nasty(seeds.config, goodCase) }));
    // What each input must still give: the heading is still found as a section (nothing beyond the sample's own
    // messages), the title is read whole, the list item and the sector are read and refused.
    const inputs: [string, string, (result: Awaited<ReturnType<typeof lint>>) => void][] = [
      ['heading', goodCase.replace(/^## (.*)$/m, (_, heading) => `## ${heading}${run(' ', 500_000)}x`), (r) => expect(messages(r)).toEqual(baseline)],
      ['title', goodCase.replace(/^(title: *)(.*)$/m, (_, key, value) => `${key}${value}${run(' ', 240_000)}x`), (r) => expect(r.linted[0]?.case?.title).toMatch(/ {240000}x$/)],
      ['measure', goodCase.replace(/^measure: \[5,/m, `measure: [5${run(' ', 240_000)}x,`), (r) => expect(messages(r)).toContainEqual(expect.stringMatching(/^field-type “measure”/))],
      ['sector', goodCase.replace(/^(sector: *)(.*)$/m, (_, key, value) => `${key}"${value}${run('”', 240_000)}x"`), (r) => expect(messages(r)).toContainEqual(expect.stringMatching(/^unknown-sector /))],
    ];
    for (const [what, kase, check] of inputs) {
      expect(kase, what).not.toBe(goodCase);
      const started = performance.now();
      const result = await lint({ cwd: nasty(seeds.config, kase) });
      // The bound tells "linear" from quadratic with room for a shared machine.
      expect(performance.now() - started, what).toBeLessThan(10_000);
      expect(result.exitCode, what).toBe(1);
      check(result);
    }
  });

  it('an HTML block of 200,000 unclosed <a (140,000 <img) lints in seconds, and the tag after them is still read', async () => {
    // link-path and image-path found href and src with /<a\b[^>]*?\bhref…/, which, finding no href before the tag's
    // `>`, tried again from the next `<a` up to the same `>`: 32,000 of them took 1.1 s, 1 MB about 45 s. The
    // tokenizer reads each character once. The run is one tag without href (each `<a` in it is an attribute name);
    // the tag after it is read as before. The img run is shorter: over 1 MB, the case would be refused unread.
    const block = (open: string, n: number, after: string) => `<div>\n${`${open} x `.repeat(n)}>${after}\n</div>`;
    const inputs: [string, string, RegExp][] = [
      ['<a', block('<a', 200_000, '文字</a><a href="../../../secret.txt">链接</a>'), /^link-path 链接“\.\.\/\.\.\/\.\.\/secret\.txt”指向汇编根目录之外/],
      ['<img', block('<img', 140_000, '<img src="../../../secret.png">'), /^image-path 图片“\.\.\/\.\.\/\.\.\/secret\.png”在汇编根目录之外/],
    ];
    const paths = (result: Awaited<ReturnType<typeof lint>>) => messages(result).filter((m) => /^(link|image)-path /.test(m));
    const baseline = paths(await lint({ cwd: nasty(seeds.config, goodCase) }));
    for (const [what, html, right] of inputs) {
      const kase = goodCase.replace(/^## /m, `${html}\n\n## `);
      expect(kase, what).not.toBe(goodCase);
      const started = performance.now();
      const result = await lint({ cwd: nasty(seeds.config, kase) });
      // The bound tells "linear" from quadratic with room for a shared machine.
      expect(performance.now() - started, what).toBeLessThan(10_000);
      expect(result.exitCode, what).toBe(1);
      // The sample's own messages (an image the test folder lacks), and the one URL.
      expect(paths(result).filter((m) => !baseline.includes(m)), what).toEqual([expect.stringMatching(right)]);
    }
  });

  it('every field of the config and of a case, set to each wrong type, gives a message and no exception', async () => {
    const wrong = [null, true, 0, -1, 1.5, '', [], {}, [[]], { a: 1 }, 'x'.repeat(5000)];
    const configKeys = ['title', 'subtitle', 'date', 'language', 'cases', 'out', 'name', 'preface', 'template', 'browser', 'page', 'fonts', 'lint', 'rules', 'sectors', 'measures', 'mechanisms'];
    const caseKeys = ['title', 'unit', 'sector', 'measure', 'mechanism', 'id', 'order', 'date', 'summary', 'tags', 'draft'];
    const { parseDocument } = await import('yaml');
    const dir = nasty(seeds.config, goodCase);
    let checked = 0;
    for (const value of wrong) {
      for (const key of configKeys) {
        const doc = parseDocument(seeds.config);
        doc.set(key, value);
        writeFileSync(join(dir, 'huibian.yaml'), doc.toString());
        const r = await lint({ cwd: dir });
        expect([0, 1, 2]).toContain(r.exitCode);
        checked++;
      }
      writeFileSync(join(dir, 'huibian.yaml'), seeds.config);
      for (const key of caseKeys) {
        const doc = parseDocument(goodCase.slice(4, frontMatterEnd - 5));
        doc.set(key, value);
        writeFileSync(join(dir, 'cases', 'a.md'), `---\n${doc.toString()}---\n${goodCase.slice(frontMatterEnd)}`);
        const r = await lint({ cwd: dir });
        expect([0, 1]).toContain(r.exitCode);
        checked++;
      }
    }
    expect(checked).toBe(wrong.length * (configKeys.length + caseKeys.length));
  }, 300_000);
});

/** Run the built CLI; resolves with its exit code and output. */
function cli(args: string[], cwd: string, timeout = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(repo, 'bin', 'huibian.js'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`huibian ${args.join(' ')} did not finish in ${timeout} ms`));
    }, timeout);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const stackTrace = /\n\s+at .+:\d+|^\w*Error:|node:internal/m;

describe('the CLI on nasty inputs: a documented exit code and no stack trace', () => {
  it('lint: alias bomb config, config that is a folder, a device as config, a FIFO as a case', async () => {
    const bomb = nasty(`a: &a [1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n${seeds.config}`, goodCase);
    const folder = nasty(seeds.config, goodCase);
    mkdirSync(join(folder, 'sub', 'huibian.yaml'), { recursive: true });
    const fifo = nasty(seeds.config, goodCase);
    execFileSync('mkfifo', [join(fifo, 'cases', 'pipe.md')]);
    const runsOf = await Promise.all([
      cli(['lint'], bomb),
      cli(['lint', '--config', 'sub/huibian.yaml'], folder),
      cli(['lint', '--config', '/dev/zero'], folder),
      cli(['lint', 'cases/pipe.md'], fifo),
    ]);
    expect(runsOf.map((r) => r.code)).toEqual([2, 2, 2, 1]);
    for (const r of runsOf) {
      expect(r.stderr + r.stdout).not.toMatch(stackTrace);
      expect(r.stderr + r.stdout).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(runsOf[0]!.stderr).toContain('YAML 的别名展开过多');
    expect(runsOf[1]!.stderr).toContain('这是一个文件夹');
    expect(runsOf[2]!.stderr).toContain('不是普通文件');
    expect(runsOf[3]!.stdout).toContain('不是普通文件');
  });

  it('compile --format html: random bytes as a case, an HTML bomb, a truncated config', async () => {
    const random = nasty(seeds.config, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
    const bomb = nasty(seeds.config, goodCase + '<span>'.repeat(2_000));
    const truncated = nasty(seeds.config.slice(0, 700), goodCase);
    const runsOf = await Promise.all([
      cli(['compile', '--format', 'html'], random),
      cli(['compile', '--format', 'html'], bomb),
      cli(['compile', '--format', 'html'], truncated),
    ]);
    expect(runsOf.map((r) => r.code)).toEqual([1, 1, 2]);
    for (const r of runsOf) expect(r.stderr + r.stdout).not.toMatch(stackTrace);
    expect(runsOf[1]!.stderr).toContain('HTML 元素嵌套超过上限');
  });
});
