// Faults leave the previous book intact: no browser, a browser killed mid-print, a browser that never answers,
// Ctrl-C, an out/ that cannot be written, two compiles at once. Each spawns the real CLI (the process boundary is
// what is tested) with its own TMPDIR, so the Chromium processes it starts are found by their --user-data-dir.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/hostile/small/', import.meta.url));
const stackTrace = /\n\s+at .+:\d+|^\w*Error:|node:internal/m;

let base: string;
/** The small compilation with a complete book in out/, made once and copied into each scenario. */
let built: string;
beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'huibian-faults-'));
  built = join(base, 'built');
  cpSync(fixture, built, { recursive: true });
  const first = await huibian(['compile'], built).done;
  expect(first.code, first.stderr).toBe(0);
}, 180_000);
afterAll(() => rmSync(base, { recursive: true, force: true }));

let counter = 0;
/** A fresh copy of the small compilation and a TMPDIR of its own. */
function scenario(from = fixture): { root: string; tmp: string } {
  const root = join(base, `s${++counter}`);
  cpSync(from, root, { recursive: true });
  const tmp = join(root, '.tmp');
  mkdirSync(tmp);
  return { root, tmp };
}

/** PIDs of live (not zombie) processes whose command line mentions `needle`. */
function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
      if (cmdline.includes(needle) && state !== 'Z' && Number(entry) !== process.pid) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** Chromium processes started under `tmp` (its user data dir lies there). */
function chromiumsIn(tmp: string): number[] {
  return processesMentioning(`--user-data-dir=${tmp}`);
}

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  stderr(): string;
}

function huibian(args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [join(repo, 'bin', 'huibian.js'), ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1790000000', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done, stderr: () => stderr };
}

async function until(what: string, check: () => boolean, timeout = 90_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeout) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    out[name] = statSync(path).isDirectory() ? 'folder' : createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return out;
}

/** A previous, complete book in out/, then a change to the case, so a new book would differ from it. */
async function withPreviousBook(): Promise<{ root: string; tmp: string; before: Record<string, string> }> {
  const s = scenario(built);
  const before = hashes(join(s.root, 'out'));
  expect(Object.keys(before)).toEqual(['book.html', 'book.pdf']);
  const kase = join(s.root, 'cases', 'agency', 'a.md');
  writeFileSync(kase, readFileSync(kase, 'utf8').replace('四个党支部', '五个党支部'));
  return { ...s, before };
}

