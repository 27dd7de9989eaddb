/** `preview()`: one case, typeset with the book's templates, served on 127.0.0.1 and refreshed on save; or written once. */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { VFile } from 'vfile';
import { configFileName, findConfig } from '../config/load.js';
import type { Streams } from '../logger.js';
import { writeOnce } from './once.js';
import { serve } from './serve.js';
import { createLoader } from './snapshot.js';

export interface PreviewOptions {
  cwd: string;
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
  streams?: Streams;
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

export interface PreviewResult {
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

/** Preview one case. In server mode the promise resolves after `signal` aborts, with everything closed. */
export async function preview(options: PreviewOptions): Promise<PreviewResult> {
  const stop = (problem: string): PreviewResult => {
    options.streams?.stderr.write(`huibian：${problem}\n`);
    return { exitCode: 2, files: [], outputs: [], problem };
  };
  const file = resolve(options.cwd, options.file);
  const found = await stat(file).catch(() => undefined);
  if (!found) return stop(`案例文件“${options.file}”不存在`);
  if (!found.isFile()) return stop(`“${options.file}”是文件夹；预览一次只看一个案例文件（.md）`);
  const configPath = options.configPath ? resolve(options.cwd, options.configPath) : findConfig(dirname(file));
  if (!configPath) return stop(`未找到 ${configFileName}：从 ${dirname(file)} 向上的各级文件夹中都没有；请用 --config 指定`);
  if (!(await stat(configPath).catch(() => undefined))?.isFile()) return stop(`配置文件“${options.configPath ?? configPath}”不存在`);
  const source = { cwd: options.cwd, file, configPath, env: options.env };
  const load = createLoader(source);
  if (options.once) return writeOnce(await load(), options, file);
  return serve(source, load, options);
}
