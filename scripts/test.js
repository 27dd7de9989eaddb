#!/usr/bin/env node
// `npm test`: build (tsc, then the esbuild bundle the CLI runs), run vitest, and end with one plain line `N passed, N failed` that CI reads.
// `npm run test:unit` (`--unit`): the same without the files that drive Chromium or lint the 1,000-case corpus — the
// edit–test loop, under a minute. It builds too, because some of its tests run the command line in dist/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const build = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
const bundle = build.status === 0 ? spawnSync(process.execPath, [fileURLToPath(new URL('bundle.js', import.meta.url))], { stdio: 'inherit' }) : build;
if (build.status !== 0 || bundle.status !== 0) {
  console.log('0 passed, 1 failed');
  process.exit(1);
}
/**
 * Test files only `npm test` runs: they print real PDFs with Chromium, lint 1,000 generated cases (limits), run
 * thousands of hostile inputs through the command line (fuzz), or check the bundle against dist/ (bundle).
 */
const fullOnly = ['browser', 'compile', 'pdf', 'preview', 'faults', 'repro', 'security', 'limits', 'fuzz', 'bundle'];

const unit = process.argv.includes('--unit');
const passThrough = process.argv.slice(2).filter((a) => a !== '--unit');
const tier = unit ? fullOnly.flatMap((name) => ['--exclude', `test/${name}.test.ts`]) : [];
const dir = mkdtempSync(join(tmpdir(), 'huibian-test-'));
const report = join(dir, 'vitest.json');
const args = ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...tier, ...passThrough];
const run = spawnSync('npx', args, { stdio: 'inherit' });
let passed = 0;
let failed = 0;
try {
  const json = JSON.parse(readFileSync(report, 'utf8'));
  passed = json.numPassedTests;
  // A test file that fails to load has no failed tests but counts as a failed suite.
  failed = json.numFailedTests || json.numFailedTestSuites || 0;
} catch {
  failed = 1;
}
rmSync(dir, { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(run.status === 0 && failed === 0 ? 0 : 1);
