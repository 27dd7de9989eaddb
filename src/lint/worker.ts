/** A worker thread of `lintInThreads`: claims chunks of files, checks each on its own, posts plain reports back. */
import { parentPort, workerData } from 'node:worker_threads';
import { claim, type WorkerInput, type WorkerOutput } from './parallel.js';
import { lintOneSync } from './run.js';
import { toReport } from './thread-report.js';

const { paths, config, cwd, next } = workerData as WorkerInput;
const counter = new Int32Array(next);
for (let chunk = claim(counter, paths.length); chunk; chunk = claim(counter, paths.length)) {
  const output: WorkerOutput = [];
  for (let i = chunk[0]; i < chunk[1]; i++) output.push({ index: i, report: toReport(lintOneSync(paths[i]!, config, cwd)) });
  parentPort!.postMessage(output);
}
