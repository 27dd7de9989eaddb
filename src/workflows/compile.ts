/** The compile workflow: lint → group → render (web, print) → print PDF → write outputs atomically → summary. */
import { isAbsolute, relative, resolve } from 'node:path';
import type { Case } from '../case/resolve.js';
import type { ResolvedConfig } from '../config/load.js';
import type { LintedFile } from '../lint/linted-file.js';
import { buildCompilation, type Compilation } from '../compile/group.js';
import { countMessages } from '../shared/diagnostics.js';
import { defaultFormats, outputFormats, type OutputFormat } from '../shared/output-formats.js';
import { lint } from './lint.js';
import type { WorkflowOptions, WorkflowResult } from '../shared/workflow.js';
import { writeOutputs, type Output } from '../shared/write-outputs.js';
import { isBrowserProblem, keepBrowsers, locateBrowser, makePdf, type KeptBrowsers, type PrintKeeper, type PdfResult } from '../pdf/index.js';
import { metadataFor } from '../pdf/metadata.js';
import { createProgress, silentProgress, type Progress } from '../shared/progress.js';
import { fontDirs } from '../render/fonts.js';
import { FontCacheProblem, fontCacheDir } from '../render/font-subset.js';
import { renderBook } from '../render/book.js';
import { renderWebBook } from '../render/web.js';
import { formatStylish } from '../report/stylish.js';

export { outputFormats, type OutputFormat };

/** 0 ok, 1 lint errors, 2 usage/config/browser problems, 130 interrupted (as a shell reports Ctrl-C). */
export type CompileExitCode = 0 | 1 | 2 | 130;

export interface CompileOptions extends WorkflowOptions {
  /** `--out DIR` (relative to cwd); otherwise the config's `out`. */
  outDir?: string;
  formats?: readonly OutputFormat[];
  includeDrafts?: boolean;
  /** Colour diagnostics; default off. */
  color?: boolean;
  /** Environment: PUPPETEER_EXECUTABLE_PATH, SOURCE_DATE_EPOCH. Default: none. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Override the progress reporter (default: stderr, live on a terminal). */
  progress?: Progress;
  /**
   * Keep printed PDF segments in `.cache/huibian/pdf` beside huibian.yaml and reuse those whose content and place are
   * unchanged (default true); false prints every segment afresh and leaves the folder alone. Not in out/, which is
   * what gets copied to the print shop.
   */
  cache?: boolean;
  /** Print with a browser kept running between builds (`compile --watch`) instead of launching one. */
  browsers?: KeptBrowsers;
  /** With `browsers`: the book's page kept between builds, for the next build's book to be put into (see PrintKeeper). */
  keeper?: PrintKeeper;
  /** Write the closing summary (`完成：…` and the outputs); default on. The watch loop writes a line of its own. */
  summary?: boolean;
}

export interface CompileResult extends WorkflowResult<CompileExitCode> {
  /** Absolute paths written. */
  outputs: string[];
  /** Pages in the PDF. */
  pages?: number;
  /** Cases in the book. */
  cases?: number;
  /** Render and print warnings (a missing glyph, a blocked request, …). */
  warnings: string[];
  /** Why the compile stopped with exit code 2, in one sentence. */
  problem?: string;
  /** Element id → printed page number, for tests and tools. */
  pageNumbers?: Map<string, number>;
  /**
   * How many segments Chromium printed, how many the segment cache gave instead, and how many times the book was loaded
   * into a fresh browser page (0 when it went into the page kept from the last build), when a PDF was made.
   */
  prints?: { printed: number; reused: number; loads: number };
  /** How many frame prints (a body segment's page margins: running heads, page numbers) Chromium made and the cache gave. */
  frames?: { printed: number; reused: number };
  /** How the printed segments went into the PDF: all copied anew, or in `--watch` only those that changed (see mergeSegments). */
  merge?: { inPlace: boolean; copied: number };
  /** The config and the cases as lint read them (the watch loop watches what they name). */
  config?: ResolvedConfig;
  linted?: LintedFile[];
}

