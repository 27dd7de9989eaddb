#!/usr/bin/env node
// lintFiles on one thread and on several, in one process: wall time, CPU time of all threads, and whether the two
// give the same messages. Runs the compiled code in dist/.
//
//   node bench/lint-threads.js <compilation-dir> [threads…]
import { resolve } from 'node:path';

const dir = resolve(process.argv[2] ?? '.');
const counts = process.argv.slice(3).map(Number);
const { loadConfig } = await import('../dist/config/load.js');
const { collectFiles } = await import('../dist/lint/collect.js');
const { lintFiles } = await import('../dist/lint/run.js');
const loaded = await loadConfig({ cwd: dir });
if (!loaded.ok) throw new Error('broken config');
const { files } = await collectFiles([loaded.config.casesDir], dir);
const text = (linted) => linted.flatMap((l) => l.file.messages.map((m) => `${l.file.path}:${m.name} ${m.ruleId} ${m.reason}`)).join('\n');
let first;
for (const threads of counts.length ? counts : [1, 2]) {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const linted = await lintFiles(files, loaded.config, dir, undefined, { threads });
  const used = process.cpuUsage(cpu);
  const fromWorkers = linted.filter((l) => l.document && Object.getOwnPropertyDescriptor(l.document, 'mdast')?.get).length;
  first ??= text(linted);
  console.log(
    `${threads} thread(s): ${(performance.now() - wall).toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU, ` +
      `${fromWorkers}/${files.length} files from workers, messages ${text(linted) === first ? 'same' : 'DIFFERENT'}`,
  );
}
