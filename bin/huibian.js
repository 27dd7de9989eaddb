#!/usr/bin/env node
// The huibian command. The TypeScript sources are compiled to dist/ by `npm run build` (run by `npm ci` too).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/index.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('huibian：尚未构建。请先在 huibian 的目录中运行 npm run build。\n');
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
