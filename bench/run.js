#!/usr/bin/env node
// `npm run bench`: generate compilations of 100 and 1,000 cases and measure, in one run, cold lint, a bare single
// Chromium print of the same final HTML beside huibian's full compile, peak memory of Node + Chromium, and preview
// latency. Every figure is wall-clock time of a fresh process (Node start-up included), as a user would feel it.
//
//   npm run bench                 both sizes
//   node bench/run.js 100         one size
//   node bench/run.js --lint      lint only (seven runs a size), in a minute
//   node bench/run.js --no-watch  without the `compile --watch` rows (bench/watch.js, run last otherwise)
//
// Targets (issue 3): lint ≤ 1.5 s at 1,000 cases; full compile ≤ 2.0× the bare print; peak memory ≤ 2 GB at 1,000.
// Issue 15: the compile is cold (no segment cache); then a plain compile again with nothing changed, after a one-word
// edit, and after an edit that adds a page, each reusing the segment cache; and the 15-case sample book cold.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mb, median, seconds } from './figures.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const work = join(repo, 'bench', '.work');
const bin = join(repo, 'bin', 'huibian.js');
const clockTick = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const flags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

if (process.argv[2] === '--bare-print') {
  await barePrint(process.argv[3], process.argv[4], process.argv[5]);
  process.exit(0);
}

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const lintOnly = process.argv.includes('--lint');
await main(sizes.length ? sizes : [100, 1000]);

