/**
 * `compile --watch`: compile once, then again after each burst of saves to the cases, their images, the preface, the
 * templates or huibian.yaml, with one Chromium kept running between builds. A build that fails (lint errors, a broken
 * config, a browser problem) says why and leaves the previous outputs as they were; the loop goes on until Ctrl-C.
 */
import type { Dirent } from 'node:fs';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { configFileName, findConfig, loadConfig, type ResolvedConfig } from '../config/load.js';
import type { LintedFile } from '../lint/linted-file.js';
import { keepBrowsers, type PrintKeeper } from '../pdf/index.js';
import { imagePaths } from '../preview/snapshot.js';
import { silentProgress } from '../shared/progress.js';
import { createWatcher } from '../shared/watch.js';
import type { WorkflowResult } from '../shared/workflow.js';
import { compile, type CompileOptions, type CompileResult } from './compile.js';
import { inside } from '../shared/inside.js';

export interface CompileWatchOptions extends CompileOptions {
  /** Quiet time after the last change before a rebuild starts, in milliseconds (default: defaultWatchDebounceMs). */
  debounceMs?: number;
  /** Told after each build, the first included (for tests and the bench). */
  onBuild?: (build: WatchBuild) => void;
}

/** One build of the loop. */
export interface WatchBuild {
  /** 1 for the first build. */
  number: number;
  /** compile()'s result: exit code 0 when the outputs were written. */
  result: CompileResult;
  /** Wall time of the build, in milliseconds. */
  ms: number;
}

export interface CompileWatchResult extends WorkflowResult<0 | 2> {
  /** Builds run, the first included. */
  builds: number;
  /** Why the loop could not start (exit code 2), in one sentence. */
  problem?: string;
}

/** Long enough to fold an editor's write-and-rename (and a `git checkout`) into one rebuild, short beside a rebuild. */
export const defaultWatchDebounceMs = 50;

/** Editors' swap, backup and probe files: saving them is not saving the book. */
const editorLitter = /^\.|~$|\.sw[a-p]$|^4913$|^#.*#$/;

/**
 * Compile, then watch and recompile until `options.signal` aborts. Resolves (exit code 0) once stopped, with the
 * browser closed; exit code 2 only when there is no huibian.yaml to start from. Without a signal there is no way to
 * stop, so it builds once and returns.
 */
