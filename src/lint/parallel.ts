/**
 * Checking many files on several cores: the main thread and worker threads take small chunks of files from one shared
 * counter, so a thread slowed by other work on the machine simply takes fewer. Workers send back plain reports; the
 * main thread rebuilds them into the same `LintedFile`s the single-thread path gives.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ResolvedConfig } from '../config/load.js';
import type { LintedFile } from './linted-file.js';
import { fromReport, type FileReport } from './thread-report.js';

/** What a worker is started with. */
export interface WorkerInput {
  paths: readonly string[];
  config: ResolvedConfig;
  cwd: string;
  /** One Int32: the index of the next file nobody has claimed. */
  next: SharedArrayBuffer;
}

/** What a worker posts after each chunk. */
export type WorkerOutput = { index: number; report: FileReport }[];

/** Files per claim: small, so that threads finish together; claiming is one atomic add. */
const chunkSize = 4;
/**
 * Files each thread should have before another thread is worth starting. A bundled worker checks its first files
 * ~0.2–0.3 s after it is started, and its first few hundred files, like the main thread's, are its slowest (each V8
 * isolate warms its own JIT), while one warm thread checks 1,000 cases in ~0.7 s. Machines with more than 2 cores
 * were not measured; the figure errs towards one thread, which is never much slower.
 */
const filesPerThread = 1000;

/**
 * The threads worth using for `count` files on this machine (1: check them all on the main thread). One core is left
 * to V8's background work: with one thread, its optimizing compiler and GC helpers already keep a second core half
 * busy, and on 2 cores a worker made lint slower at every size measured (1.24 vs 1.42 s at 1,000 cases, 1.79 vs 1.83 s
 * at 2,000, 2.10 vs 2.22 s at 3,000; bench/README.md).
 */
export function defaultThreads(count: number): number {
  return Math.max(1, Math.min(availableParallelism() - 1, Math.floor(count / filesPerThread), 8));
}

/** The next chunk of file indexes, as `[start, end)`, or undefined when every file has been claimed. */
export function claim(next: Int32Array, count: number): [number, number] | undefined {
  const start = Atomics.add(next, 0, chunkSize);
  return start < count ? [start, Math.min(start + chunkSize, count)] : undefined;
}

/** The compiled worker; absent when huibian runs from its TypeScript sources (the tests), which only one thread can run. */
export function workerEntry(): URL | undefined {
  return import.meta.url.endsWith('.ts') ? undefined : new URL('./worker.js', import.meta.url);
}

/**
 * Check `paths` with the main thread and `workers` worker threads. `lintHere` checks one file on the main thread; it
 * also checks any file a failed worker had claimed, so a bug in a rule surfaces exactly as it would on one thread.
 */
export async function lintInThreads(
  paths: readonly string[],
  config: ResolvedConfig,
  cwd: string,
  workers: { entry: URL; count: number; /** Whether this thread claims files too (default true). */ mainThread?: boolean },
  lintHere: (path: string) => LintedFile,
  signal?: AbortSignal,
): Promise<LintedFile[]> {
  const next = new Int32Array(new SharedArrayBuffer(4));
  const linted: (LintedFile | undefined)[] = new Array(paths.length);
  const input: WorkerInput = { paths, config, cwd, next: next.buffer as SharedArrayBuffer };
  const started = Array.from({ length: workers.count }, () =>
    start(workers.entry, input, (output) => {
      for (const { index, report } of output) linted[index] = fromReport(paths[index]!, report, config, cwd);
    }),
  );
  try {
    const here = workers.mainThread !== false;
    for (let chunk = here ? claim(next, paths.length) : undefined; chunk; chunk = claim(next, paths.length)) {
      signal?.throwIfAborted();
      for (let i = chunk[0]; i < chunk[1]; i++) linted[i] = lintHere(paths[i]!);
      // Let an abort, and the workers' reports, in between chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
    await untilAborted(Promise.all(started.map((w) => w.exited)), signal);
  } finally {
    for (const w of started) void w.worker.terminate();
  }
  for (let i = 0; i < paths.length; i++) {
    if (linted[i]) continue;
    signal?.throwIfAborted();
    linted[i] = lintHere(paths[i]!);
  }
  return linted as LintedFile[];
}

function start(entry: URL, input: WorkerInput, receive: (output: WorkerOutput) => void): { worker: Worker; exited: Promise<void> } {
  const worker = new Worker(entry, { workerData: input });
  worker.on('message', receive);
  // An error also ends the worker; its unfinished files are checked on the main thread.
  worker.on('error', () => {});
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return { worker, exited };
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
