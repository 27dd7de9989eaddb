#!/usr/bin/env node
// Writes a complete, lint-clean compilation of generated cases: the benchmark's input and a large body of
// clean Chinese prose for checking the text rules for false positives. Deterministic for a seed.
//
//   node bench/generate.js <dir> <count> [seed]
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { profiles } from './corpus/profiles.js';
import * as corpus from './corpus/sentences.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const IMAGE = 'liucheng.svg';
/** Marks a folder as this script's output, so a rerun may replace its cases. */
const MARKER = '.huibian-generated';
const ordinals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const leads = ['一是', '二是', '三是', '四是'];
const lessonLeads = ['第一', '第二', '第三', '第四'];

/** mulberry32: a small seeded PRNG, so the same seed gives the same compilation on every machine. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random helpers over one PRNG. */
function chooser(random) {
  const int = (min, max) => min + Math.floor(random() * (max - min + 1));
  const pick = (list) => list[Math.floor(random() * list.length)];
  /** `n` distinct items, in a random order (`keepOrder`: in the list's order, for steps that follow each other). */
  const sample = (list, n, keepOrder = false) => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    const chosen = copy.slice(0, Math.min(n, copy.length));
    return keepOrder ? list.filter((item) => chosen.includes(item)) : chosen;
  };
  return { int, pick, sample };
}

/** Characters of prose in Markdown lines, roughly as lint counts them: no whitespace, no markup. */
function proseLength(lines) {
  return [...lines.join('').replace(/^#+ |[\s#*|>\[\]^!]|-{3}|\(\.\.\/images\/[^)]*\)|^\d+\. /gmu, '')].length;
}

function fill(text, slots) {
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in slots ? String(slots[key]) : whole));
}

