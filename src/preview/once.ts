/** `--once`: one pass, the case written as HTML (and PDF) the way `compile` writes the book, then exit. For scripts and tests. */
import { basename, extname, join, relative, resolve } from 'node:path';
import { countMessages } from '../shared/diagnostics.js';
import { writeOutputs, type Output } from '../shared/write-outputs.js';
import { isBrowserProblem, locateBrowser } from '../pdf/index.js';
import { renderCase } from '../render/book.js';
import { formatStylish } from '../report/stylish.js';
import type { PreviewOptions, PreviewResult } from './options.js';
import { printCase } from './print-case.js';
import type { Snapshot } from './snapshot.js';

/**
 * Exit codes: 0 written (warnings allowed); 1 the case has lint errors — written all the same when it could be
 * rendered, since a preview is for looking at work in progress, not written when it could not; 2 huibian.yaml is
 * broken or there is no browser for --pdf; 130 interrupted.
 */
export async function writeOnce(snapshot: Snapshot, options: PreviewOptions, file: string): Promise<PreviewResult> {
  const stderr = options.streams?.stderr;
  const { state } = snapshot;
  const result: PreviewResult = { exitCode: 0, files: state.files, outputs: [] };
  const stop = (exitCode: PreviewResult['exitCode'], problem: string): PreviewResult => {
    stderr?.write(`huibian：${problem}\n`);
    return { ...result, exitCode, problem };
  };
  const counts = countMessages(state.files);
  if (counts.errors || counts.warnings) stderr?.write(formatStylish(state.files, { cwd: options.cwd, color: !!options.color }));
  if (state.stage === 'config') return stop(2, 'huibian.yaml 有错误，未写出文件');
  if (state.stage === 'case') return stop(1, '案例有错误，无法排版，未写出文件');
  if (state.stage === 'template') return stop(2, `模板出错，无法排版，未写出文件：${state.message}`);
  for (const w of state.rendered.warnings) stderr?.write(`警告：${w.message}\n`);

  const { config } = state;
  const outDir = options.once?.outDir ? resolve(options.cwd, options.once.outDir) : config.outDir;
  const name = basename(file, extname(file));
  const web = await renderCase(state.case, config, { target: 'web' });
  const outputs: Output[] = [{ path: join(outDir, `${name}.html`), data: web.html }];
  if (options.once?.pdf) {
    const lookup = locateBrowser(config.browser.executablePath, options.env ?? {});
    if (!lookup.found) return stop(2, lookup.message);
    try {
      const pdf = await printCase({
        case: state.case,
        config,
        html: state.rendered.html,
        executablePath: lookup.executablePath,
        env: options.env ?? {},
        signal: options.signal,
      });
      for (const w of pdf.warnings) stderr?.write(`警告：${w}\n`);
      outputs.push({ path: join(outDir, `${name}.pdf`), data: pdf.bytes });
    } catch (error) {
      if (options.signal?.aborted) return stop(130, '已中断，未写出文件');
      if (isBrowserProblem(error)) return stop(2, error.message);
      throw error;
    }
  }
  await writeOutputs(outputs);
  const written = outputs.map((o) => o.path);
  stderr?.write(`已写出：\n${written.map((p) => `  ${relative(options.cwd, p) || p}\n`).join('')}`);
  return { ...result, exitCode: counts.errors ? 1 : 0, outputs: written };
}
