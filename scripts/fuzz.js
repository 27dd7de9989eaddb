#!/usr/bin/env node
// The fuzz harness: fast-check mutates the sample huibian.yaml and case files (truncation, random and invalid bytes,
// NUL, huge strings, deep and alias-bomb YAML, fields of the wrong type, pathological Markdown) and checks the
// exit-code contract of lint and the HTML stage. test/fuzz.test.ts runs a few hundred inputs in `npm test`;
// `npm run fuzz` runs the long version here, in a worker thread watched for hangs, and prints a few PDFs.
//
//   node scripts/fuzz.js [--runs 10000] [--seed N] [--pdfs 3] [--time-limit 60000]
// The time limit per input is generous: a 1 MB case of pathological Markdown takes micromark tens of seconds on a
// busy 2-core machine (its text resolver is quadratic in the events of one paragraph).
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import fc from 'fast-check';
import { parse as parseHtml } from 'parse5';
import { parseDocument, isCollection, isScalar } from 'yaml';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** The valid inputs every mutation starts from: the sample huibian.yaml and three sample cases. */
export function loadSeeds() {
  const config = readFileSync(join(repo, 'huibian.yaml'), 'utf8');
  const picks = ['agency/kewei-zgc.md', 'school/bashizhong.md', 'hospital/chaoyang.md'];
  const cases = picks.map((p) => ({ name: p.split('/')[1], text: readFileSync(join(repo, 'cases', p), 'utf8') }));
  return { config, cases };
}

/** Byte sequences that are not UTF-8, and text that parsers stumble over. */
const invalidUtf8 = [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe4, 0xb8], [0xf4, 0x90, 0x80, 0x80], [0xfe, 0xff], [0x80]];
const nasty = [
  '\0', '\uFEFF', '\r', '\r\n', '\u2028', '\u0085', '---\n', '\n---\n', '...\n', '<!--', '-->', '```', '~~~', '[^1]', '[^1]: 注',
  '<!-- huibian-disable -->', '<!-- huibian-disable-next-line text-quotes -->', '<script>alert(1)</script>', '<img src=x onerror=alert(1)>',
  '![](../../../etc/passwd)', '![](/etc/passwd)', '![](file:///etc/passwd)', '![](data:image/png;base64,AAAA)', '[a]: <>', '&#0;', '&#xD800;',
  '&amp', '!!binary aGk=', '!!js/function "x"', '!!set {a, b}', '!!omap [a: 1]', '? [a, b]\n: c', '*undefined_alias', '&a [*a]', '%YAML 1.1\n---\n',
  '<<: *a', 'title: |\n  多行\n', '"\\u0000"', '𠮷', '\uD800', 'ａｂｃ１２３', '“”‘’', '……——', '\t', ' '.repeat(5000), '#'.repeat(7) + ' x',
];

const index = fc.nat({ max: 1 << 30 });

/** One mutation, as data, so a failure prints (and shrinks to) exactly what was done. */
function mutationArbitrary(hugeSize) {
  return fc.oneof(
    fc.record({ op: fc.constant('truncate'), at: index }),
    fc.record({ op: fc.constant('insertBytes'), at: index, bytes: fc.uint8Array({ maxLength: 64 }) }),
    fc.record({ op: fc.constant('flipBytes'), flips: fc.array(fc.tuple(index, fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 16 }) }),
    fc.record({ op: fc.constant('insertText'), at: index, text: fc.string({ unit: 'binary', maxLength: 40 }) }),
    fc.record({ op: fc.constant('insertNasty'), at: index, which: fc.nat({ max: nasty.length - 1 }), times: fc.integer({ min: 1, max: 50 }) }),
    fc.record({ op: fc.constant('invalidUtf8'), at: index, which: fc.nat({ max: invalidUtf8.length - 1 }) }),
    fc.record({ op: fc.constant('huge'), at: index, char: fc.constantFrom('a', '中', '*', '[', '>', '\n', '|', ' ', '\0', '"'), size: fc.integer({ min: 1000, max: hugeSize }) }),
    fc.record({ op: fc.constant('deepYaml'), style: fc.constantFrom('flow-seq', 'flow-map', 'block'), depth: fc.integer({ min: 10, max: 5000 }) }),
    fc.record({ op: fc.constant('aliasBomb'), levels: fc.integer({ min: 2, max: 12 }), width: fc.integer({ min: 2, max: 10 }) }),
    fc.record({ op: fc.constant('wrongType'), path: index, value: wrongValue }),
    fc.record({ op: fc.constant('deleteKey'), path: index }),
    fc.record({ op: fc.constant('markdownBomb'), kind: fc.constantFrom('quote', 'list', 'emphasis', 'brackets', 'table', 'html', 'refs', 'footnotes', 'headings', 'code'), size: fc.integer({ min: 10, max: 20000 }) }),
    fc.record({ op: fc.constant('lineEndings'), style: fc.constantFrom('\r\n', '\r') }),
    fc.record({ op: fc.constant('frontMatter'), kind: fc.constantFrom('drop-close', 'drop-open', 'double', 'empty', 'only') }),
    fc.record({ op: fc.constant('randomFile'), bytes: fc.uint8Array({ maxLength: 4096 }) }),
  );
}

const wrongValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -0, '', [], {}, [[]], { a: { b: {} } }, 'A4', '2026-13-45', '../../etc', '/etc/passwd', 'x'.repeat(2000)),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

/** A whole fuzz input: the config and the case files, each possibly mutated, plus the mutations for the report. */
export function inputArbitrary(seeds, { hugeSize = 200_000 } = {}) {
  const mutations = fc.array(mutationArbitrary(hugeSize), { minLength: 1, maxLength: 3 });
  return fc
    .record({
      target: fc.constantFrom('config', 'case', 'case', 'both', 'duplicate'),
      seed: fc.nat({ max: seeds.cases.length - 1 }),
      configMutations: mutations,
      caseMutations: mutations,
    })
    .map((plan) => {
      const mutateConfig = plan.target === 'config' || plan.target === 'both';
      const mutateCase = plan.target !== 'config';
      const seed = seeds.cases[plan.seed];
      const config = mutateConfig ? applyAll(Buffer.from(seeds.config), plan.configMutations) : Buffer.from(seeds.config);
      const kase = mutateCase ? applyAll(Buffer.from(seed.text), plan.caseMutations) : Buffer.from(seed.text);
      const cases = [{ name: seed.name, data: kase }];
      // The same case twice (its id comes from the front-matter): duplicate-id across a mutated and a clean file.
      if (plan.target === 'duplicate') cases.push({ name: `copy-${seed.name}`, data: Buffer.from(seed.text) });
      const input = { plan, config, cases };
      // fast-check prints a failing input with this, instead of every byte of the files.
      Object.defineProperty(input, fc.toStringMethod, { value: () => describeInput(input) });
      return input;
    });
}

function applyAll(bytes, mutations) {
  return mutations.reduce((b, m) => apply(b, m), bytes);
}

/** Apply one mutation to file bytes. */
export function apply(bytes, m) {
  const at = (i) => (bytes.length ? i % (bytes.length + 1) : 0);
  const insert = (i, chunk) => Buffer.concat([bytes.subarray(0, at(i)), Buffer.from(chunk), bytes.subarray(at(i))]);
  switch (m.op) {
    case 'truncate':
      return bytes.subarray(0, at(m.at));
    case 'insertBytes':
      return insert(m.at, m.bytes);
    case 'flipBytes': {
      const out = Buffer.from(bytes);
      if (out.length) for (const [i, v] of m.flips) out[i % out.length] = v;
      return out;
    }
    case 'insertText':
      return insert(m.at, m.text);
    case 'insertNasty':
      return insert(m.at, nasty[m.which].repeat(m.times));
    case 'invalidUtf8':
      return insert(m.at, invalidUtf8[m.which]);
    case 'huge':
      return insert(m.at, m.char.repeat(m.size));
    case 'deepYaml':
      return Buffer.concat([Buffer.from(deepYaml(m.style, m.depth)), bytes]);
    case 'aliasBomb':
      return Buffer.concat([Buffer.from(aliasBomb(m.levels, m.width)), bytes]);
    case 'wrongType':
    case 'deleteKey':
      return editYaml(bytes, m);
    case 'markdownBomb':
      return Buffer.concat([bytes, Buffer.from(`\n\n${markdownBomb(m.kind, m.size)}\n`)]);
    case 'lineEndings':
      return Buffer.from(bytes.toString('latin1').replace(/\r?\n/g, m.style), 'latin1');
    case 'frontMatter':
      return frontMatter(bytes.toString('utf8'), m.kind);
    case 'randomFile':
      return Buffer.from(m.bytes);
    default:
      throw new Error(`unknown mutation ${m.op}`);
  }
}

