#!/usr/bin/env node
// Import 100 Word files: the sample cases written as .docx in the five submission styles (scripts/make-inbox.js),
// cycled to 100 files with a roster, imported by a fresh `huibian import` process into an empty cases folder. Three
// runs; wall-clock time as a user feels it (Node start-up included). Target (issue 11): ≤ 5 s on a 2-core machine.
//
//   node bench/import.js [COUNT]      (default 100; runs alone, about half a minute)
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDocx, readCase, sampleCases, styles, submissionName, writeRosters } from '../scripts/make-inbox.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const work = join(repo, 'bench', '.work', 'import');
const bin = join(repo, 'bin', 'huibian.js');

export async function benchImport(count = 100, { build = true } = {}) {
  if (build) spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'ignore' });
  rmSync(work, { recursive: true, force: true });
  const inbox = join(work, 'inbox');
  mkdirSync(inbox, { recursive: true });
  const cases = sampleCases().map((p) => readCase(p));
  const docs = [];
  for (let i = 0; i < count; i++) {
    const kase = structuredClone(cases[i % cases.length]);
    kase.front.id = `${kase.front.id ?? 'case'}-${i + 1}`;
    const style = styles[i % styles.length];
    const name = submissionName(kase, style);
    writeFileSync(join(inbox, name), (await buildDocx(kase, style)).data);
    docs.push({ name, front: kase.front });
  }
  await writeRosters(inbox, docs, { csv: '汇总表.csv' });
  const runs = [];
  for (let run = 0; run < 3; run++) {
    const book = join(work, `book-${run}`);
    mkdirSync(join(book, 'cases'), { recursive: true });
    copyFileSync(join(repo, 'huibian.yaml'), join(book, 'huibian.yaml'));
    const start = performance.now();
    const r = spawnSync(process.execPath, [bin, 'import', inbox, '--roster', join(inbox, '汇总表.csv')], { cwd: book, encoding: 'utf8' });
    const ms = performance.now() - start;
    if (r.status !== 0) throw new Error(`huibian import exited ${r.status}:\n${r.stderr.slice(-2000)}`);
    runs.push(ms);
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return { count, runs, median: sorted[1] };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const count = Number(process.argv[2]) || 100;
  const r = await benchImport(count);
  process.stdout.write(`import of ${count} Word files: ${r.runs.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(' / ')} (median ${(r.median / 1000).toFixed(2)} s; target ≤ 5 s)\n`);
}
