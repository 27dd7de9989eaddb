#!/usr/bin/env node
// Ceilings (moved here from test/limits.test.ts in #12, so that tests say what is right and the bench how fast and how
// big): 1,000 generated cases lint in under 300 s and under 2 GB of peak memory, and a 10,000-row table goes through
// lint and the print HTML under 2 GB. Runs the built library (dist/) in this process, so peak memory is this process's
// maxRSS. Exit code 1 when a ceiling is broken. `npm run bench` runs it at the end; alone: `node bench/ceilings.js`.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCompilation } from './generate.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const { lint } = await import('../dist/index.js');
const { buildCompilation } = await import('../dist/compile/group.js');
const { renderBook } = await import('../dist/render/book.js');

const twoGB = 2 * 1024 * 1024 * 1024;
const peakBytes = () => process.resourceUsage().maxRSS * 1024;
const base = mkdtempSync(join(tmpdir(), 'huibian-ceilings-'));
const broken = [];
const check = (what, ok, figure) => {
  process.stdout.write(`${ok ? '✓' : '✗'} ${what}：${figure}\n`);
  if (!ok) broken.push(what);
};

try {
  const { root } = generateCompilation(join(base, 'thousand'), 1000, { seed: 7 });
  const started = performance.now();
  const result = await lint({ cwd: root });
  const seconds = (performance.now() - started) / 1000;
  if (result.exitCode !== 0 || result.linted.length !== 1000) throw new Error('the 1,000 generated cases should lint clean');
  check('1,000 个案例的 lint（库调用）≤ 300 秒', seconds < 300, `${seconds.toFixed(1)} 秒`);
  check('1,000 个案例 lint 的峰值内存 < 2 GB', peakBytes() < twoGB, `${(peakBytes() / 1024 / 1024).toFixed(0)} MB`);

  const small = join(repo, 'test', 'fixtures', 'hostile', 'small');
  const table = join(base, 'table');
  mkdirSync(join(table, 'cases', 'agency'), { recursive: true });
  writeFileSync(join(table, 'huibian.yaml'), readFileSync(join(small, 'huibian.yaml'), 'utf8'));
  const rows = Array.from({ length: 10_000 }, (_, i) => `| ${i + 1} | 第${i + 1}项工作 | 已完成 |`);
  const head = readFileSync(join(small, 'cases', 'agency', 'a.md'), 'utf8');
  writeFileSync(join(table, 'cases', 'agency', 'a.md'), `${head}\n${['| 序号 | 事项 | 进度 |', '| --- | --- | --- |', ...rows].join('\n')}\n`);
  const linted = await lint({ cwd: table });
  const cases = linted.linted.flatMap((l) => (l.case ? [l.case] : []));
  await renderBook(buildCompilation(cases, linted.config), { target: 'print' });
  check('10,000 行的表格经 lint 和排版 HTML，峰值内存 < 2 GB', peakBytes() < twoGB, `${(peakBytes() / 1024 / 1024).toFixed(0)} MB`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
process.exitCode = broken.length ? 1 : 0;
