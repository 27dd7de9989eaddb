#!/usr/bin/env node
// `npm run bench:watch`: how long a user waits in `huibian compile --watch` between saving and the new PDF being written,
// with the watch process (and its Chromium) already warm. For a generated compilation (bench/generate.js, seed 1) it
// starts `huibian compile --watch`, then times, three rounds each:
//
//   - a one-word edit in one case (a different word put in each round: the page count stays);
//   - an edit that adds a page (a long paragraph appended to a case: every later page moves);
//   - a template change (a rule in the compilation's own print.css: everything is laid out again).
//
// Each time is from the save (a write-and-rename, as editors save) to the watch process's line saying the outputs
// are written, so the debounce and the atomic write are in it. It also reports the cold first build and the peak RSS
// sum of the watch process and its Chromium.
//
//   npm run bench:watch           100 cases
//   node bench/watch.js 100 1000  each size in turn
//
// Targets (issue 15): save → new PDF ≤ 1.0 s for an edit that keeps page counts, ≤ 3 s for one that moves pages, at
// 100 cases; ≤ 2 s and ≤ 15 s at 1,000.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mb, median, seconds } from './figures.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const work = join(repo, 'bench', '.work', 'watch');
const bin = join(repo, 'bin', 'huibian.js');
const rounds = 3;
/**
 * About two pages of text at the default page size: appending it moves every later page (the page count may stay
 * when it fills a blank page before a part, which begins on a right-hand page).
 */
const longParagraph = '党组织围绕中心工作建立问题清单、任务清单和责任清单，逐项明确牵头处室和完成时限，按月调度、按季讲评。'.repeat(40);

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
await main(sizes.length ? sizes : [100]);

async function main(counts) {
  if (!process.argv.includes('--no-build')) spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'ignore' });
  const { generateCompilation } = await import('./generate.js');
  const rows = [];
  for (const count of counts) {
    const dir = join(work, String(count));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const generated = generateCompilation(dir, count, { seed: 1 });
    // The compilation's own template folder, a copy of the default, so a template change is a user's edit.
    cpSync(join(repo, 'templates', 'default'), join(dir, 'template'), { recursive: true });
    writeFileSync(generated.config, `${readFileSync(generated.config, 'utf8')}\ntemplate: template\n`);
    process.stderr.write(`— ${count} 个案例：${dir}（负载 ${loadavg().map((l) => l.toFixed(1)).join(' ')}）\n`);
    rows.push(await benchSize(dir, count, generated.files));
  }
  const table = [
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC，${cpus().length} 核 ${cpus()[0]?.model.trim() ?? ''}，Node ${process.versions.node}，负载 ${loadavg().map((l) => l.toFixed(1)).join(' ')}`,
    '',
    'huibian compile --watch，进程与 Chromium 已在运行：从保存到新的 PDF 写好（含防抖与原子写入）。每项 3 次，中位（各次）。',
    '',
    '| 案例 | 页数 | 首次生成 | 改一个词 | 加一页 | 改模板 | Chromium 排版次数，括号内为沿用缓存的段数（改词 / 加页 / 改模板） | 峰值内存：RSS 之和 |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.count} | ${r.pages} | ${seconds(r.first)} | ${cell(r.word)} | ${cell(r.page)} | ${cell(r.template)} | ${[r.word, r.page, r.template].map((k) => k.prints.join('、')).join(' / ')} | ${mb(r.peak)} |`,
    ),
  ];
  process.stdout.write(`${table.join('\n')}\n`);
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'results.json'), JSON.stringify(rows, null, 2));
}

