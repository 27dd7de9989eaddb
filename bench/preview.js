// Preview latency: save a typical case, time until the open page in Chromium shows the change (the target: ≤ 200 ms).
// Plain JS over dist/ (run `npx tsc -p .` first). Used by bench/run.js; `node bench/preview.js` runs it alone.
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer';
import { preview } from '../dist/index.js';
import { locateBrowser } from '../dist/pdf/index.js';
import { chromiumArgs } from '../dist/pdf/launch.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
/** The sample compilation's case with the most going on: 5.5 kB, a figure, lists, four sections. */
const typicalCase = 'cases/agency/kewei-zgc.md';

/**
 * Time `rounds` saves of the typical case until the page shows them. Each save is a write-and-rename, as editors do.
 * Returns milliseconds: save → change painted in the page, save → event received by the page, the server's pass, and
 * the page's swap (event → new DOM).
 */
export async function previewLatency({ rounds = 12 } = {}) {
  const lookup = locateBrowser(undefined, process.env);
  if (!lookup.found) throw new Error(lookup.message);
  const base = mkdtempSync(join(tmpdir(), 'huibian-bench-preview-'));
  for (const name of ['huibian.yaml', 'preface.md', 'cases']) cpSync(join(repo, name), join(base, name), { recursive: true });
  const path = join(base, typicalCase);
  const original = readFileSync(path, 'utf8');
  const controller = new AbortController();
  const passes = new Map();
  let listening;
  const ready = new Promise((resolve) => (listening = resolve));
  const done = preview({
    cwd: base,
    file: typicalCase,
    signal: controller.signal,
    env: {},
    onListening: ({ url }) => listening(url),
    onVersion: ({ version, ms }) => passes.set(version, ms),
  });
  const url = await ready;
  const browser = await puppeteer.launch({ executablePath: lookup.executablePath, headless: true, args: chromiumArgs, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
  const results = { painted: [], event: [], pass: [], swap: [] };
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(url, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    await page.evaluate(() => window.scrollTo(0, 1200));
    // Warm up the server's and the page's code paths once; the first pass of a process loads modules.
    for (let round = 0; round <= rounds; round++) {
      const marker = `（第${round}次保存）`;
      // The page notes when the marker text first appears in the DOM, then when the frame showing it is painted.
      const seen = page.evaluate(
        (text) =>
          new Promise((resolve) => {
            const observer = new MutationObserver(() => {
              if (!document.body.textContent.includes(text)) return;
              observer.disconnect();
              requestAnimationFrame(() => setTimeout(() => resolve(performance.timeOrigin + performance.now()), 0));
            });
            observer.observe(document, { childList: true, subtree: true, characterData: true });
          }),
        marker,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      const saved = performance.timeOrigin + performance.now();
      writeFileSync(`${path}.tmp~`, original.replace('近年来，', `近年来，${marker}`));
      renameSync(`${path}.tmp~`, path);
      const painted = await seen;
      const version = await page.evaluate(() => Number(document.documentElement.dataset.huibianVersion));
      const marks = await page.evaluate(
        (v) => {
          const mark = performance.getEntriesByName(`huibian-update-${v}`)[0];
          const swap = performance.getEntriesByName(`huibian-swap-${v}`)[0];
          return { received: mark ? performance.timeOrigin + mark.startTime : NaN, swap: swap ? swap.duration : NaN };
        },
        version,
      );
      if (round === 0) continue;
      results.painted.push(painted - saved);
      results.event.push(marks.received - saved);
      results.pass.push(passes.get(version) ?? NaN);
      results.swap.push(marks.swap);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  } finally {
    await browser.close();
    controller.abort();
    await done;
    rmSync(base, { recursive: true, force: true });
  }
  return Object.fromEntries(Object.entries(results).map(([k, v]) => [k, summary(v)]));
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: Math.round(at(0.5)), p90: Math.round(at(0.9)), min: Math.round(sorted[0]), max: Math.round(sorted.at(-1)), n: sorted.length };
}

const labels = {
  painted: '保存 → 页面画出新内容（目标 ≤ 200 ms）',
  event: '保存 → 页面收到更新事件',
  pass: '服务端一遍：读配置、检查、排版',
  swap: '页面换入新内容（收到事件 → DOM 更新）',
};

/** previewLatency()'s result as the Markdown table that bench/README.md records. */
export function previewTable(result) {
  return [
    `| 预览（${typicalCase}，${result.painted.n} 次保存） | 中位 | p90 | 最小 | 最大 |`,
    '|---|---:|---:|---:|---:|',
    ...Object.entries(labels).map(([key, label]) => {
      const s = result[key];
      return `| ${label} | ${s.median} ms | ${s.p90} ms | ${s.min} ms | ${s.max} ms |`;
    }),
  ];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(previewTable(await previewLatency()).join('\n'));
}
