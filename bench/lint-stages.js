#!/usr/bin/env node
// Where lint's time goes, stage by stage, in CPU time (other processes sharing the cores do not count):
// read, Markdown parse, front-matter YAML, resolve, then each file rule. Runs the compiled code in dist/. CPU time is
// the whole process's, so V8's background compiler and GC threads are counted in whichever stage they overlap.
//
//   node bench/lint-stages.js <compilation-dir> [rounds]
import { resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? '.');
const rounds = Number(process.argv[3] ?? 1);
const t0 = process.cpuUsage();
const { loadConfig } = await import('../dist/config/load.js');
const { collectFiles } = await import('../dist/lint/collect.js');
const { readSourceSync } = await import('../dist/shared/read-text.js');
const { parseCase, parseMarkdown } = await import('../dist/case/parse.js');
const { fastMarkdown } = await import('../dist/case/fast-markdown.js');
const { guardMarkdown } = await import('../dist/case/limits.js');
const { resolveCase } = await import('../dist/case/resolve.js');
const { rules } = await import('../dist/lint/rules/index.js');
const { contextFor, severityOf } = await import('../dist/lint/rule.js');
const { suppressionsFor } = await import('../dist/lint/suppress.js');
const { VFile } = await import('vfile');
const cpu = (since) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};
const times = new Map();
let declined = 0;
const add = (k, ms) => times.set(k, (times.get(k) ?? 0) + ms);
add('import', cpu(t0));

const loaded = await loadConfig({ cwd: dir });
if (!loaded.ok) throw new Error('broken config');
const config = loaded.config;
const { files } = await collectFiles([config.casesDir], dir);
for (let r = 0; r < rounds; r++) {
  for (const path of files) {
    let t = process.cpuUsage();
    const read = readSourceSync(path);
    add('read', cpu(t));
    t = process.cpuUsage();
    parseMarkdown(read.source.text);
    add('markdown only', cpu(t));
    // The fast path alone (the line reader), and how many files it leaves to micromark.
    const guarded = guardMarkdown(read.source.text).text;
    t = process.cpuUsage();
    if (!fastMarkdown(guarded)) declined++;
    add('markdown fast path', cpu(t));
    const file = new VFile({ path, cwd: dir, value: read.source.text });
    t = process.cpuUsage();
    const document = parseCase(read.source, file, config.root);
    add('parseCase', cpu(t));
    t = process.cpuUsage();
    const kase = resolveCase(document, config);
    add('resolve', cpu(t));
    const suppressed = suppressionsFor(document);
    for (const rule of rules) {
      if (rule.scope !== 'file' || severityOf(rule, config) === 'off') continue;
      t = process.cpuUsage();
      rule.check(contextFor(rule, { document, case: kase, config }, suppressed));
      add(`rule ${rule.id}`, cpu(t));
    }
  }
}
const n = files.length * rounds;
console.log(`${files.length} files × ${rounds}; ms CPU total, µs per file; the fast Markdown path declined ${declined / rounds}`);
for (const [k, ms] of [...times].sort((a, b) => b[1] - a[1])) console.log(`${ms.toFixed(0).padStart(7)}  ${(k === 'import' ? '' : ((ms * 1000) / n).toFixed(0)).padStart(6)}  ${k}`);