/** Start the watch, wait for it, run the three kinds of edit `rounds` times each, stop it with Ctrl-C. */
async function benchSize(dir, count, files) {
  const started = performance.now();
  const child = spawn(process.execPath, [bin, 'compile', '--watch'], {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1780000000' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const waiters = [];
  child.stderr.on('data', (chunk) => {
    log += String(chunk);
    for (const w of [...waiters]) w();
  });
  let gone = false;
  const exited = new Promise((resolve) =>
    child.on('exit', (code) => {
      gone = true;
      for (const w of [...waiters]) w();
      resolve(code);
    }),
  );
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, treeRss(child.pid))), 100);
  /** Resolve with the first match of `pattern` in the log after `from`, and where it ends. */
  const next = (pattern, from) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(log.slice(from));
        if (!m && !gone) return;
        waiters.splice(waiters.indexOf(check), 1);
        if (m) resolve({ match: m, end: from + m.index + m[0].length, at: performance.now() });
        else reject(new Error(`huibian compile --watch 已退出：\n${log}`));
      };
      waiters.push(check);
      check();
    });

  const ready = await next(/正在监视/, 0);
  const first = ready.at - started;
  const pages = Number(/(\d+) 页/.exec(log)?.[1]);
  process.stderr.write(`  首次生成：${seconds(first)}，${pages} 页\n`);

  /** Save `path` with `text` as an editor does, and time until the rebuild line. */
  const timedSave = async (path, text) => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const from = log.length;
    const temporary = join(dir, '.huibian-bench-save');
    writeFileSync(temporary, text);
    const t0 = performance.now();
    renameSync(temporary, path);
    const { match } = await next(/第 \d+ 次生成(：[^\n]*|未完成[^\n]*)\n/, from);
    if (match[0].includes('未完成')) throw new Error(`重新生成失败：\n${log.slice(from)}`);
    const printed = /排版 (\d+) 次/.exec(match[0])?.[1] ?? '?';
    const reused = /沿用 (\d+) 段/.exec(match[0])?.[1];
    return { ms: performance.now() - t0, prints: reused ? `${printed}（沿用 ${reused}）` : printed, pages: Number(/(\d+) 页/.exec(match[0])?.[1]) };
  };

  const middle = files[Math.floor(files.length / 2)];
  const word = { runs: [], prints: [] };
  // A different word each round, so no round gives back a text printed before (the segment cache would have it).
  const words = ['近年来，', '多年来，', '长期以来，', '一直以来，', '这些年来，'];
  const marker = '## 一、基本情况\n\n';
  let previous = '';
  for (let i = 0; i < rounds; i++) {
    const text = readFileSync(middle, 'utf8');
    const edited = text.replace(`${marker}${previous}`, `${marker}${words[i % words.length]}`);
    previous = words[i % words.length];
    const r = await timedSave(middle, edited);
    word.runs.push(r.ms);
    word.prints.push(r.prints);
    process.stderr.write(`  改一个词：${seconds(r.ms)}，排版 ${r.prints}\n`);
  }
  const page = { runs: [], prints: [] };
  for (let i = 0; i < rounds; i++) {
    const target = files[Math.floor(((i + 1) * files.length) / (rounds + 1))];
    const before = Number(/(\d+) 页/.exec(log.slice(log.lastIndexOf('次生成：')))?.[1]);
    const r = await timedSave(target, `${readFileSync(target, 'utf8').trimEnd()}\n\n${longParagraph}\n`);
    page.runs.push(r.ms);
    page.prints.push(r.prints);
    process.stderr.write(`  加一页：${seconds(r.ms)}，排版 ${r.prints}，${before} → ${r.pages} 页\n`);
  }
  const template = { runs: [], prints: [] };
  const css = join(dir, 'template', 'print.css');
  for (let i = 0; i < rounds; i++) {
    const r = await timedSave(css, `${readFileSync(css, 'utf8')}\n.case-title { color: #${['111', '222', '333'][i]}; }\n`);
    template.runs.push(r.ms);
    template.prints.push(r.prints);
    process.stderr.write(`  改模板：${seconds(r.ms)}，排版 ${r.prints}\n`);
  }

  child.kill('SIGINT');
  const code = await exited;
  clearInterval(sampler);
  if (code !== 0) throw new Error(`huibian compile --watch 以 ${code} 退出：\n${log}`);
  return { count, pages, first, peak, word: summarise(word), page: summarise(page), template: summarise(template) };
}

function summarise(kind) {
  return { ...kind, median: median(kind.runs) };
}

/** The sum of RSS over a process and all its descendants (bytes), from /proc. */
function treeRss(root) {
  const children = new Map();
  const rss = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      rss.set(Number(entry), Number(fields[21]) * 4096);
      const ppid = Number(fields[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  let sum = 0;
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop();
    sum += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return sum;
}

function cell(kind) {
  return `${seconds(kind.median)}（${kind.runs.map(seconds).join(' / ')}）`;
}