/** Build the book. Writes nothing unless every requested output was made. */
export async function compile(options: CompileOptions): Promise<CompileResult> {
  const started = performance.now();
  const stderr = options.streams?.stderr;
  const progress = options.progress ?? (stderr ? createProgress(stderr) : silentProgress);
  const formats = options.formats?.length ? [...new Set(options.formats)] : [...defaultFormats];
  const env = options.env ?? {};
  const result: CompileResult = { exitCode: 0, files: [], outputs: [], warnings: [] };
  const stop = (exitCode: CompileExitCode, problem?: string): CompileResult => {
    progress.end();
    if (problem) stderr?.write(`huibian：${problem}\n`);
    return { ...result, exitCode, problem };
  };
  let browsers = options.browsers;
  let ownBrowsers: KeptBrowsers | undefined;
  try {
    progress.stage('检查案例');
    const linted = await lint({ cwd: options.cwd, configPath: options.configPath, signal: options.signal });
    result.files = linted.files;
    result.config = linted.config;
    result.linted = linted.linted;
    const counts = countMessages(result.files);
    if (counts.errors || counts.warnings) {
      progress.end();
      stderr?.write(formatStylish(result.files, { cwd: options.cwd, color: !!options.color }));
    }
    // A broken huibian.yaml, or a cases folder that is not there: a configuration problem, not an empty book.
    if (!linted.config || linted.exitCode === 2) return stop(2);
    if (counts.errors) return stop(1, `检查发现 ${counts.errors} 个错误，未生成汇编；请先改正（可运行 huibian lint 查看）`);
    const config = linted.config;

    let executablePath: string | undefined;
    if (formats.includes('pdf')) {
      const lookup = locateBrowser(config.browser.executablePath, env);
      if (!lookup.found) return stop(2, lookup.message);
      executablePath = lookup.executablePath;
      if (!browsers) {
        // Launched now, while the cases are grouped and the HTML made (half a second or more each); closed as soon as
        // the book is printed. Its protocol limit covers books of up to 30 MB of HTML (see printLimitFor): a bigger one
        // is launched afresh with a longer limit.
        browsers = ownBrowsers = keepBrowsers(options.signal);
        browsers.get({ executablePath, timeout: config.browser.timeout }).warm(config.browser.timeout * 30);
      }
    }

    const cases = linted.linted.map((l) => l.case).filter((c): c is Case => !!c);
    const compilation = buildCompilation(cases, config, { includeDrafts: options.includeDrafts });
    result.cases = compilation.cases.length;
    progress.stage(`分组：${compilation.parts.length} 篇，${compilation.cases.length} 个案例`);
    options.signal?.throwIfAborted();

    const outDir = options.outDir ? resolve(options.cwd, options.outDir) : config.outDir;
    const cacheDir = options.cache === false ? undefined : resolve(config.root, '.cache', 'huibian', 'pdf');
    const made = await makeOutputs(compilation, { formats, executablePath, outDir, cacheDir, env, progress, cwd: options.cwd, signal: options.signal, browsers, keeper: options.keeper, closeBrowserWhenPrinted: !!ownBrowsers });
    const outputs = made.outputs;
    result.warnings.push(...made.warnings);
    result.pages = made.pages;
    result.pageNumbers = made.pageNumbers;
    result.prints = made.prints;
    result.frames = made.frames;
    result.merge = made.merge;

    options.signal?.throwIfAborted();
    progress.stage('写出文件');
    try {
      await writeOutputs(outputs);
    } catch (error) {
      // A full disk, a read-only folder, a file where out/ should be: the user's environment, not a bug.
      return stop(2, writeProblem(outDir, error));
    }
    result.outputs = outputs.map((o) => o.path);
    progress.end();
    for (const w of result.warnings) stderr?.write(`警告：${w}\n`);
    if (options.summary !== false) stderr?.write(summary(result, performance.now() - started, options.cwd));
    return { ...result, exitCode: 0 };
  } catch (error) {
    if (options.signal?.aborted) return stop(130, '已中断，输出文件保持原样');
    if (isBrowserProblem(error) || error instanceof FontCacheProblem) return stop(2, error.message);
    progress.end();
    throw error;
  } finally {
    await ownBrowsers?.close();
  }
}

/** What makeOutputs needs besides the book. */
interface OutputPlan {
  formats: OutputFormat[];
  /** The browser to print with (when the PDF is asked for). */
  executablePath?: string;
  outDir: string;
  /** Where printed segments are kept between runs, if anywhere. */
  cacheDir?: string;
  env: Readonly<Record<string, string | undefined>>;
  progress: Progress;
  cwd: string;
  signal?: AbortSignal;
  browsers?: KeptBrowsers;
  keeper?: PrintKeeper;
  /** The browser was launched for this compile alone: close it once the book is printed. */
  closeBrowserWhenPrinted?: boolean;
}

/** The outputs made in memory, not yet written, with the render and print warnings in the order they are shown. */
interface MadeOutputs {
  outputs: Output[];
  warnings: string[];
  pages?: number;
  pageNumbers?: Map<string, number>;
  prints?: { printed: number; reused: number; loads: number };
  frames?: { printed: number; reused: number };
  merge?: { inPlace: boolean; copied: number };
}

/**
 * Make every requested output in memory. The PDF starts first: while Chromium loads and lays out the book in its own
 * processes, Node renders the web edition and the Word file. Nothing is written here; on any failure the browser is
 * closed before the error goes on.
 */
