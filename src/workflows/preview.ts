/** `preview()`: one case, typeset with the book's templates, served on 127.0.0.1 and refreshed on save; or written once. */
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { configFileName, findConfig } from '../config/load.js';
import { writeOnce } from '../preview/once.js';
import { serve } from '../preview/serve.js';
import type { PreviewOptions, PreviewResult } from '../preview/options.js';
import { createLoader } from '../preview/snapshot.js';

export type { PreviewOptions, PreviewResult } from '../preview/options.js';

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
