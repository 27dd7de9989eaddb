// The bundled command line (dist/bundle/, made by scripts/bundle.js; `npm test` and `npm run build` make it) is what
// bin/huibian.js runs, with its V8 code cache. It must say exactly what the modules in dist/ say, its worker threads
// included, and lint must not load the compile side (Puppeteer, the renderer) at all.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCompilation } from '../bench/generate.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const bundleDir = join(repo, 'dist', 'bundle');

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The files a bundle file imports statically (`import … from "./x.js"`, `import "./x.js"`), by specifier. */
function staticImports(file: string): string[] {
  const code = readFileSync(join(bundleDir, file), 'utf8');
  return [...code.matchAll(/\bimport\s*(?:[\w${}\s,*]+?\s*from\s*)?["']([^"']+)["']/g)].map((m) => m[1]!);
}

/** Every specifier reached from `entry` through static imports inside the bundle. */
function staticGraph(entry: string): Set<string> {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop()!;
    for (const spec of staticImports(file)) {
      if (seen.has(spec)) continue;
      seen.add(spec);
      if (spec.startsWith('./')) queue.push(spec.slice(2));
    }
  }
  return seen;
}

function run(args: string[], cwd: string, entry: 'bundle' | 'modules', node: string[] = []) {
  // bin/huibian.js runs the bundle (npm test has just built it); the modules are imported as bin would without it.
  const script =
    entry === 'bundle'
      ? ['--', join(repo, 'bin', 'huibian.js')]
      : ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(join(repo, 'dist', 'cli', 'index.js'))}); process.exitCode = await main(process.argv);`, 'huibian'];
  return spawnSync(process.execPath, [...node, ...script, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

const heavy = ['puppeteer', 'puppeteer-core', 'liquidjs', 'pdf-lib', 'opencc-js', 'pinyin-pro', 'chardet', 'iconv-lite'];

describe('the bundled CLI', () => {
  it('is built with its code cache and worker, and not older than dist/ (run npm run build)', () => {
    const bundled = statSync(join(bundleDir, 'cli.cjs')).mtimeMs;
    const built = statSync(join(repo, 'dist', 'cli', 'index.js')).mtimeMs;
    expect(bundled).toBeGreaterThanOrEqual(built);
    expect(readdirSync(bundleDir)).toEqual(expect.arrayContaining(['cli.cjs', 'cli.cjs.cache', 'worker.js']));
  });

  it('takes its code cache under the V8 flags bin/huibian.js sets, and not under others', () => {
    const check = (flags: boolean) =>
      spawnSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { setFlagsFromString } from 'node:v8';
           const { loadBundle, v8Flags } = await import(${JSON.stringify(pathToFileURL(join(repo, 'bin', 'load.js')).href)});
           if (${flags}) setFlagsFromString(v8Flags);
           process.stdout.write(String(loadBundle(${JSON.stringify(join(bundleDir, 'cli.cjs'))}).cached));`,
        ],
        { encoding: 'utf8' },
      ).stdout;
    expect(check(true)).toBe('true');
    // The check can fail: V8 refuses a cache made under other flags.
    expect(check(false)).toBe('false');
  });

  it('lint requires no compile or preview code, and neither does its worker', () => {
    // The command line is one CommonJS file: record every require() lint makes.
    const hook = join(mkdtempSync(join(tmpdir(), 'huibian-require-')), 'hook.cjs');
    dirs.push(dirname(hook));
    writeFileSync(
      hook,
      `const Module = require('node:module'); const load = Module._load; const seen = new Set();
       Module._load = function (request, ...rest) { seen.add(request); return load.call(this, request, ...rest); };
       process.on('exit', () => require('node:fs').writeSync(2, '\\nREQUIRED ' + JSON.stringify([...seen]) + '\\n'));`,
    );
    const r = run(['lint'], repo, 'bundle', ['--require', hook]);
    const required: string[] = JSON.parse(/REQUIRED (.*)/.exec(r.stderr)![1]!);
    expect(required).toContain('node:fs');
    for (const name of heavy) expect(required.filter((spec) => spec === name || spec.startsWith(`${name}/`)), name).toEqual([]);
    const graph = [...staticGraph('worker.js')];
    for (const name of heavy) expect(graph.filter((spec) => spec === name || spec.startsWith(`${name}/`)), `worker.js → ${name}`).toEqual([]);
    // Everything else in the worker's path is inside it: the external packages (chardet and iconv-lite for files that
    // are not UTF-8, OpenCC and pinyin-pro for suspect text) are loaded only when needed.
    expect(graph.filter((spec) => !spec.startsWith('./') && !spec.startsWith('node:'))).toEqual([]);
  });

  describe('says what the modules in dist/ say', () => {
    let root: string;
    beforeAll(() => {
      // Enough files for two threads (`--jobs 2`), plus every rule fixture, so that most rules have something to say.
      root = mkdtempSync(join(tmpdir(), 'huibian-bundle-'));
      dirs.push(root);
      generateCompilation(root, 80, { seed: 5 });
      for (const group of ['lint', 'text']) {
        const from = join(repo, 'test', 'fixtures', group);
        for (const file of readdirSync(from, { recursive: true, encoding: 'utf8' })) {
          if (file.endsWith('.md')) cpSync(join(from, file), join(root, 'cases', 'fixtures', group, relative(from, join(from, file))));
        }
      }
      writeFileSync(join(root, 'cases', 'fixtures', 'empty.md'), '');
    });

    it('the bundled worker checks files and reports what the main thread would', async () => {
      const { loadConfig } = await import(join(repo, 'dist', 'config', 'load.js'));
      const { lintOneSync } = await import(join(repo, 'dist', 'lint', 'run.js'));
      const { toReport } = await import(join(repo, 'dist', 'lint', 'thread-report.js'));
      const loaded = await loadConfig({ cwd: root });
      const paths = readdirSync(join(root, 'cases', 'fixtures', 'text'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.md'))
        .map((f) => join(root, 'cases', 'fixtures', 'text', f));
      const next = new SharedArrayBuffer(4);
      const worker = new Worker(pathToFileURL(join(bundleDir, 'worker.js')), { workerData: { paths, config: loaded.config, cwd: root, next } });
      const reports: unknown[] = new Array(paths.length);
      worker.on('message', (output: { index: number; report: unknown }[]) => {
        for (const { index, report } of output) reports[index] = report;
      });
      const code = await new Promise((resolve, reject) => {
        worker.once('error', reject);
        worker.once('exit', resolve);
      });
      expect(code).toBe(0);
      expect(reports).toEqual(paths.map((path) => toReport(lintOneSync(path, loaded.config, root))));
    });

    for (const args of [['lint', '--format', 'json', '--jobs', '2'], ['lint', '--jobs', '2'], ['--version'], ['lint', '--fix-dry-run', '--jobs', '2']]) {
      it(args.join(' '), () => {
        const bundled = run(args, root, 'bundle');
        const modules = run(args, root, 'modules');
        expect(bundled.stderr).toBe(modules.stderr);
        expect(bundled.stdout).toBe(modules.stdout);
        expect(bundled.status).toBe(modules.status);
        if (args.includes('json')) expect(JSON.parse(bundled.stdout).length).toBeGreaterThan(50);
      }, 120_000);
    }
  });
});
