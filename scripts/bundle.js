#!/usr/bin/env node
// Bundle the command line for a fast start. esbuild writes dist/bundle/:
//
// - `cli.cjs`: the whole command line as one CommonJS file, which bin/huibian.js runs with V8's code cache
//   (`cli.cjs.cache`, made here by a training run of `huibian lint` over the sample compilation). Node 20 has no
//   compile cache for modules: loading the ~390 ES modules lint needs one by one cost ~0.5 s, one bundled ES module
//   ~0.08 s to compile, the code cache a few milliseconds. compile and preview code sits in the same file but runs
//   (and is compiled) only when those commands run.
// - `worker.js`: lint's worker thread, an ES module.
//
// Run after tsc (`npm run build` does both). Packages that read files of their own at run time, or that only
// compile/preview use, stay external and are required from node_modules as usual. Paths computed from
// `import.meta.url` (`../../templates/`, `../../package.json`, `./worker.js`) resolve the same from dist/bundle/ as
// from dist/<dir>/.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;

/** Not bundled: each is loaded from node_modules when the code that needs it runs. */
export const external = [
  // Drives Chromium; large, finds its browser cache relative to itself; only src/pdf imports it (lazily).
  'puppeteer',
  'puppeteer-core',
  // Font files are found with require.resolve relative to the package.
  '@expo-google-fonts/*',
  // Loads its WebAssembly HarfBuzz from its own folder; required only when a font subset is not in the cache yet.
  'subset-font',
  // The Word export's library: half a megabyte that lint would otherwise parse on every start; only compile needs it.
  'docx',
  // A native module per platform (optionalDependencies), loaded only for SVG and WebP images in the Word export.
  '@resvg/resvg-js',
  // Read their own data files, or load encoding/dictionary tables relative to themselves.
  'liquidjs',
  'opencc-js',
  'opencc-js/*',
  'pinyin-pro',
  'iconv-lite',
  'chardet',
];

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  external,
  // Whitespace and syntax only: names stay readable in a HUIBIAN_DEBUG stack trace.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
};

rmSync(outdir, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: { cli: 'src/cli/index.ts' },
  outExtension: { '.js': '.cjs' },
  outdir,
  format: 'cjs',
  // `import.meta.url` of the code is the bundle's own URL (bin/load.js passes __filename).
  define: { 'import.meta.url': '__huibianModuleUrl' },
  banner: { js: "const __huibianModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({
  ...common,
  entryPoints: { worker: 'src/lint/worker.ts' },
  outdir,
  format: 'esm',
  // Bundled CommonJS packages (yaml, picocolors, …) call require() for Node's built-in modules.
  banner: { js: "import { createRequire as __huibianCreateRequire } from 'node:module'; const require = __huibianCreateRequire(import.meta.url);" },
});

// The training run: lint the sample compilation, then save what V8 compiled. Its messages do not matter.
if (existsSync(`${root}huibian.yaml`)) {
  const trained = spawnSync(process.execPath, [`${root}bin/huibian.js`, 'lint', '--format', 'json'], {
    cwd: root,
    env: { ...process.env, HUIBIAN_CODE_CACHE: 'write' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!existsSync(`${outdir}/cli.cjs.cache`)) {
    process.stderr.write(`bundle: no code cache was written (huibian lint exited ${trained.status}); the command line still runs, more slowly\n`);
  }
}