async function makeOutputs(compilation: Compilation, plan: OutputPlan): Promise<MadeOutputs> {
  const { formats, executablePath, outDir, cacheDir, env, progress, cwd, signal, browsers, keeper, closeBrowserWhenPrinted } = plan;
  const config = compilation.config;
  const made: MadeOutputs = { outputs: [], warnings: [] };
  let printing: Promise<PdfResult> | undefined;
  const printController = new AbortController();
  const stopPrinting = () => printController.abort(signal?.reason);
  signal?.addEventListener('abort', stopPrinting, { once: true });
  try {
    if (formats.includes('pdf') && executablePath) {
      progress.stage('生成供印刷的 HTML');
      const print = await renderBook(compilation, { target: 'print', fontCacheDir: fontCacheDir(env) });
      // The web render reports the same content's warnings.
      if (!formats.includes('html')) made.warnings.push(...print.warnings.map((w) => warningText(w, cwd)));
      printing = makePdf({
        html: print.html,
        allowedDirs: [config.root, ...config.templateDirs, ...fontDirs(fontCacheDir(env))],
        partsOnRight: config.page.partsOnRight,
        executablePath,
        timeout: config.browser.timeout,
        metadata: metadataFor(compilation, env),
        cacheDir,
        signal: printController.signal,
        browser: browsers?.get({ executablePath, timeout: config.browser.timeout }),
        keeper,
        closeBrowserWhenPrinted,
        onStage: (text) => progress.stage(text),
      });
      // Settled below; until then a rejection must not count as unhandled.
      printing.catch(() => undefined);
    }
    if (formats.includes('html')) {
      if (!printing) progress.stage('生成 HTML');
      // out/<name>.html is the web edition (sidebar, filters, search); the PDF prints from the script-free print HTML.
      const web = await renderWebBook(compilation);
      made.warnings.unshift(...web.warnings.map((w) => warningText(w, cwd)));
      made.outputs.push({ path: resolve(outDir, `${config.name}.html`), data: web.html });
    }
    if (formats.includes('docx')) {
      // Loaded only when asked for: the docx library is large.
      const { makeDocx } = await import('../docx/index.js');
      const docx = await makeDocx(compilation, { metadata: metadataFor(compilation, env), signal: signal, onStage: (t) => progress.stage(t) });
      if (!formats.includes('html') && !formats.includes('pdf')) made.warnings.push(...docx.warnings.map((w) => warningText(w, cwd)));
      made.outputs.push({ path: resolve(outDir, `${config.name}.docx`), data: docx.bytes });
    }
    if (printing) {
      const pdf = await printing;
      made.pages = pdf.pages;
      made.pageNumbers = pdf.pageNumbers;
      made.prints = { printed: pdf.prints, reused: pdf.reused, loads: pdf.loads };
      made.frames = pdf.frames;
      made.merge = pdf.merge;
      made.warnings.push(...pdf.warnings);
      made.outputs.push({ path: resolve(outDir, `${config.name}.pdf`), data: pdf.bytes });
    }
  } catch (error) {
    // The web render failed while printing: close the browser before going on.
    stopPrinting();
    await printing?.catch(() => undefined);
    throw error;
  } finally {
    signal?.removeEventListener('abort', stopPrinting);
  }
  return made;
}

/** Why the outputs could not be written, in one sentence; writeOutputs has left the previous files as they were. */
function writeProblem(outDir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    EEXIST: '这个路径（或其上一级）是一个文件，不是文件夹',
    ENOTDIR: '这个路径（或其上一级）是一个文件，不是文件夹',
    EISDIR: '要写的输出文件名已被一个文件夹占用',
    EACCES: '没有写入权限',
    EPERM: '没有写入权限',
    EROFS: '所在的文件系统是只读的',
    ENOSPC: '磁盘空间已满',
    EDQUOT: '磁盘配额已用完',
  };
  const reason = (code && reasons[code]) ?? `写入失败（${code ?? (error instanceof Error ? error.message : String(error))}）`;
  return `无法把输出写到“${outDir}”：${reason}；原有的输出文件保持原样，请换一个输出文件夹（--out）或解决上述问题`;
}

function warningText(w: { casePath?: string; message: string }, cwd: string): string {
  return w.casePath ? `${relativeTo(cwd, w.casePath)}：${w.message}` : w.message;
}

function summary(result: CompileResult, ms: number, cwd: string): string {
  const parts = [`${result.cases ?? 0} 个案例`];
  if (result.pages !== undefined) parts.push(`${result.pages} 页`);
  parts.push(`用时 ${(ms / 1000).toFixed(1)} 秒`);
  const lines = [`完成：${parts.join('，')}`, ...result.outputs.map((p) => `  ${relativeTo(cwd, p)}`)];
  return `${lines.join('\n')}\n`;
}

/** A path as the user would type it from cwd: relative when inside, absolute otherwise. */
function relativeTo(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}
