#!/usr/bin/env node
// Import cycles among src/**/*.ts, type-only imports included (`node scripts/import-cycles.js`; exit code 1 if any).
// A cycle, even of types, means two modules each need the other: the shared piece wants a module of its own.
// test/architecture.test.ts runs it. Reads `import … from`, `export … from` and `import('…')` with relative paths.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every cycle, each as the files on it (relative to `root`), in import order. */
export function importCycles(root) {
  const files = [];
  (function walk(dir) {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  })(root);
  const known = new Set(files);
  const graph = new Map();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g)];
    graph.set(file, specifiers.map((m) => resolve(dirname(file), (m[1] ?? m[2]).replace(/\.js$/, '.ts'))).filter((d) => known.has(d)));
  }
  const cycles = [];
  const state = new Map();
  const stack = [];
  const visit = (file) => {
    state.set(file, 'open');
    stack.push(file);
    for (const dep of graph.get(file)) {
      if (state.get(dep) === 'open') cycles.push(stack.slice(stack.indexOf(dep)).map((f) => relative(root, f)));
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const cycles = importCycles(fileURLToPath(new URL('../src', import.meta.url)));
  for (const cycle of cycles) console.log(`${cycle.join(' → ')} → ${cycle[0]}`);
  console.log(`${cycles.length} import cycle(s) in src/`);
  process.exitCode = cycles.length ? 1 : 0;
}
