#!/usr/bin/env node
// The README's pictures of the web edition: docs/web-desktop.png (a search for 揭榜挂帅 beside the case it found)
// and docs/web-phone.png (390 px wide, the drawer open on a filtered list). Run after `npm run build`:
//
//   node scripts/web-screenshots.js
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const flags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const { locateBrowser } = await import('../dist/pdf/index.js');
const { default: puppeteer } = await import('puppeteer');

const out = mkdtempSync(join(tmpdir(), 'huibian-shots-'));
const built = spawnSync(process.execPath, [join(repo, 'bin', 'huibian.js'), 'compile', '--format', 'html', '--out', out], { cwd: repo, encoding: 'utf8' });
if (built.status !== 0) throw new Error(built.stderr);
const url = pathToFileURL(join(out, '案例汇编.html')).href;
const lookup = locateBrowser(undefined, process.env);
if (!lookup.found) throw new Error(lookup.message);
const browser = await puppeteer.launch({ executablePath: lookup.executablePath, args: flags });
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  await page.goto(url, { waitUntil: 'load' });
  await page.type('#search-input', '揭榜挂帅');
  await page.click('#search-results .result-snippet');
  await page.screenshot({ path: join(repo, 'docs', 'web-desktop.png') });

  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true, deviceScaleFactor: 1 });
  await page.goto(`${url}#filter?sector=soe,university&measure=7`, { waitUntil: 'load' });
  // The last filter boxes, the count, and the list they leave.
  await page.evaluate(() => document.getElementById('sidebar').scrollTo(0, document.getElementById('list-status').offsetTop - 330));
  await new Promise((resolve) => setTimeout(resolve, 400));
  await page.screenshot({ path: join(repo, 'docs', 'web-phone.png') });
} finally {
  await browser.close();
  rmSync(out, { recursive: true, force: true });
}
