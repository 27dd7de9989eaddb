/**
 * The one shape of every workflow a user runs (src/workflows/: compile, lint, preview, import, init, doctor): options in, a result with an
 * exit code out. The outside world comes in through the options; only src/cli/ reads `process`.
 */
import type { VFile } from 'vfile';
import type { Streams } from './streams.js';

export interface WorkflowOptions {
  /** The folder relative paths are taken from (the CLI passes `process.cwd()`). */
  cwd: string;
  /** `--config FILE`; otherwise huibian.yaml is found by walking up the folders. */
  configPath?: string;
  /** Stops the run (Ctrl-C); outputs already there stay as they were. */
  signal?: AbortSignal;
  /** Where diagnostics, progress and the summary go; nothing is written without it (lint writes nothing: its caller formats the result). */
  streams?: Streams;
}

export interface WorkflowResult<Code extends number = number> {
  /** 0 ok, 1 errors in the input, 2 usage, config or environment problems, 130 interrupted. */
  exitCode: Code;
  /** The files looked at (huibian.yaml and case files), each with its messages. */
  files: VFile[];
}
