// `huibian compile --watch` with real files, a real kept Chromium and poppler: a save rewrites the PDF, a bad save
// keeps it, a killed browser is launched again, saves during a build queue one more build, a save of the same bytes
// builds nothing, and Ctrl-C leaves no Chromium and no profile folder behind.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compile, compileWatch, type WatchBuild } from '../src/index.js';
import type { Progress } from '../src/shared/progress.js';
import { pageTexts, processesMatching, squash } from './helpers/pdf.js';

const fixture = fileURLToPath(new URL('./fixtures/compile/book/', import.meta.url));
const bin = fileURLToPath(new URL('../bin/huibian.js', import.meta.url));
const casePath = join('cases', 'soe', 'shougang.md');
const pdfName = join('out', '测试汇编.pdf');

/** Chromium's profile folders go under TMPDIR: a private one tells this test's browsers from any other's. */
const scratch = tmpdir();
let browserTmp: string;
let tmpBefore: string | undefined;
beforeEach(() => {
  tmpBefore = process.env.TMPDIR;
  browserTmp = mkdtempSync(join(scratch, 'huibian-watch-tmp-'));
  process.env.TMPDIR = browserTmp;
});
afterEach(() => {
  if (tmpBefore === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = tmpBefore;
});

function copyOfFixture(): string {
  const dir = mkdtempSync(join(scratch, 'huibian-watch-'));
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

/** The browser's own process (its helpers, one renderer per page among them, have `--type=`). */
function mainBrowsers(): number[] {
  return processesMatching(browserTmp).filter((pid) => {
    try {
      return !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=');
    } catch {
      return false;
    }
  });
}

function profiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('huibian-chromium-'));
}

function pdfText(dir: string): string {
  return squash(pageTexts(join(dir, pdfName)).join('\n'));
}

/**
 * Replace `from` by `to` in a case file, saved the way many editors save: a hidden temporary file renamed over the
 * case, so one save is one event (a write in place can be two, a truncate and a write, which a loaded machine can
 * space further apart than the debounce).
 */
function edit(dir: string, from: string | RegExp, to: string): void {
  const path = join(dir, casePath);
  const text = readFileSync(path, 'utf8');
  const next = text.replace(from, to);
  expect(next, `the edit changes ${casePath}`).not.toBe(text);
  const temporary = join(dir, 'cases', 'soe', '.shougang.md.swp');
  writeFileSync(temporary, next);
  renameSync(temporary, path);
}