async function main(counts) {
  // The benchmark runs the built command as a user would: tsc's dist/ and the bundle bin/huibian.js prefers.
  spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'ignore' });
  const { generateCompilation } = await import('./generate.js');
  const { locateBrowser } = await import('../dist/pdf/index.js');
  const lookup = locateBrowser(undefined, process.env);
  if (!lookup.found && !lintOnly) {
    process.stderr.write(`${lookup.message}\n`);
    process.exit(2);
  }
  const rows = [];
  for (const count of counts) {
    const dir = join(work, String(count));
    mkdirSync(dir, { recursive: true });
    generateCompilation(dir, count, { seed: 1 });
    process.stderr.write(`— ${count} 个案例：${dir}\n`);

    const lint = [];
    for (let i = 0; i < (lintOnly ? 7 : 3); i++) lint.push(timed(process.execPath, [bin, 'lint'], dir));
    process.stderr.write(`  lint：${lint.map((l) => `${seconds(l.ms)}（CPU ${seconds(l.cpu)}）`).join(' / ')}\n`);
    if (lintOnly) {
      const ms = lint.map((l) => l.ms);
      rows.push({ count, lintCold: ms[0], lint: median(ms), lintMin: Math.min(...ms), lintMax: Math.max(...ms), lintCpu: median(lint.map((l) => l.cpu)) });
      continue;
    }

    const html = await finalHtml(dir);
    const bare = await measure(process.execPath, [fileURLToPath(import.meta.url), '--bare-print', html, join(dir, 'bare.pdf'), lookup.executablePath], dir);
    if (bare.code !== 0) throw new Error(`bare print failed:\n${bare.stderr}`);
    process.stderr.write(`  bare print：${seconds(bare.ms)}（CPU ${seconds(bare.cpu)}），${mb(bare.peak)}（PSS ${mb(bare.peakPss)}）\n`);

    // Cold: the segment cache is emptied first (this folder is reused from run to run); this run fills it.
    rmSync(join(dir, '.cache'), { recursive: true, force: true });
    const full = await measure(process.execPath, [bin, 'compile'], dir, { SOURCE_DATE_EPOCH: '1780000000' });
    if (full.code !== 0) throw new Error(`compile failed:\n${full.stderr}`);
    const pages = /(\d+) 页/.exec(full.stderr)?.[1];
    process.stderr.write(`  compile：${seconds(full.ms)}（CPU ${seconds(full.cpu)}），${mb(full.peak)}（PSS ${mb(full.peakPss)}），${pages} 页\n${stages(full.lines)}`);
    const rebuilt = await rebuilds(dir);

    rows.push({
      count,
      pages: Number(pages),
      lintCold: lint[0].ms,
      lint: median(lint.map((l) => l.ms)),
      lintCpu: median(lint.map((l) => l.cpu)),
      bare: bare.ms,
      bareCpu: bare.cpu,
      bareMem: bare.peak,
      barePss: bare.peakPss,
      full: full.ms,
      fullCpu: full.cpu,
      fullMem: full.peak,
      fullPss: full.peakPss,
      stages: full.lines,
      rebuilt,
    });
  }

  if (lintOnly) {
    const table = [
      `${new Date().toISOString().slice(0, 10)}，${cpus().length} 核 ${cpus()[0]?.model.trim() ?? ''}，Node ${process.versions.node}；huibian lint，每种规模连续 7 次，各为新进程（含 Node 启动）`,
      '',
      '| 案例 | 首次 | 中位（最快–最慢） | CPU 中位 |',
      '|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.count} | ${seconds(r.lintCold)} | ${seconds(r.lint)}（${seconds(r.lintMin)}–${seconds(r.lintMax)}） | ${seconds(r.lintCpu)} |`),
    ];
    process.stdout.write(`${table.join('\n')}\n`);
    ceilings();
    return;
  }

  let preview;
  if (existsSync(join(repo, 'bench', 'preview.js'))) {
    try {
      const { previewLatency } = await import('./preview.js');
      preview = await previewLatency();
    } catch (error) {
      process.stderr.write(`  preview：${error instanceof Error ? error.message : String(error)}\n`);
    }
  }

  // Issue 11: importing 100 Word files (bench/import.js, which also runs alone).
  let imported;
  try {
    const { benchImport } = await import('./import.js');
    imported = await benchImport(100, { build: false });
  } catch (error) {
    process.stderr.write(`  import：${error instanceof Error ? error.message : String(error)}\n`);
  }

  const table = [
    `${new Date().toISOString().slice(0, 10)}，${cpus().length} 核 ${cpus()[0]?.model.trim() ?? ''}，内存 ${mb(totalmem())}，Node ${process.versions.node}，${chromiumVersion(lookup.executablePath)}`,
    '',
    '时间为墙钟时间，括号内为 CPU 时间（进程及其子进程，含 Chromium；机器繁忙时 CPU 时间更可比）。峰值内存为 Node 与全部 Chromium 进程之和：RSS 把多个进程共享的页面各算一次，PSS 按份额只算一次。',
    '',
    '| 案例 | 页数 | lint（首次，中位） | 单次打印 | huibian compile | 比值（目标 ≤ 2.0） | 峰值内存 compile：RSS 之和（PSS 之和），目标 ≤ 2 GB | 峰值内存 单次打印：RSS（PSS） |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.count} | ${r.pages} | ${seconds(r.lintCold)}，${seconds(r.lint)}（${seconds(r.lintCpu)}） | ${seconds(r.bare)}（${seconds(r.bareCpu)}） | ${seconds(r.full)}（${seconds(r.fullCpu)}） | ${(r.full / r.bare).toFixed(2)}×（${(r.fullCpu / r.bareCpu).toFixed(2)}×） | ${mb(r.fullMem)}（${mb(r.fullPss)}） | ${mb(r.bareMem)}（${mb(r.barePss)}） |`,
    ),
  ];
  table.push(
    '',
    '再次生成（huibian compile，沿用 .cache/huibian 中的分段；墙钟时间，括号内为重排的段数/全部段数）：',
    '',
    '| 案例 | 首次（冷） | 未改动 | 改一个词 | 加长一页 |',
    '|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.count} | ${seconds(r.full)} | ${r.rebuilt.map((b) => `${seconds(b.ms)}（${b.printed}/${b.printed + b.reused}）`).join(' | ')} |`),
  );
  const sample = await sampleBook();
  table.push('', `样例汇编（15 个案例，冷：不用缓存）：${sample.map((ms) => seconds(ms)).join(' / ')}，中位 ${seconds(median(sample))}（目标 ≤ 2 s）`);
  if (preview) table.push('', ...(await import('./preview.js')).previewTable(preview));
  if (imported) table.push('', `huibian import，${imported.count} 个 Word 文件（含汇总表）：${imported.runs.map(seconds).join(' / ')}，中位 ${seconds(imported.median)}（目标 ≤ 5 s）`);
  process.stdout.write(`${table.join('\n')}\n`);
  writeFileSync(join(work, 'results.json'), JSON.stringify({ rows, preview, imported }, null, 2));
  ceilings();
  // Issue 15: the rebuilds a user waits for in `compile --watch`, at the same sizes (bench/watch.js; its own table).
  if (!process.argv.includes('--no-watch')) spawnSync(process.execPath, [join(repo, 'bench', 'watch.js'), ...counts.map(String), '--no-build'], { cwd: repo, stdio: 'inherit' });
}

