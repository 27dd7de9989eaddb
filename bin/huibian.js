#!/usr/bin/env node
// The huibian command. `npm run build` (run by `npm ci` too) compiles src/ to dist/ with tsc and bundles the command
// line into dist/bundle/ with esbuild (scripts/bundle.js), which starts in a fraction of the time. When the bundle is
// missing or older than dist/ (tsc was run alone after a change), the modules in dist/ are run instead.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// `huibian lint` is over in a second or two, most of it spent before V8 has optimized the code it runs, and V8's
// optimizing compiler inlines for programs that run far longer: at 1,000 cases its background compiling took more
// CPU than the checking. Less inlining made lint ~10-20 % faster (bench/README.md). Set before any code is compiled;
// the worker threads share the flag.
if (process.argv.slice(2).find((arg) => !arg.startsWith('-')) === 'lint') setFlagsFromString('--max-inlined-bytecode-size-cumulative=100');

const mtime = (url) => statSync(fileURLToPath(url), { throwIfNoEntry: false })?.mtimeMs;
const bundle = new URL('../dist/bundle/cli.js', import.meta.url);
const modules = new URL('../dist/cli/index.js', import.meta.url);
const built = mtime(modules);
const bundled = mtime(bundle);
if (built === undefined && bundled === undefined) {
  process.stderr.write('huibian：尚未构建。请先在 huibian 的目录中运行 npm run build。\n');
  process.exit(2);
}
const entry = bundled !== undefined && (built === undefined || bundled >= built) ? bundle : modules;
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
