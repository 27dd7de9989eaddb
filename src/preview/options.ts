/** What preview() is asked and what it answers: shared by the workflow (src/workflows/preview.ts), the server and --once. */
import type { VFile } from 'vfile';
import type { WorkflowOptions, WorkflowResult } from '../shared/workflow.js';

export interface PreviewOptions extends WorkflowOptions {
  /** The case file (relative to cwd). */
  file: string;
  /** `--config FILE`; otherwise huibian.yaml is found by walking up from the case file's folder. */
  configPath?: string;
  /** `--port N`; default: a free port. */
  port?: number;
  /** `--open`: open the page in the system browser. */
  open?: boolean;
  /** Which opener `open` uses; default linux (xdg-open). */
  platform?: NodeJS.Platform;
  /** `--once [--out DIR] [--pdf]`: write the case and return instead of serving. */
  once?: { outDir?: string; pdf?: boolean };
  /** Stops the server (Ctrl-C), or the printing of --once --pdf. */
  signal?: AbortSignal;
  color?: boolean;
  /** PUPPETEER_EXECUTABLE_PATH, SOURCE_DATE_EPOCH. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Told once the server listens. */
  onListening?: (info: { url: string; port: number }) => void;
  /** Told about each new version of the page after the first, with how long its pass took (ms). */
  onVersion?: (update: { version: number; ms: number }) => void;
  /** Quiet time after a file event before re-rendering; default 15 ms. */
  debounceMs?: number;
}

export interface PreviewResult extends WorkflowResult<0 | 1 | 2 | 130> {
  /** 0 ok (or stopped), 1 the case has lint errors (--once), 2 usage, config, port or browser problem, 130 interrupted. */
  exitCode: 0 | 1 | 2 | 130;
  /** The last pass's files with their messages (huibian.yaml first when it has any, then the case). */
  files: VFile[];
  /** Absolute paths written (--once). */
  outputs: string[];
  /** The page's address (server mode). */
  url?: string;
  /** Why the preview stopped with exit code 2, in one sentence. */
  problem?: string;
}