/**
 * Compile again three times, reusing the segment cache the cold compile filled: with nothing changed, after replacing
 * the body's first full stop in a case in the middle of the book, and after adding a page's worth of text to it. The case is restored.
 */
async function rebuilds(dir) {
  const file = readdirSync(join(dir, 'cases'), { recursive: true })
    .filter((f) => String(f).endsWith('.md'))
    .sort()
    .map((f) => join(dir, 'cases', String(f)));
  const target = file[Math.floor(file.length / 2)];
  const original = readFileSync(target, 'utf8');
  const edits = [(t) => t, (t) => t.replace(/(\n---\n[^]*?)。/, '$1！'), (t) => `${t}\n\n${'为测量加长一页而补写的段落，内容与版式无关。'.repeat(60)}\n`];
  const runs = [];
  try {
    for (const edit of edits) {
      writeFileSync(target, edit(original));
      const run = await measure(process.execPath, [bin, 'compile'], dir, { SOURCE_DATE_EPOCH: '1780000000' });
      if (run.code !== 0) throw new Error(`compile failed:\n${run.stderr}`);
      const steps = run.lines.filter(([, l]) => l.includes('排版 PDF（第'));
      const reused = steps.filter(([, l]) => l.includes('沿用')).length;
      runs.push({ ms: run.ms, cpu: run.cpu, printed: steps.length - reused, reused });
      if (runs.length > 1 && runs.at(-1).printed === 0) throw new Error(`the edit of ${target} changed nothing printed`);
      process.stderr.write(`  再次生成：${seconds(run.ms)}（CPU ${seconds(run.cpu)}），重排 ${steps.length - reused}/${steps.length} 段\n`);
    }
  } finally {
    writeFileSync(target, original);
  }
  return runs;
}

/** The 15-case sample book, compiled three times without the cache, as the README's set-up does on a fresh machine. */
async function sampleBook() {
  const dir = join(work, 'sample');
  rmSync(dir, { recursive: true, force: true });
  for (const item of ['huibian.yaml', 'preface.md', 'cases']) cpSync(join(repo, item), join(dir, item), { recursive: true });
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const run = await measure(process.execPath, [bin, 'compile', '--no-cache'], dir);
    if (run.code !== 0) throw new Error(`compile failed:\n${run.stderr}`);
    runs.push(run.ms);
  }
  process.stderr.write(`  样例汇编：${runs.map((ms) => seconds(ms)).join(' / ')}\n`);
  return runs;
}

/** The time and memory ceilings that were test assertions before #12 (bench/ceilings.js); a broken one fails the bench. */
function ceilings() {
  const run = spawnSync(process.execPath, [join(repo, 'bench', 'ceilings.js')], { cwd: repo, stdio: 'inherit' });
  if (run.status !== 0) process.exitCode = 1;
}

