#!/usr/bin/env node
// The Word export alone: generate compilations of 100 and 1,000 cases and time `huibian compile --format docx` as a
// user runs it (a fresh process, lint included), three runs a size, the median reported with the machine's load.
// CPU time (user + system, from /usr/bin/time) is reported beside wall time: on a shared machine it is the figure
// that does not grow with the other processes' load.
//
//   node bench/docx.js            both sizes
//   node bench/docx.js 100        one size
//
// Targets (issue 14): ≤ 2 s at 100 cases, ≤ 15 s at 1,000.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));
const work = join(repo, 'bench', '.work', 'docx');
const bin = join(repo, 'bin', 'huibian.js');
const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const targets = { 100: 2, 1000: 15 };

spawnSync('npm', ['run', 'build'], { cwd: repo, stdio: 'ignore' });
const { generateCompilation } = await import('./generate.js');
for (const count of sizes.length ? sizes : [100, 1000]) {
  const dir = join(work, String(count));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { root } = generateCompilation(dir, count);
  const times = [];
  const cpu = [];
  let size = 0;
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const result = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, bin, 'compile', '--format', 'docx'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, SOURCE_DATE_EPOCH: '1780000000' },
    });
    times.push((performance.now() - started) / 1000);
    if (result.status !== 0) {
      process.stderr.write(result.stderr);
      process.exit(1);
    }
    const [, user, system] = /cpu ([\d.]+) ([\d.]+)/.exec(result.stderr) ?? [];
    cpu.push(Number(user) + Number(system));
    const file = readdirSync(join(root, 'out')).find((f) => f.endsWith('.docx'));
    size = statSync(join(root, 'out', file)).size;
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const median = times[1];
  const target = targets[count];
  const verdict = target ? (median <= target ? `目标 ≤ ${target} 秒：达到` : `目标 ≤ ${target} 秒：未达到`) : '';
  console.log(
    `${count} 个案例：compile --format docx 中位 ${median.toFixed(2)} 秒（${times.map((t) => t.toFixed(2)).join(' / ')}），` +
      `CPU 中位 ${cpu[1].toFixed(2)} 秒，文件 ${(size / 1024).toFixed(0)} KB；负载 ${loadavg().map((l) => l.toFixed(2)).join(' ')}　${verdict}`,
  );
}