/** A key whose value nests `depth` levels deep; put first so it lands in the front-matter or the config. */
function deepYaml(style, depth) {
  if (style === 'flow-seq') return `deep: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
  if (style === 'flow-map') return `deep: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`;
  const lines = ['deep:'];
  for (let i = 1; i <= Math.min(depth, 400); i++) lines.push(`${'  '.repeat(i)}k${i}:`);
  return `${lines.join('\n')} 1\n`;
}

/** "Billion laughs": each level is a list of `width` aliases of the one before. */
function aliasBomb(levels, width) {
  const lines = ['a0: &a0 [lol, lol]'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\n`;
}

function markdownBomb(kind, n) {
  switch (kind) {
    case 'quote':
      return `${'>'.repeat(n)} 引用`;
    case 'list':
      return Array.from({ length: Math.min(n, 2000) }, (_, i) => `${'  '.repeat(i)}- 项`).join('\n');
    case 'emphasis':
      return `${'*'.repeat(n)}强调${'_'.repeat(n)}`;
    case 'brackets':
      return `${'['.repeat(n)}链接${'](x)'.repeat(Math.min(n, 5000))}`;
    case 'table': {
      const cols = Math.min(n, 300);
      const row = `|${' 格 |'.repeat(cols)}`;
      return [row, `|${' --- |'.repeat(cols)}`, ...Array.from({ length: Math.min(n, 3000) }, () => row)].join('\n');
    }
    case 'html':
      return `${'<div>'.repeat(n)}文字${'<span style="x">'.repeat(Math.min(n, 2000))}`;
    case 'refs':
      return Array.from({ length: Math.min(n, 5000) }, (_, i) => `[r${i}]: ../../x${i}.png\n![图][r${i}]`).join('\n');
    case 'footnotes':
      return Array.from({ length: Math.min(n, 5000) }, (_, i) => `注[^${i}]\n\n[^${i}]: 脚注${i}`).join('\n');
    case 'headings':
      return Array.from({ length: Math.min(n, 5000) }, (_, i) => `${'#'.repeat((i % 6) + 1)} 一、基本情况`).join('\n');
    case 'code':
      return `${'`'.repeat(Math.min(n, 1000))}代码`;
    default:
      return '';
  }
}

/** Change one value (chosen by index among all of them) to a value of another type, or delete its key; YAML in the front-matter or the whole file. */
function editYaml(bytes, m) {
  // Re-serialising a document of megabytes takes the yaml library seconds: this mutation is for field types, not size.
  if (bytes.length > 64 * 1024) return bytes;
  const text = bytes.toString('utf8');
  const fm = /^---\r?\n([\s\S]*?)\r?\n---(\r?\n|$)/.exec(text);
  const yamlText = fm ? fm[1] : text;
  let doc;
  try {
    doc = parseDocument(yamlText, { uniqueKeys: false });
  } catch {
    return bytes;
  }
  if (doc.errors.length) return bytes;
  const paths = [];
  const walk = (node, path) => {
    if (path.length) paths.push(path);
    if (isCollection(node)) node.items.forEach((item, i) => (item && 'key' in item ? walk(item.value, [...path, isScalar(item.key) ? item.key.value : i]) : walk(item, [...path, i])));
  };
  walk(doc.contents, []);
  if (!paths.length) return bytes;
  const path = paths[m.path % paths.length];
  let edited;
  try {
    if (m.op === 'deleteKey') doc.deleteIn(path);
    else doc.setIn(path, m.value);
    // Deleting an anchor leaves its aliases dangling, which the yaml library refuses to write.
    edited = doc.toString({ lineWidth: 0 });
  } catch {
    return bytes;
  }
  return Buffer.from(fm ? `---\n${edited}---\n${text.slice(fm[0].length)}` : edited);
}

function frontMatter(text, kind) {
  const fm = /^---\r?\n([\s\S]*?)\r?\n---(\r?\n|$)/.exec(text);
  if (!fm) return Buffer.from(text);
  const body = text.slice(fm[0].length);
  switch (kind) {
    case 'drop-close':
      return Buffer.from(`---\n${fm[1]}\n${body}`);
    case 'drop-open':
      return Buffer.from(`${fm[1]}\n---\n${body}`);
    case 'double':
      return Buffer.from(`${fm[0]}${fm[0]}${body}`);
    case 'empty':
      return Buffer.from(`---\n---\n${body}`);
    default:
      return Buffer.from(fm[0]);
  }
}

/** A short account of an input, for a failure report. */
export function describeInput(input) {
  const ops = (list) => list.map((m) => m.op).join('+');
  const { plan } = input;
  return `target=${plan.target} config=${ops(plan.configMutations)} case=${ops(plan.caseMutations)} sizes=${input.config.length}/${input.cases.map((c) => c.data.length).join(',')}`;
}

