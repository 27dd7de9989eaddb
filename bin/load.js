// Run dist/bundle/cli.cjs, the bundled command line, with V8's code cache (cli.cjs.cache, made by scripts/bundle.js):
// Node 20 has no compile cache, and compiling the 2 MB bundle would take longer than linting a hundred cases. A cache
// that is missing, or that V8 rejects (another Node version, other V8 flags, a rebuilt bundle), only means the code is
// compiled as usual.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/**
 * V8 flags for every huibian command, set before any of its code is compiled (bin/huibian.js). `huibian lint` is over
 * in a second or two, most of it spent before V8 has optimized the code it runs, and V8's optimizing compiler inlines
 * for programs that run far longer: at 1,000 cases its background compiling took more CPU than the checking, and less
 * inlining made lint 10–20 % faster (bench/README.md). The code cache is taken only under the flags it was made with.
 */
export const v8Flags = '--max-inlined-bytecode-size-cumulative=100';

/**
 * Load a CommonJS bundle with the code cache beside it. `saveCache()` writes the cache from what has been compiled
 * so far (scripts/bundle.js's training run).
 */
export function loadBundle(file) {
  const cacheFile = `${file}.cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const source = readFileSync(file, 'utf8');
  // Node's own CommonJS wrapper, on the first line, so that line numbers in stack traces are the file's.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return {
    exports: module.exports,
    /** Whether V8 took the cache. */
    cached: cachedData !== undefined && !script.cachedDataRejected,
    saveCache: () => writeFileSync(cacheFile, script.createCachedData()),
  };
}