/** The print-target HTML of the compilation, as huibian gives it to Chromium, written beside the cases. */
async function finalHtml(dir) {
  const { lint } = await import('../dist/index.js');
  const { buildCompilation } = await import('../dist/compile/group.js');
  const { renderBook } = await import('../dist/render/book.js');
  const linted = await lint({ cwd: dir });
  if (!linted.config) throw new Error('broken config');
  const compilation = buildCompilation(
    linted.linted.flatMap((l) => (l.case ? [l.case] : [])),
    linted.config,
  );
  const { html } = await renderBook(compilation, { target: 'print' });
  const path = join(dir, 'bare.html');
  writeFileSync(path, html);
  return path;
}

/** The baseline: launch Chromium, open the HTML, print once with the same options as huibian's final pass. */
async function barePrint(html, out, executablePath) {
  const { default: puppeteer } = await import('puppeteer');
  const browser = await puppeteer.launch({ executablePath, headless: true, args: flags, pipe: true, protocolTimeout: 0 });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load', timeout: 0 });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, tagged: true, outline: true, timeout: 0 });
    writeFileSync(out, pdf);
  } finally {
    await browser.close();
  }
}

/**
 * Run a command: wall time, CPU time of it and every process it started (sampled from /proc, so the figure does not
 * depend on how busy the machine is), exit code, stderr lines with their arrival time, and peak RSS of its tree.
 */
function measure(command, args, cwd, env = {}) {
  return new Promise((resolve) => {
    const start = performance.now();
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const lines = [];
    child.stderr.on('data', (chunk) => {
      const t = performance.now() - start;
      stderr += String(chunk);
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push([Math.round(t), line]);
    });
    let peak = 0;
    let peakPss = 0;
    // CPU time per pid, kept after a process leaves the tree (Chromium's helpers may be reparented as they exit).
    const cpu = new Map();
    const sample = () => {
      const tree = processTree(child.pid);
      peak = Math.max(peak, tree.reduce((sum, p) => sum + p.rss, 0));
      peakPss = Math.max(peakPss, tree.reduce((sum, p) => sum + pss(p.pid), 0));
      for (const p of tree) cpu.set(p.pid, Math.max(cpu.get(p.pid) ?? 0, p.cpu));
    };
    const timer = setInterval(sample, 50);
    child.on('exit', (code) => {
      clearInterval(timer);
      const total = [...cpu.values()].reduce((a, b) => a + b, 0);
      resolve({ ms: performance.now() - start, cpu: total, code, stderr, lines, peak, peakPss });
    });
  });
}

/**
 * Proportional set size (bytes): each page shared between processes counted as its share. Chromium's dozen processes
 * map the same binary and share memory, so summing RSS counts those pages a dozen times; summing PSS counts them once.
 */
function pss(pid) {
  try {
    const kb = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/**
 * Wall and CPU time (user + system) of one command and its threads, from bash's `time`: the /proc sampler of `measure`
 * reads each process's memory map every 50 ms, which stalls a process that is short and busy (lint at 1,000 cases
 * measured ~0.2 s slower under it), and it misses the CPU time of the last 50 ms.
 */
function timed(command, args, cwd) {
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%3R %3U %3S"; time "$@" >/dev/null 2>&1', 'bash', command, ...args], { cwd, encoding: 'utf8' });
  const [real, user, sys] = r.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  if (!(real >= 0)) throw new Error(`could not time ${args.join(' ')}: ${r.stderr}`);
  return { ms: real * 1000, cpu: (user + sys) * 1000 };
}

/** A process and all its descendants, from /proc: pid, resident memory (bytes), CPU time used so far (ms). */
function processTree(root) {
  const children = new Map();
  const info = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      const cpu = ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTick;
      info.set(Number(entry), { pid: Number(entry), rss: Number(fields[21]) * 4096, cpu });
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  const tree = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    const p = info.get(pid);
    if (p) tree.push(p);
    stack.push(...(children.get(pid) ?? []));
  }
  return tree;
}

function stages(lines) {
  return lines
    .filter(([, l]) => l.startsWith('huibian：'))
    .map(([t, l]) => `    ${seconds(t).padStart(7)}  ${l.replace('huibian：', '')}\n`)
    .join('');
}

function chromiumVersion(path) {
  return spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout.trim();
}
