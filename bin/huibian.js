#!/usr/bin/env node
// The huibian command. `npm run build` (run by `npm ci` too) compiles src/ to dist/ with tsc and bundles the command
// line into dist/bundle/cli.cjs with esbuild (scripts/bundle.js), which with its code cache starts in a fraction of
// the time (bin/load.js). When the bundle is missing or older than dist/ (tsc was run alone after a change), the
// modules in dist/ are run instead.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { loadBundle, v8Flags } from './load.js';

// Before any of huibian's code is compiled; worker threads share them.
setFlagsFromString(v8Flags);

const mtime = (url) => statSync(fileURLToPath(url), { throwIfNoEntry: false })?.mtimeMs;
const bundle = new URL('../dist/bundle/cli.cjs', import.meta.url);
const modules = new URL('../dist/cli/index.js', import.meta.url);
const built = mtime(modules);
const bundled = mtime(bundle);
if (built === undefined && bundled === undefined) {
  process.stderr.write('huibian：尚未构建。请先在 huibian 的目录中运行 npm run build。\n');
  process.exit(2);
}
if (bundled !== undefined && (built === undefined || bundled >= built)) {
  const loaded = loadBundle(fileURLToPath(bundle));
  process.exitCode = await loaded.exports.main(process.argv);
  // scripts/bundle.js's training run.
  if (process.env.HUIBIAN_CODE_CACHE === 'write') loaded.saveCache();
} else {
  const { main } = await import(modules.href);
  process.exitCode = await main(process.argv);
}