/** A YAML scalar: plain when safe, double-quoted otherwise (the corpus has no backslashes or double quotes of ASCII). */
function scalar(value) {
  return /^[\p{L}\p{N}][^:#\[\]{},&*!|>'"%@`]*$/u.test(value) ? value : JSON.stringify(value);
}

/** The Markdown of one generated case, and its front-matter fields. */
function generateCase(index, sectorIndex, orderInSector, c) {
  const profile = profiles[sectorIndex];
  const name = profile.names[orderInSector % profile.names.length];
  const unit = `${name}${profile.suffix}`;
  const year = c.int(2019, 2024);
  const slots = {
    ...profile,
    unit: name,
    mech: profile.mechanism,
    branches: c.int(4, 36),
    count: c.int(6, 60) * 10,
    year,
  };
  const f = (text) => fill(text, slots);
  const id = `${profile.sector}-${String(index + 1).padStart(4, '0')}`;

  const themes = c.sample(corpus.themes, 4);
  const measures = [...new Set(themes.map((t) => c.pick(t.measures)))].sort((a, b) => a - b);
  const withTable = index % 3 === 0;
  const withImage = index % 5 === 1;
  const withFootnote = index % 2 === 0;
  const out = [];

  out.push('## 一、基本情况', '');
  const problems = c.sample(corpus.problems, 3).map(f);
  // The first sentence names the unit; the second may refer back to it (本单位, 本院 …).
  const opening = c.pick(corpus.facts.filter((s) => s.startsWith('{unit}')));
  const second = c.pick(corpus.facts.filter((s) => !s.startsWith('{unit}')));
  out.push(f(opening) + f(second) + problems[0], '');
  out.push(problems[1] + problems[2] + f(c.pick(corpus.approaches)), '');

  out.push('## 二、主要做法', '');
  const listAt = c.int(0, themes.length - 1);
  themes.forEach((theme, i) => {
    out.push(`### （${ordinals[i]}）${f(c.pick(theme.headings))}`, '');
    const sentences = c.sample(theme.sentences, c.int(4, 5)).map(f);
    out.push(sentences.slice(0, 3).join(''), '');
    if (i === listAt || (i + index) % 4 === 0) {
      const items = c.sample(theme.items, c.int(3, 4), true).map(f);
      const ordered = (index + i) % 2 === 0;
      out.push(items.map((item, k) => (ordered ? `${k + 1}. ${item}` : `- ${item}`)).join('\n'), '');
    }
    if (sentences.length > 3) out.push(sentences.slice(3).join(''), '');
    if (i === 0 && withImage) out.push(`![图1 ${f(c.pick(corpus.captions))}](../images/${IMAGE})`, '');
  });
  if (withTable) {
    const table = c.pick(corpus.tables);
    const rows = table.rows.slice(0, c.int(3, table.rows.length));
    out.push('主要环节和责任分工如下表所示。', '');
    out.push(`| ${table.header.map(f).join(' | ')} |`, `|${table.header.map(() => '---').join('|')}|`);
    for (const row of rows) out.push(`| ${row.map(f).join(' | ')} |`);
    out.push('');
  }

  // Results and lessons get a fourth point when the case would otherwise fall short of 1,500 characters.
  const short = proseLength(out) < 1250;
  const points = short ? 4 : 3;
  out.push('## 三、工作成效', '');
  const results = c.sample(corpus.resultSentences, 2 * points).map(f);
  c.sample(corpus.resultHeadings, points).forEach((heading, i) => {
    let text = `${leads[i]}**${f(heading)}**。${results[2 * i]}${results[2 * i + 1]}`;
    // The note mark goes before the full stop, as in print.
    if (withFootnote && i === 1) text = `${text.slice(0, -1)}[^1]。`;
    out.push(text, '');
  });

  out.push('## 四、经验启示', '');
  const lessons = c.sample(corpus.lessonSentences, points + 2).map(f);
  c.sample(corpus.lessonHeadings, points).forEach((heading, i) => {
    const more = i === 0 ? lessons[points] + lessons[points + 1] : '';
    out.push(`**${lessonLeads[i]}，${f(heading)}。**${lessons[i]}${more}`, '');
  });
  if (withFootnote) out.push(`[^1]: ${c.pick(corpus.footnotes)}`, '');

  const title = `${c.pick(corpus.titleTopics)}——${f(c.pick(corpus.titleWays))}`;
  const tags = c.sample(corpus.tags, c.int(2, 4));
  const front = [
    '---',
    `title: ${scalar(title)}`,
    `unit: ${scalar(unit)}`,
    `sector: ${profile.sector}`,
    `measure: ${measures.length === 1 ? measures[0] : `[${measures.join(', ')}]`}`,
    `mechanism: ${profile.mechanism}`,
    `id: ${id}`,
    `order: ${orderInSector + 1}`,
    `date: ${c.int(year + 1, 2025)}-${String(c.int(1, 12)).padStart(2, '0')}`,
    `summary: ${scalar(f(c.pick(corpus.summaries)))}`,
    `tags: [${tags.map(scalar).join(', ')}]`,
    '---',
    '',
    '',
  ];
  return { id, sector: profile.sector, text: front.join('\n') + out.join('\n') };
}

/**
 * A second run into the same folder must not leave the first run's extra cases behind, but a folder this script did
 * not write (the repository itself, say) is never emptied.
 */
function clearPreviousRun(root) {
  if (!existsSync(join(root, 'cases')) && !existsSync(join(root, 'huibian.yaml'))) return;
  if (!existsSync(join(root, MARKER))) {
    throw new Error(`${root} 已有 huibian.yaml 或 cases/，且不是 bench/generate.js 生成的；请换一个空目录`);
  }
  rmSync(join(root, 'cases'), { recursive: true, force: true });
}

/** The repository's huibian.yaml, without the preface (the generated folder has none) or the schema comment (its path would not resolve). */
function configText() {
  return readFileSync(join(repo, 'huibian.yaml'), 'utf8')
    .split('\n')
    .filter((line) => !/^preface\s*:/.test(line) && !/^#\s*yaml-language-server:/.test(line))
    .join('\n');
}

/**
 * Write a compilation folder at `dir`: huibian.yaml, `count` cases under cases/<sector>/, and one image.
 * Cases are spread round-robin over the five sectors. Same `seed`, same bytes.
 * @param {string} dir
 * @param {number} count
 * @param {{ seed?: number }} [options]
 * @returns {{ root: string, config: string, files: string[] }} absolute paths
 */
export function generateCompilation(dir, count, { seed = 1 } = {}) {
  const root = resolve(dir);
  const c = chooser(prng(seed));
  clearPreviousRun(root);
  mkdirSync(join(root, 'cases', 'images'), { recursive: true });
  writeFileSync(join(root, MARKER), 'generated by bench/generate.js\n');
  const config = join(root, 'huibian.yaml');
  writeFileSync(config, configText());
  copyFileSync(join(repo, 'cases', 'images', IMAGE), join(root, 'cases', 'images', IMAGE));
  const perSector = profiles.map(() => 0);
  const files = [];
  for (let i = 0; i < count; i++) {
    const sectorIndex = i % profiles.length;
    const kase = generateCase(i, sectorIndex, perSector[sectorIndex]++, c);
    const folder = join(root, 'cases', kase.sector);
    mkdirSync(folder, { recursive: true });
    const path = join(folder, `${kase.id}.md`);
    writeFileSync(path, kase.text);
    files.push(path);
  }
  return { root, config, files };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, count, seed] = process.argv.slice(2);
  const n = Number(count);
  if (!dir || !Number.isInteger(n) || n < 0) {
    process.stderr.write('用法：node bench/generate.js <目录> <案例数> [种子]\n');
    process.exit(2);
  }
  try {
    const { files } = generateCompilation(dir, n, { seed: seed === undefined ? 1 : Number(seed) });
    process.stdout.write(`已生成 ${files.length} 个案例：${resolve(dir)}\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}