export async function compileWatch(options: CompileWatchOptions): Promise<CompileWatchResult> {
  const stderr = options.streams?.stderr;
  const { signal } = options;
  const configPath = options.configPath ? resolve(options.cwd, options.configPath) : findConfig(options.cwd);
  if (!configPath || !(await stat(configPath).catch(() => undefined))?.isFile()) {
    const problem = options.configPath
      ? `配置文件“${options.configPath}”不存在`
      : `未找到 ${configFileName}：从 ${options.cwd} 向上的各级文件夹中都没有；请在汇编文件夹中运行，或用 --config 指定`;
    stderr?.write(`huibian：${problem}\n`);
    return { exitCode: 2, files: [], builds: 0, problem };
  }

  // One browser for every build; closed when the signal aborts, whatever a build is doing.
  const browsers = keepBrowsers(signal);
  // …and the book's page in it, for the next build's book to be put into.
  const keeper: PrintKeeper = {};
  let builds = 0;
  let last: CompileResult | undefined;
  /** The fingerprint of the inputs the last build read (see fingerprintOf). */
  let built: string | undefined;
  let inputs: Inputs = { files: [configPath], dirs: [] };
  let building: Promise<void> | undefined;
  let again = false;

  const watcher = createWatcher(() => rebuild(), {
    debounceMs: options.debounceMs ?? defaultWatchDebounceMs,
    ignore: (name) => editorLitter.test(name),
    onError: (dir, error) => {
      // A folder that does not exist (an image folder not made yet) is reported by lint already.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') stderr?.write(`警告：无法监视文件夹“${dir}”的变化：${error.message}\n`);
    },
  });
  // Where the outputs go (`--out`, or the config's `out`): never watched, or writing them would start the next build.
  const outDirOf = (config: ResolvedConfig) => (options.outDir ? resolve(options.cwd, options.outDir) : config.outDir);
  const watchInputs = (next: Inputs) => {
    inputs = next;
    watcher.set(inputs.files, inputs.dirs);
  };

  /** A change during a build queues exactly one more build, however many saves it was. */
  function rebuild(): void {
    if (signal?.aborted) return;
    if (building) {
      again = true;
      return;
    }
    building = (async () => {
      do {
        again = false;
        await build();
      } while (again && !signal?.aborted);
      building = undefined;
    })();
  }

  async function build(): Promise<void> {
    // A save that changed no byte (an editor saving an unchanged file, a checkout of the same content) changes no
    // output. Read before compile reads: a later save changes the fingerprint again and gets its own build.
    const fingerprint = await fingerprintOf(inputs);
    if (last?.exitCode === 0 && fingerprint === built && (await allExist(last.outputs))) {
      stderr?.write(`[${clock()}] 输入的内容与上一版相同，未重新生成\n`);
      return;
    }
    builds += 1;
    const number = builds;
    const started = performance.now();
    let result: CompileResult;
    try {
      result = await compile({
        ...options,
        configPath,
        browsers,
        keeper,
        // The first build reports like a plain compile; later ones say one line each (below), and show their
        // progress only on a terminal, where it is one line rewritten in place.
        summary: number === 1,
        progress: options.progress ?? (number === 1 || stderr?.isTTY ? undefined : silentProgress),
      });
    } catch (error) {
      // A bug in huibian, not in the book: say so, keep the previous outputs and keep watching.
      stderr?.write(`huibian：第 ${number} 次生成失败（huibian 的缺陷，请报告）：${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      return;
    }
    const ms = performance.now() - started;
    last = result;
    built = fingerprint;
    // A broken huibian.yaml names nothing to watch: keep what was watched, so fixing it is seen.
    if (result.config) watchInputs(await inputsOf(result.config, result.linted ?? [], outDirOf(result.config)));
    // The first build that worked has said so in compile's summary already.
    if (result.exitCode !== 130 && (number > 1 || result.exitCode !== 0)) stderr?.write(buildLine(number, result, ms, options.cwd));
    options.onBuild?.({ number, result, ms });
  }

  // Watch before the first build, so a save made while it runs is not missed.
  const loaded = await loadConfig({ cwd: options.cwd, configPath });
  if (loaded.ok) watchInputs(await inputsOf(loaded.config, [], outDirOf(loaded.config)));
  else watchInputs(inputs);
  if (!signal?.aborted) {
    rebuild();
    await building;
  }
  if (!signal?.aborted) stderr?.write(`正在监视 ${inputs.dirs.length} 个文件夹和 ${inputs.files.length} 个文件的变化：保存后自动重新生成；按 Ctrl-C 停止。\n`);

  // The folder watches do not hold the process open (the preview's server does that for it), and the browser's pipes
  // go when it crashes: this timer keeps the loop alive until Ctrl-C.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await new Promise<void>((done) => {
    if (!signal || signal.aborted) return done();
    signal.addEventListener('abort', () => done(), { once: true });
  });
  clearInterval(keepAlive);
  // Stop taking work, let a running build see the abort, then close the browser.
  watcher.close();
  await building;
  await browsers.close();
  stderr?.write('已停止监视。\n');
  return { exitCode: 0, files: last?.files ?? [], builds };
}

/** What a build read, to be watched: files by name, folders whole. */
interface Inputs {
  files: string[];
  dirs: string[];
}

/**
 * huibian.yaml, the preface and the cases' images outside the cases folder by name; the cases folder with every folder
 * below it (a new case or a new sector folder is a change), and the template folders, whole. The output folder is
 * left out even when it sits inside a watched folder: writing the outputs must not start another build.
 */
async function inputsOf(config: ResolvedConfig, linted: readonly LintedFile[], outDir: string): Promise<Inputs> {
  const skip = (dir: string) => dir === outDir || dir.startsWith(outDir + sep);
  const dirs = [config.casesDir, ...(await foldersBelow(config.casesDir, skip))];
  for (const dir of config.templateDirs) dirs.push(dir, ...(await foldersBelow(dir, skip)));
  // The cases folder by name too: one that does not exist yet is seen when it is made.
  const files = [config.configPath, config.casesDir];
  if (config.preface) files.push(resolve(config.root, config.preface));
  for (const { document } of linted) {
    if (!document) continue;
    for (const image of imagePaths(document.mdast, document.source.path)) {
      if (!inside(config.casesDir, image)) files.push(image);
    }
  }
  return { files: [...new Set(files)], dirs: [...new Set(dirs)].filter((d) => !skip(d)) };
}

/** Every folder below `dir` at any depth, but hidden ones (.git) and node_modules and those `skip` says. */
async function foldersBelow(dir: string, skip: (dir: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (skip(path)) continue;
    found.push(path, ...(await foldersBelow(path, skip)));
  }
  return found;
}

/**
 * A hash of every input's name and bytes: the named files, and each file directly in the watched folders (their
 * subfolders are watched folders of their own). A file that cannot be read counts as missing.
 */
async function fingerprintOf(inputs: Inputs): Promise<string> {
  const hash = createHash('sha256');
  const add = async (path: string) => {
    hash.update(`${path}\0`);
    hash.update(await readFile(path).catch(() => '\0missing'));
  };
  for (const file of inputs.files) await add(file);
  for (const dir of inputs.dirs) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    const names = entries.filter((e) => e.isFile() && !editorLitter.test(e.name)).map((e) => e.name);
    for (const name of names.sort()) await add(join(dir, name));
  }
  return hash.digest('hex');
}

async function allExist(paths: readonly string[]): Promise<boolean> {
  const found = await Promise.all(paths.map((p) => stat(p).then(() => true, () => false)));
  return found.every(Boolean);
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8);
}

/** One line per build: when, what came out, how many prints, how long; or that the previous outputs stay. */
function buildLine(number: number, result: CompileResult, ms: number, cwd: string): string {
  const time = `${(ms / 1000).toFixed(1)} 秒`;
  const what = number === 1 ? '首次生成' : `第 ${number} 次生成`;
  if (result.exitCode !== 0) {
    const why = result.exitCode === 1 ? '案例有错误' : '原因见上';
    return `[${clock()}] ${what}未完成（${why}），输出保持上一版；改正并保存后自动重新生成（${time}）\n`;
  }
  const parts = [`${result.cases ?? 0} 个案例`];
  if (result.pages !== undefined) parts.push(`${result.pages} 页`);
  if (result.prints) parts.push(`排版 ${result.prints.printed} 次${result.prints.reused ? `，沿用 ${result.prints.reused} 段` : ''}`);
  const outputs = result.outputs.map((p) => relative(cwd, p) || p).join('、');
  return `[${clock()}] ${what}：${parts.join('，')}，用时 ${time} → ${outputs}\n`;
}