describe('compileWatch', () => {
  it('rebuilds on save, keeps the PDF on a bad save, relaunches a killed browser, queues one build for saves during a build, skips a save of the same bytes, and stops clean', async () => {
    const dir = copyOfFixture();
    let log = '';
    const stderr = new Writable({
      write(chunk, _enc, done) {
        log += String(chunk);
        done();
      },
    });
    const builds: WatchBuild[] = [];
    // Saves made while a build runs, at two stages of it (each its own burst: the debounce is 20 ms).
    let duringBuild: ((stage: string) => void) | undefined;
    const progress: Progress = { stage: (text) => duringBuild?.(text), line() {}, end() {} };
    const controller = new AbortController();
    const watching = compileWatch({
      cwd: dir,
      formats: ['pdf'],
      env: { SOURCE_DATE_EPOCH: '1780000000' },
      streams: { stdout: stderr, stderr },
      progress,
      debounceMs: 20,
      signal: controller.signal,
      onBuild: (build) => builds.push(build),
    });
    const built = (n: number) => expect.poll(() => builds.length, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(n);

    await built(1);
    expect(builds[0]!.result.exitCode).toBe(0);
    await expect.poll(() => log).toContain('正在监视');
    const first = readFileSync(join(dir, pdfName));
    const firstBrowser = mainBrowsers();
    expect(firstBrowser.length, 'the browser is kept running between builds').toBe(1);

    // A one-word edit: the PDF is rewritten with the new text, and the loop says so in one line.
    edit(dir, '百年历史', '百年风华');
    await built(2);
    expect(builds[1]!.result.exitCode).toBe(0);
    expect(pdfText(dir)).toContain('百年风华');
    expect(log).toMatch(/\[\d\d:\d\d:\d\d\] 第 2 次生成：6 个案例，\d+ 页，排版 \d+ 次(，沿用 \d+ 段)?，用时 \d+\.\d 秒 → out\/测试汇编\.pdf\n/);
    expect(mainBrowsers(), 'the same browser printed it').toEqual(firstBrowser);

    // A save with a lint error: the errors are shown, the previous PDF stays byte for byte, the loop goes on.
    const good = readFileSync(join(dir, pdfName));
    expect(good.equals(first)).toBe(false);
    edit(dir, /^sector: soe$/m, 'sector: 国营企业');
    await built(3);
    expect(builds[2]!.result.exitCode).toBe(1);
    expect(log).toContain('未知的领域“国营企业”');
    expect(log).toMatch(/第 3 次生成未完成（案例有错误），输出保持上一版/);
    expect(readFileSync(join(dir, pdfName)).equals(good)).toBe(true);

    // The browser dies between builds: the next save launches a new one and the build succeeds.
    for (const pid of processesMatching(browserTmp)) process.kill(pid, 'SIGKILL');
    await expect.poll(() => processesMatching(browserTmp), { timeout: 10_000 }).toEqual([]);
    edit(dir, 'sector: 国营企业', 'sector: soe');
    await built(4);
    expect(builds[3]!.result.exitCode, log).toBe(0);
    expect(mainBrowsers()).toHaveLength(1);
    expect(mainBrowsers()).not.toEqual(firstBrowser);

    // Two saves while build 5 runs make exactly one more build, which sees both.
    // (As the build starts, and as its print starts: printing, merging and writing take far longer than the debounce.)
    const saves = new Map<string, string>([
      ['检查案例', '（甲句已存）'],
      ['排版 PDF', '（乙句已存）'],
    ]);
    duringBuild = (stage) => {
      for (const [prefix, text] of saves) {
        if (!stage.startsWith(prefix)) continue;
        saves.delete(prefix);
        edit(dir, '## 一、基本情况\n', `## 一、基本情况\n\n${text}\n`);
      }
    };
    edit(dir, '百年风华', '百年沧桑');
    await built(6);
    expect(saves.size, 'both saves were made during build 5').toBe(0);
    // Quiet for a while: no seventh build comes.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(builds.length).toBe(6);
    expect(log).not.toContain('第 7 次');
    expect(builds[5]!.result.exitCode).toBe(0);
    const text = pdfText(dir);
    for (const expected of ['百年沧桑', '甲句已存', '乙句已存']) expect(text).toContain(expected);

    // A save that changes no byte rebuilds nothing.
    const pdf = readFileSync(join(dir, pdfName));
    const path = join(dir, casePath);
    writeFileSync(path, readFileSync(path));
    await expect.poll(() => log, { timeout: 10_000 }).toContain('输入的内容与上一版相同，未重新生成');
    expect(builds.length).toBe(6);
    expect(readFileSync(join(dir, pdfName)).equals(pdf)).toBe(true);

    controller.abort(new Error('Ctrl-C'));
    const result = await watching;
    expect(result).toMatchObject({ exitCode: 0, builds: 6 });
    expect(log).toContain('已停止监视。\n');
    expect(processesMatching(browserTmp)).toEqual([]);
    // (A Chromium killed outright leaves a file of its own in TMPDIR; huibian's profile folders are what it removes.)
    expect(profiles(browserTmp), 'no profile folder is left').toEqual([]);
  });
});

describe('compileWatch: the kept book page', () => {
  it("puts each rebuild's book into the page kept from the last build, with the same bytes as a cold compile, and loads afresh when the head changes", async () => {
    const dir = copyOfFixture();
    const env = { SOURCE_DATE_EPOCH: '1780000000' };
    const builds: WatchBuild[] = [];
    const controller = new AbortController();
    // No segment cache: every segment of a rebuild is printed, all of them in the kept page.
    const watching = compileWatch({ cwd: dir, formats: ['pdf'], env, cache: false, debounceMs: 20, signal: controller.signal, onBuild: (build) => builds.push(build) });
    const built = (n: number) => expect.poll(() => builds.length, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(n);
    /** The same input compiled cold: its own browser, nothing cached. */
    const cold = async (outDir: string) => {
      const result = await compile({ cwd: dir, outDir, formats: ['pdf'], env, cache: false });
      expect(result.exitCode).toBe(0);
      return readFileSync(join(dir, outDir, '测试汇编.pdf'));
    };

    await built(1);
    expect(builds[0]!.result.prints).toMatchObject({ loads: 1 });

    // A one-word edit and a new image: the book goes into the kept page, and prints as it would cold.
    edit(dir, '百年历史', '百年风华');
    await built(2);
    edit(dir, '## 一、基本情况\n', '## 一、基本情况\n\n![图1 抢修工作流程示意](../images/liucheng.svg)\n\n');
    await built(3);
    for (const build of builds.slice(1)) {
      expect(build.result.exitCode).toBe(0);
      expect(build.result.prints, 'the book went into the kept page').toMatchObject({ loads: 0 });
    }
    // Every segment reprinted (no cache), each copied over the one it replaces in the kept merged PDF.
    expect(builds[1]!.result.merge).toEqual({ inPlace: true, copied: builds[0]!.result.merge!.copied });
    const rebuilt = readFileSync(join(dir, pdfName));
    expect(squash(pageTexts(join(dir, pdfName)).join('\n'))).toContain('百年风华');
    expect(rebuilt.equals(await cold('cold-1')), 'a rebuild in the kept page has the bytes of a cold compile').toBe(true);

    // Another page size changes every page rule in the head: the book is loaded into a fresh page.
    const config = join(dir, 'huibian.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('size: 16K', 'size: A4'));
    await built(4);
    // Other page counts: merged anew.
    expect(builds[3]!.result).toMatchObject({ exitCode: 0, prints: { loads: 1 }, merge: { inPlace: false } });
    expect(readFileSync(join(dir, pdfName)).equals(await cold('cold-2'))).toBe(true);

    controller.abort(new Error('Ctrl-C'));
    expect(await watching).toMatchObject({ exitCode: 0, builds: 4 });
    expect(processesMatching(browserTmp)).toEqual([]);
  });

  it('reuses the segments the cache and the last build kept, parsed once, and still has the bytes of a cold compile', async () => {
    const dir = copyOfFixture();
    const env = { SOURCE_DATE_EPOCH: '1780000000' };
    const builds: WatchBuild[] = [];
    const controller = new AbortController();
    // The segment cache on: each rebuild reprints the edited segment and merges the others as the last build parsed them.
    const watching = compileWatch({ cwd: dir, formats: ['pdf'], env, debounceMs: 20, signal: controller.signal, onBuild: (build) => builds.push(build) });
    const built = (n: number) => expect.poll(() => builds.length, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(n);
    await built(1);
    edit(dir, '百年历史', '百年风华');
    await built(2);
    edit(dir, '百年风华', '百年沧桑');
    await built(3);
    for (const build of builds.slice(1)) expect(build.result).toMatchObject({ exitCode: 0, prints: { loads: 0 } });
    expect(builds[2]!.result.prints!.reused, 'segments came from the cache').toBeGreaterThan(0);
    // Only the reprinted segment is copied again, over its last copy in the kept merged PDF.
    for (const build of builds.slice(1)) expect(build.result.merge).toEqual({ inPlace: true, copied: 1 });
    const cold = await compile({ cwd: dir, outDir: 'cold', formats: ['pdf'], env, cache: false });
    expect(cold.exitCode).toBe(0);
    expect(readFileSync(join(dir, pdfName)).equals(readFileSync(join(dir, 'cold', '测试汇编.pdf')))).toBe(true);
    controller.abort(new Error('Ctrl-C'));
    expect(await watching).toMatchObject({ exitCode: 0, builds: 3 });
  });
});

describe('huibian compile --watch (CLI)', () => {
  it('builds, watches, and on Ctrl-C exits 0 with its browser closed', async () => {
    const dir = copyOfFixture();
    const tmp = join(browserTmp, 'cli');
    mkdirSync(tmp);
    const child = spawn(process.execPath, [bin, 'compile', '--watch', '--format', 'pdf'], { cwd: dir, env: { ...process.env, NO_COLOR: '1', TMPDIR: tmp } });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => stderr, { timeout: 60_000 }).toContain('正在监视');
    expect(stderr).toContain('完成：6 个案例');
    expect(processesMatching(tmp).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/已停止监视。\n$/);
    expect(processesMatching(tmp)).toEqual([]);
    expect(profiles(tmp)).toEqual([]);
  });
});
