#!/usr/bin/env node
// How often `huibian lint --fix` gives exactly what other Chinese copy-editing linters expect, over the input → expected
// pairs of their published tests in bench/text-agreement.json (kept only where their policy and huibian's agree; each
// source names its repository, file and commit). Runs the compiled code in dist/ (`npm run build` first).
//
//   node bench/text-agreement.js            the figures
//   node bench/text-agreement.js --misses   and every pair that is not exact, with what huibian gave
//
// exact: the fixed paragraph equals the expected text. false positive: a text-* message on the expected text (which
// that linter holds correct). meaning changed: the fix changed more than spacing, punctuation width, quote style,
// ellipsis form and full-width letters (compared after folding those away).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const { loadConfig } = await import('../dist/config/load.js');
const { fixSource } = await import('../dist/lint/fix.js');
const { lintSource } = await import('../dist/lint/run.js');
const { makeSource } = await import('../dist/shared/source.js');

const here = fileURLToPath(new URL('.', import.meta.url));
const fixtures = fileURLToPath(new URL('../test/fixtures/text/', import.meta.url));
const data = JSON.parse(readFileSync(new URL('./text-agreement.json', import.meta.url), 'utf8'));
const showMisses = process.argv.includes('--misses');

const loaded = await loadConfig({ cwd: fixtures, configPath: `${fixtures}huibian.yaml` });
if (!loaded.ok) throw new Error('test/fixtures/text/huibian.yaml does not load');
const configFor = (spacing) => ({ ...loaded.config, lint: { ...loaded.config.lint, spacing } });

const head = '---\ntitle: 测试\nunit: 某单位\nsector: 机关\nmeasure: [1]\nmechanism: 六个引领工作法\n---\n\n';
const path = `${here}agreement.md`;

/** Fold what a text fix may change, so that anything left different is a change of meaning. */
const fold = (s) =>
  s
    .normalize('NFKC')
    .replace(/[“”「」]/g, '"')
    .replace(/[‘’『』]/g, "'")
    .replace(/[，、]/g, ',')
    .replace(/[。]/g, '.')
    .replace(/……|…/g, '...')
    .replace(/\.{3,}/g, '...')
    .replace(/【/g, '[')
    .replace(/】/g, ']')
    .replace(/[\s\u3000]+/g, '');

let total = 0;
let exact = 0;
let falsePositives = 0;
let meaning = 0;
const misses = [];
for (const source of data.sources) {
  const config = configFor(source.spacing ?? 'require');
  for (const [input, expected] of source.pairs) {
    total++;
    const fixed = fixSource(makeSource(path, head + input + '\n'), config, here).text.slice(head.length).replace(/\n$/, '');
    if (fixed === expected) exact++;
    else misses.push({ source: source.name, input, expected, fixed });
    if (fold(fixed) !== fold(input)) {
      meaning++;
      misses.push({ source: source.name, input, expected, fixed, meaning: true });
    }
    const messages = [...lintSource(makeSource(path, head + expected + '\n'), config, here).file.messages].filter((m) =>
      (m.ruleId ?? '').startsWith('text-'),
    );
    if (messages.length) {
      falsePositives += messages.length;
      misses.push({ source: source.name, expected, falsePositive: messages.map((m) => `${m.ruleId} ${m.reason}`) });
    }
  }
}
if (showMisses) for (const m of misses) console.log(JSON.stringify(m));
const pct = ((100 * exact) / total).toFixed(1);
console.log(`pairs ${total}  exact ${exact} (${pct} %)  false-positive messages ${falsePositives}  meaning changed ${meaning}`);
