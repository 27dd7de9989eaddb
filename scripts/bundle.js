#!/usr/bin/env node
// Bundle the command line for a fast start: Node 20 has no module compile cache, and loading the ~390 ES modules
// `huibian lint` needs one by one costs ~0.5 s per thread. esbuild writes dist/bundle/: `cli.js` (what bin/huibian.js
// runs), `worker.js` (lint's worker thread) and shared chunks; compile and preview code sits in chunks loaded by
// `import()` only when those commands run. Run after tsc (`npm run build` does both).
//
// Packages that read files of their own at run time, or that only compile/preview use and load lazily anyway, stay
// external and are loaded from node_modules as usual. Paths computed from `import.meta.url` (`../../templates/`,
// `../../package.json`, `./worker.js`) resolve the same from dist/bundle/ as from dist/<dir>/.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;

/** Not bundled: each is loaded from node_modules when the code that needs it runs. */
export const external = [
  // Drives Chromium; large, finds its browser cache relative to itself; only src/pdf imports it (lazily).
  'puppeteer',
  'puppeteer-core',
  // Font files are found with require.resolve relative to the package.
  '@fontsource/*',
  // Read their own data files, or load encoding/dictionary tables relative to themselves.
  'liquidjs',
  'opencc-js',
  'opencc-js/*',
  'pinyin-pro',
  'iconv-lite',
  'chardet',
];

rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/cli/index.ts', worker: 'src/lint/worker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external,
  // Bundled CommonJS packages (yaml, picocolors, …) call require() for Node's built-in modules.
  banner: { js: "import { createRequire as __huibianCreateRequire } from 'node:module'; const require = __huibianCreateRequire(import.meta.url);" },
  chunkNames: 'chunk-[hash]',
  // Whitespace and syntax only: names stay readable in a HUIBIAN_DEBUG stack trace.
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
