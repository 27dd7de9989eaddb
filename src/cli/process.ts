/** What the long-running commands take from the process: where they run, their streams, colour, and Ctrl-C as an abort signal. */
import type { Streams } from '../shared/streams.js';

export interface ProcessContext {
  cwd: string;
  streams: Streams;
  color: boolean;
  env: NodeJS.ProcessEnv;
}

export function processContext(): ProcessContext {
  return {
    cwd: process.cwd(),
    streams: { stdout: process.stdout, stderr: process.stderr },
    color: !!process.stderr.isTTY && !process.env.NO_COLOR,
    env: process.env,
  };
}

/**
 * Run `work` with an AbortSignal that SIGINT (Ctrl-C) and SIGTERM abort, so the library can close the browser and
 * leave outputs intact; the handlers are removed afterwards.
 */
export async function withInterrupt<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}