/** A compilation folder to fuzz in: the sample images are copied once, case files are replaced per input. */
export function makeWorkdir(base = tmpdir()) {
  const dir = mkdtempSync(join(base, 'huibian-fuzz-'));
  const images = join(dir, 'cases', 'images');
  mkdirSync(images, { recursive: true });
  for (const f of readdirSync(join(repo, 'cases', 'images'))) copyFileSync(join(repo, 'cases', 'images', f), join(images, f));
  writeFileSync(join(dir, 'preface.md'), readFileSync(join(repo, 'preface.md')));
  return dir;
}

function writeInput(dir, input) {
  const cases = join(dir, 'cases', 'x');
  rmSync(cases, { recursive: true, force: true });
  mkdirSync(cases, { recursive: true });
  writeFileSync(join(dir, 'huibian.yaml'), input.config);
  for (const c of input.cases) writeFileSync(join(cases, c.name), c.data);
}

/** A broken promise of the contract, with the input that broke it. */
export class ContractError extends Error {}

const stackLine = /\n\s+at .+[(:]\d+/;

/**
 * Run lint (and, when a config loaded, the HTML stage: group and render for web and print) on one input, and throw a
 * ContractError unless: nothing throws, the exit code is 0, 1 or 2, a non-zero exit comes with diagnostics, every
 * diagnostic has a rule id, a Chinese reason without a stack trace and a sane position, and it all ends in time.
 */
export async function checkInput(pipeline, input, dir, { timeLimit = 20_000, render = true } = {}) {
  writeInput(dir, input);
  const started = performance.now();
  const fail = (what, cause) => {
    throw new ContractError(`${what}\n  input: ${describeInput(input)}${cause ? `\n  cause: ${cause?.stack ?? cause}` : ''}`);
  };
  let result;
  try {
    result = await pipeline.lint({ cwd: dir });
  } catch (error) {
    fail('lint threw', error);
  }
  if (![0, 1, 2].includes(result.exitCode)) fail(`lint exit code ${result.exitCode}`);
  const messages = result.files.flatMap((f) => f.messages);
  if (result.exitCode !== 0 && messages.length === 0) fail(`exit code ${result.exitCode} without a diagnostic`);
  if (result.exitCode === 1 && !messages.some((m) => m.fatal)) fail('exit code 1 without an error');
  for (const m of messages) {
    if (typeof m.ruleId !== 'string' || !m.ruleId) fail(`a message without a rule id: ${m.reason}`);
    if (typeof m.reason !== 'string' || !m.reason || stackLine.test(m.reason)) fail(`a bad message text: ${m.reason}`);
    const p = m.place && 'start' in m.place ? m.place.start : m.place;
    if (p && !(p.line >= 1 && p.column >= 1)) fail(`a message with a bad position ${JSON.stringify(m.place)}: ${m.reason}`);
  }
  let rendered = 0;
  if (render && result.config) {
    const cases = result.linted.map((l) => l.case).filter(Boolean);
    try {
      const compilation = pipeline.buildCompilation(cases, result.config, { includeDrafts: true });
      for (const target of ['web', 'print']) {
        const doc = await pipeline.renderBook(compilation, { target });
        if (typeof doc.html !== 'string' || !doc.html.endsWith('</html>\n')) fail(`the ${target} HTML is incomplete`);
        if (activeContent(doc.html)) fail(`the ${target} HTML has a script or an event handler: ${activeContent(doc.html)}`);
        rendered++;
      }
    } catch (error) {
      if (error instanceof ContractError) throw error;
      fail('the HTML stage threw', error);
    }
  }
  const ms = performance.now() - started;
  if (ms > timeLimit) fail(`took ${Math.round(ms)} ms (limit ${timeLimit} ms)`);
  return { exitCode: result.exitCode, ms, rendered, config: result.config };
}

// ---- npm run fuzz ----------------------------------------------------------------------------------------------

/**
 * The first script element or on* attribute in `html`, parsed as a browser would. A text search is not enough: a
 * config value such as `<img onerror=…>` is rightly shown as escaped text, which is inert.
 */
export function activeContent(html) {
  const stack = [parseHtml(html)];
  while (stack.length) {
    const node = stack.pop();
    if (node.tagName === 'script') return '<script>';
    for (const a of node.attrs ?? []) if (/^on/i.test(a.name)) return `${node.tagName} ${a.name}`;
    stack.push(...(node.childNodes ?? []), ...(node.content ? [node.content] : []));
  }
  return undefined;
}

function parseArgs(argv) {
  const get = (name, fallback) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  return { runs: get('runs', 10_000), seed: get('seed', Date.now() % 2 ** 31), pdfs: get('pdfs', 3), timeLimit: get('time-limit', 60_000) };
}

async function loadPipeline() {
  const dist = (p) => import(pathToFileURL(join(repo, 'dist', p)).href);
  const [{ lint, compile }, { buildCompilation }, { renderBook }] = await Promise.all([dist('index.js'), dist('compile/group.js'), dist('render/book.js')]);
  return { lint, compile, buildCompilation, renderBook };
}

/** In the worker: run the property, telling the main thread as each input starts so it can spot a hang. */
async function workerMain({ runs, seed, pdfs, timeLimit }) {
  const pipeline = await loadPipeline();
  const seeds = loadSeeds();
  const dir = makeWorkdir();
  const stats = { inputs: 0, exit: { 0: 0, 1: 0, 2: 0 }, rendered: 0, slowest: 0, slowestInput: '' };
  const printable = [];
  try {
    const run = await fc.check(
      fc.asyncProperty(inputArbitrary(seeds, { hugeSize: 3_000_000 }), async (input) => {
        parentPort.postMessage({ type: 'start', n: stats.inputs, input: describeInput(input) });
        const r = await checkInput(pipeline, input, dir, { timeLimit });
        parentPort.postMessage({ type: 'end' });
        stats.inputs++;
        stats.exit[r.exitCode]++;
        stats.rendered += r.rendered;
        if (r.ms > stats.slowest) Object.assign(stats, { slowest: Math.round(r.ms), slowestInput: describeInput(input) });
        // Keep a few lint-clean mutated inputs to print as PDFs at the end.
        if (r.exitCode === 0 && printable.length < pdfs && input.plan.target !== 'duplicate') printable.push(input);
      }),
      { numRuns: runs, seed, endOnFailure: true },
    );
    if (run.failed) {
      const why = run.errorInstance instanceof Error ? run.errorInstance.message : String(run.errorInstance);
      throw new ContractError(`input ${run.numRuns} of seed ${seed} (path ${run.counterexamplePath}) broke the contract: ${why}`);
    }
    for (const [i, input] of printable.entries()) {
      parentPort.postMessage({ type: 'start', n: `pdf ${i + 1}`, input: describeInput(input) });
      writeInput(dir, input);
      const result = await pipeline.compile({ cwd: dir, formats: ['pdf'], env: { SOURCE_DATE_EPOCH: '0' } });
      if (![0, 1, 2].includes(result.exitCode)) throw new ContractError(`compile exit code ${result.exitCode}: ${describeInput(input)}`);
      stats[`pdf${i + 1}`] = `exit ${result.exitCode}, ${result.pages ?? 0} pages`;
    }
    parentPort.postMessage({ type: 'done', stats });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  console.log(`fuzz: ${options.runs} inputs, seed ${options.seed} (rerun with --seed ${options.seed})`);
  const worker = new Worker(fileURLToPath(import.meta.url), { workerData: options, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
  let current = { n: -1, input: '', since: Date.now(), running: false };
  const watchdog = setInterval(() => {
    // Only a hang in checking one input trips this (generating the next one is not timed); each input's own
    // time limit is checked in checkInput.
    if (current.running && Date.now() - current.since > options.timeLimit * 3) {
      console.error(`fuzz: input ${current.n} has not finished after ${options.timeLimit * 3} ms: ${current.input}`);
      void worker.terminate();
      process.exitCode = 1;
    }
  }, 1000);
  const started = Date.now();
  worker.on('message', (message) => {
    if (message.type === 'start') {
      current = { n: message.n, input: message.input, since: Date.now(), running: true };
      if (typeof message.n === 'number' && message.n % 1000 === 0 && message.n) console.log(`  ${message.n} inputs, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    } else if (message.type === 'end') {
      current.running = false;
    } else if (message.type === 'done') {
      console.log(JSON.stringify(message.stats, null, 2));
      console.log(`fuzz: passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  });
  worker.on('error', (error) => {
    console.error(`fuzz: FAILED\n${error.message}`);
    process.exitCode = 1;
  });
  worker.on('exit', () => clearInterval(watchdog));
}

if (!isMainThread && workerData?.runs !== undefined) await workerMain(workerData);
else if (isMainThread && process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) main();
