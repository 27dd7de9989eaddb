#!/usr/bin/env node
// The web edition's size and search speed: generate 100 and 1,000 cases (bench/generate.js, seed 1), build
// out/<name>.html with `huibian compile --format html`, open it from disk in Chromium and time the search box.
//
//   node bench/web.js            both sizes (builds dist/ first)
//   node bench/web.js 1000       one size
//   node bench/web.js --no-build skip `npm run build` (dist/ and the bundle are current)
//
// Search latency is what a reader waits for after a keystroke: from the input event to the result list built in
// the sidebar (the search and the DOM work, synchronous in web.js; the paint after it is not counted). The first
// query also folds the whole text table once. Target (issue 16): well under 100 ms at 1,000 cases.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const work = join(repo, 'bench', '.work');
const flags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
/** Words in the generated prose (揭榜挂帅 in about half the cases, 党建 in all), two words at once, and a miss. */
const queries = ['揭榜挂帅', '党建', '支部 书记', '融合', '不存在的词语'];
const runs = 15;

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
if (!process.argv.includes('--no-build')) spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'ignore' });
const { generateCompilation } = await import('./generate.js');
const { locateBrowser } = await import('../dist/pdf/index.js');
const { default: puppeteer } = await import('puppeteer');
const lookup = locateBrowser(undefined, process.env);
if (!lookup.found) {
  process.stderr.write(`${lookup.message}\n`);
  process.exit(2);
}

process.stdout.write(`${new Date().toISOString()}  ${cpus().length} × ${cpus()[0]?.model ?? '?'}  Node ${process.version}\nuptime: ${uptime()}\n\n`);
const browser = await puppeteer.launch({ executablePath: lookup.executablePath, args: flags });
try {
  process.stdout.write(`| cases | HTML | of which search text | compile --format html | open → ready (script) | first query | ${queries.map((q) => `“${q}”`).join(' | ')} |\n`);
  process.stdout.write(`|---:|---:|---:|---:|---:|---:|${queries.map(() => '---:').join('|')}|\n`);
  for (const count of sizes.length ? sizes : [100, 1000]) {
    const dir = join(work, `web-${count}`);
    mkdirSync(dir, { recursive: true });
    generateCompilation(dir, count, { seed: 1 });
    const started = performance.now();
    const built = spawnSync(process.execPath, [join(repo, 'bin', 'huibian.js'), 'compile', '--format', 'html'], { cwd: dir, encoding: 'utf8' });
    const compileMs = performance.now() - started;
    if (built.status !== 0) throw new Error(`compile failed:\n${built.stderr}`);
    const file = join(dir, 'out', '案例汇编.html');
    const html = readFileSync(file, 'utf8');
    const dataStart = html.indexOf('id="huibian-data">');
    const dataBytes = Buffer.byteLength(html.slice(dataStart, html.indexOf('</script>', dataStart)));

    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    const opened = performance.now();
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 120_000 });
    await page.waitForFunction(() => 'huibian' in window);
    const readyMs = performance.now() - opened;
    // The script's own start-up (sidebar, filters, count table, scroll position), from the marks web.js sets.
    const scriptMs = await page.evaluate(() => performance.measure('script', 'huibian-start', 'huibian-ready').duration);
    const first = await typeAndTime(page, queries[0]);
    const medians = [];
    for (const q of queries) {
      const times = [];
      const searchOnly = [];
      for (let i = 0; i < runs; i++) {
        times.push(await typeAndTime(page, q));
        searchOnly.push(await page.evaluate((query) => {
          const t = performance.now();
          window.huibian.search(query);
          return performance.now() - t;
        }, q));
      }
      medians.push(`${median(times).toFixed(1)} ms (${median(searchOnly).toFixed(1)})`);
    }
    await page.close();
    process.stdout.write(
      `| ${count} | ${mb(statSync(file).size)} | ${mb(dataBytes)} | ${(compileMs / 1000).toFixed(1)} s | ${(readyMs / 1000).toFixed(1)} s (${scriptMs.toFixed(0)} ms) | ${first.toFixed(1)} ms | ${medians.join(' | ')} |\n`,
    );
  }
} finally {
  await browser.close();
}
process.stdout.write(`\nuptime: ${uptime()}\n(search: median of ${runs} runs per query, input event → result list built; in brackets the search alone)\n`);

/** Put `q` in the search box and time the input event's handler: search plus building the result list. */
async function typeAndTime(page, q) {
  return page.evaluate((query) => {
    const input = document.getElementById('search-input');
    input.value = '';
    input.dispatchEvent(new Event('input'));
    input.value = query;
    const t = performance.now();
    input.dispatchEvent(new Event('input'));
    return performance.now() - t;
  }, q);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function mb(bytes) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function uptime() {
  return spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
}