/** The checks every fault shares: one clear sentence, the documented code, out/ as it was, no Chromium left. */
async function expectIntact(run: Awaited<Run['done']>, s: { root: string; tmp: string; before: Record<string, string> }, code: number, sentence: RegExp) {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr + run.stdout).not.toMatch(stackTrace);
  const problems = run.stderr.split('\n').filter((l) => l.startsWith('huibian：') && !/^huibian：(检查案例|分组|生成|启动|排版|合并|写入|写出)/.test(l));
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(sentence);
  expect(hashes(join(s.root, 'out'))).toEqual(s.before);
  await until('Chromium to be gone', () => chromiumsIn(s.tmp).length === 0, 10_000);
  // No temporary output or browser profile of ours is left behind either (a killed Chromium leaves its own
  // org.chromium.* socket folder, which is not ours to judge).
  expect(readdirSync(join(s.root, 'out')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  expect(readdirSync(s.tmp).filter((n) => n.startsWith('huibian-'))).toEqual([]);
}

describe('faults during compile', () => {
  it('no browser: exit 2, one sentence, nothing written', async () => {
    const s = await withPreviousBook();
    const run = await huibian(['compile'], s.root, { TMPDIR: s.tmp, PUPPETEER_EXECUTABLE_PATH: join(s.root, 'no-such-chrome') }).done;
    await expectIntact(run, s, 2, /^huibian：环境变量 PUPPETEER_EXECUTABLE_PATH 指定的浏览器“.*no-such-chrome”不存在/);
  }, 180_000);

  it('the browser killed mid-print: exit 2, the previous book intact', async () => {
    const s = await withPreviousBook();
    const run = huibian(['compile'], s.root, { TMPDIR: s.tmp });
    await until('printing to start', () => run.stderr().includes('排版 PDF（第 1/'));
    const chromiums = chromiumsIn(s.tmp);
    expect(chromiums.length).toBeGreaterThan(0);
    for (const pid of chromiums) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await expectIntact(await run.done, s, 2, /^huibian：.*浏览器/);
  }, 180_000);

  it('a browser that never answers: stopped at browser.timeout, exit 2, the fake browser gone', async () => {
    const s = await withPreviousBook();
    const fake = join(s.root, 'fake-chrome.sh');
    const pidFile = join(s.root, 'fake.pid');
    writeFileSync(fake, `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 600\n`);
    chmodSync(fake, 0o755);
    const config = join(s.root, 'huibian.yaml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}browser:\n  executablePath: ${fake}\n  timeout: 1000\n`);
    const started = Date.now();
    const run = await huibian(['compile'], s.root, { TMPDIR: s.tmp }).done;
    expect(Date.now() - started).toBeLessThan(60_000);
    await expectIntact(run, s, 2, /^huibian：.*浏览器/);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await until('the fake browser to be killed', () => !processesMentioning('sleep 600').includes(pid), 10_000);
  }, 180_000);

  it('Ctrl-C while printing: exit 130, the previous book intact, Chromium closed', async () => {
    const s = await withPreviousBook();
    const run = huibian(['compile'], s.root, { TMPDIR: s.tmp });
    await until('printing to start', () => run.stderr().includes('排版 PDF（第 1/'));
    expect(chromiumsIn(s.tmp).length).toBeGreaterThan(0);
    run.child.kill('SIGINT');
    await expectIntact(await run.done, s, 130, /^huibian：已中断，输出文件保持原样$/);
  }, 180_000);

  it('out/ is a regular file: exit 2, the file untouched', async () => {
    const s = await withPreviousBook();
    writeFileSync(join(s.root, 'occupied'), 'a file, not a folder\n');
    const run = await huibian(['compile', '--out', 'occupied'], s.root, { TMPDIR: s.tmp }).done;
    await expectIntact(run, s, 2, /^huibian：无法把输出写到“.*occupied”：这个路径（或其上一级）是一个文件，不是文件夹；原有的输出文件保持原样/);
    expect(readFileSync(join(s.root, 'occupied'), 'utf8')).toBe('a file, not a folder\n');
  }, 180_000);

  it('an output name taken by a folder: exit 2, the other previous output not replaced either', async () => {
    const s = await withPreviousBook();
    rmSync(join(s.root, 'out', 'book.pdf'));
    mkdirSync(join(s.root, 'out', 'book.pdf'));
    const before = hashes(join(s.root, 'out'));
    expect(before).toEqual({ 'book.html': s.before['book.html'], 'book.pdf': 'folder' });
    const run = await huibian(['compile'], s.root, { TMPDIR: s.tmp }).done;
    // The HTML would be renamed first: it must not be replaced when the PDF cannot be.
    await expectIntact(run, { ...s, before }, 2, /^huibian：无法把输出写到“.*out”：要写的输出文件名已被一个文件夹占用/);
  }, 180_000);
});

describe('two compiles into the same out/ at once', () => {
  it('both finish and leave one complete HTML and one valid PDF', async () => {
    const s = scenario();
    const [a, b] = await Promise.all([huibian(['compile'], s.root, { TMPDIR: s.tmp }).done, huibian(['compile'], s.root, { TMPDIR: s.tmp }).done]);
    expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
    const out = join(s.root, 'out');
    expect(readdirSync(out).sort()).toEqual(['book.html', 'book.pdf']);
    const html = readFileSync(join(out, 'book.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.endsWith('</html>\n')).toBe(true);
    expect(execFileSync('qpdf', ['--check', join(out, 'book.pdf')], { encoding: 'utf8' })).toContain('No syntax or stream encoding errors found');
    await until('Chromium to be gone', () => chromiumsIn(s.tmp).length === 0, 10_000);
  }, 240_000);
});
