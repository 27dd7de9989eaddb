/**
 * The `import()` workflow: Word submissions (files or folders) → one case per document in the cases folder, images
 * beside it, and an intake report. One bad file never stops the run; nothing existing is overwritten without `force`.
 */
import { lstat, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, relative, resolve } from 'node:path';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import { bodyFacts } from '../lint/body.js';
import { lintSource } from '../lint/run.js';
import { normaliseTitle } from '../lint/rules/section-missing.js';
import { ExitCode } from '../shared/exit-code.js';
import type { WorkflowOptions } from '../shared/workflow.js';
import type { ImportResult, MappedDiagnostic, SubmissionReport } from '../import/intake.js';
import { writeOutputs, type Output } from '../shared/write-outputs.js';
import { createProgress, silentProgress, type Progress } from '../shared/progress.js';
import { makeSource } from '../shared/source.js';
import { convertAllToDocx, convertToDocx, findSoffice, type Converted } from '../import/libreoffice.js';
import { detect } from '../import/detect.js';
import { uniqueIds } from '../import/names.js';
import { intakeHtml, reportFileName } from '../import/report.js';
import { readRoster, rosterMatcher, unusedRowMessage, type RosterRow } from '../import/roster.js';
import { caseFrom, convertWith, maxSubmissionBytes, readSubmission, type ImportedCase } from '../import/submission.js';
import { casesFromBook, isHuibianBook } from '../import/book.js';
import { ImportError } from '../import/zip.js';

/** Extensions taken from a folder (a file named on the command line is tried whatever its extension). */
export const wordExtensions = ['.docx', '.docm', '.dotx', '.dotm', '.doc', '.wps', '.rtf'];

export type { ImportResult, MappedDiagnostic, SubmissionReport };

export interface ImportOptions extends WorkflowOptions {
  /** Files or folders of submissions. */
  inputs: readonly string[];
  /** The editor's 汇总表 (.xlsx or .csv). */
  roster?: string;
  /** Where the cases go; default: the configured cases folder. */
  to?: string;
  /** Overwrite cases (and their images) that exist. */
  force?: boolean;
  progress?: Progress;
  /** Environment, for finding LibreOffice (default: none but the config's). */
  env?: Record<string, string | undefined>;
  /** Write out/收件报告.html (default true). */
  writeReport?: boolean;
}

/** Photos narrower than this (pixels) print blurred at a column's width. */
export const smallImageWidth = 600;

/** Import Word submissions. Exit code 0: all imported or skipped; 1: a file failed; 2: usage or config error. */
export async function importCases(options: ImportOptions): Promise<ImportResult> {
  const loaded = await loadConfig({ cwd: options.cwd, configPath: options.configPath });
  if (!loaded.ok) return { exitCode: ExitCode.usage, submissions: [], configFile: loaded.file, usage: loaded.file.messages.map((m) => String(m.reason)) };
  const config = loaded.config;
  const progress = options.progress ?? (options.streams ? createProgress(options.streams.stderr) : silentProgress);
  const { files, missing } = await collectInputs(options.inputs, options.cwd);
  if (missing.length || !options.inputs.length) {
    return { exitCode: ExitCode.usage, submissions: [], usage: options.inputs.length ? missing.map((p) => `路径“${p}”不存在`) : ['没有给出要导入的文件或文件夹'] };
  }
  let roster: { rows: RosterRow[]; messages: NonNullable<ImportResult['roster']>['messages'] } | undefined;
  if (options.roster) {
    const path = resolve(options.cwd, options.roster);
    if (!(await stat(path).catch(() => undefined))?.isFile()) return { exitCode: ExitCode.usage, submissions: [], usage: [`汇总表“${options.roster}”不存在`] };
    progress.stage('读取汇总表');
    const read = await readRoster(path, config);
    roster = {
      rows: read.rows,
      messages: read.file.messages.map((m) => ({ line: m.line, column: m.column, message: String(m.reason), severity: m.fatal ? 'error' : 'warn' })),
    };
  }
  const matcher = roster ? rosterMatcher(roster.rows) : undefined;
  const to = resolve(options.cwd, options.to ?? config.casesDir);
  const ids = uniqueIds(files);
  const soffice = findSoffice(config, options.env ?? {});
  // Old formats (.doc, .wps, RTF) are converted together first: one LibreOffice start costs seconds, a file well under one.
  const converted = new Map<string, Converted>();
  const tempDir = soffice ? await convertOldFormats(files, soffice, converted, progress, options.signal) : undefined;
  const convert = async (path: string, what: string, signal?: AbortSignal): Promise<Buffer> => {
    const done = converted.get(path);
    if (done?.ok) return readFile(done.path);
    if (done && !done.ok) throw new ImportError(done.message);
    return convertWith(convertToDocx, soffice, path, what, signal);
  };
  try {
    return await importAll();
  } finally {
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  }

  /** The run itself, with the converted files at hand. */
  async function importAll(): Promise<ImportResult> {
    const submissions: SubmissionReport[] = [];
    // Writes (each file flushed to disk) overlap with reading the next submissions; a few at a time bound the memory held.
    const writing: Promise<void>[] = [];
    const settle = async (limit: number) => {
      while (writing.length > limit) await writing.shift();
    };
    for (const [i, path] of files.entries()) {
      options.signal?.throwIfAborted();
      const source = relative(options.cwd, path) || path;
      progress.stage(`导入（${i + 1}/${files.length}）${basename(path)}`);
      // A submission is one case; a book huibian exported (back from a review) is one case per title, in its sector's folder.
      let made: { id: string; /** Where it is written, when not the cases folder. */ folder?: string; made: ImportedCase }[];
      try {
        const size = (await stat(path)).size;
        if (size > maxSubmissionBytes) throw new ImportError(`文件有 ${Math.round(size / 1024 / 1024)} MB，超过 ${maxSubmissionBytes / 1024 / 1024} MB 的上限，未读取`);
        const model = await readSubmission(path, { convert, signal: options.signal });
        if (isHuibianBook(model)) {
          // Without --to a reviewed book goes to out/<its name>/, not into cases/: it is there to be compared with the
          // cases, and the fields the book does not print (order, summary, tags…) would be lost by overwriting them.
          const bookDir = options.to ? to : join(config.outDir, basename(path, extname(path)));
          made = casesFromBook(model, basename(path), config).map((c) => ({ id: c.id, folder: c.sector ? join(bookDir, c.sector) : bookDir, made: c.made }));
          progress.stage(`导入（${i + 1}/${files.length}）${basename(path)}：huibian 导出的书，${made.length} 个案例`);
        } else {
          const roster = matcher ? (unit?: string) => matcher.find({ fileName: basename(path), unit }) : undefined;
          made = [{ id: ids[i]!, made: caseFrom(model, basename(path), ids[i]!, config, roster) }];
        }
      } catch (error) {
        if (options.signal?.aborted) throw error;
        // A bug met on one file must not stop the others: it is that file's failure, said so that it gets reported.
        const reason =
          error instanceof ImportError
            ? error.message
            : isFsError(error)
              ? fsReason(error)
              : `读取时出错（${(error as Error)?.message ?? String(error)}）；这多半是 huibian 的缺陷，请把这个文件报告给 huibian 的维护者`;
        submissions.push({ source, status: 'failed', reason });
        continue;
      }
      for (const one of made) await place(source, one.id, one.made, one.folder ?? to);
    }
    await settle(0);
    if (roster && matcher) for (const row of matcher.unused()) roster.messages.push({ line: row.line, message: unusedRowMessage(row), severity: 'warn' });
    progress.end();
    return finishRun(submissions);

    /** Write one case (and its images) into `dir`, unless it is there already; its report entry is filled in once written. */
    async function place(source: string, id: string, made: ImportedCase, dir: string): Promise<void> {
      const casePath = join(dir, `${id}.md`);
      const outputs: Output[] = [{ path: casePath, data: made.text }, ...made.images.map((im) => ({ path: join(dir, im.file), data: im.data }))];
      const existing: string[] = [];
      for (const o of outputs) if (await lstat(o.path).catch(() => undefined)) existing.push(relative(options.cwd, o.path) || o.path);
      const entry: SubmissionReport = { source, status: 'imported', id };
      submissions.push(entry);
      // The case is checked once its images are on disk (image-path looks for them).
      const finish = (): void => {
        try {
          Object.assign(entry, describe(made, casePath, config, options.cwd), { source, status: entry.status, reason: entry.reason, id });
        } catch (error) {
          // Checking the written case hit a bug: the case is there, but the report cannot say more about it.
          entry.warnings = [`检查导入的案例时出错（${(error as Error)?.message ?? String(error)}），请运行 huibian lint 查看`];
          entry.output = relative(options.cwd, casePath) || casePath;
        }
      };
      if (existing.length && !options.force) {
        entry.status = 'skipped';
        entry.reason = `${existing[0]}${existing.length > 1 ? ` 等 ${existing.length} 个文件` : ''}已存在，未覆盖（确认要覆盖请加 --force）`;
        finish();
        return;
      }
      writing.push(
        writeOutputs(outputs).then(finish, (error: unknown) => {
          if (!isFsError(error)) throw error;
          Object.assign(entry, { status: 'failed', reason: `写入 ${relative(options.cwd, casePath)} 失败：${fsReason(error)}` });
        }),
      );
      await settle(8);
    }
  }

  /** The run's result, and the intake report written. */
  async function finishRun(submissions: SubmissionReport[]): Promise<ImportResult> {
    const failed = submissions.some((s) => s.status === 'failed');
    const result: ImportResult = {
      exitCode: failed ? ExitCode.errors : ExitCode.ok,
      submissions,
      roster: options.roster && roster ? { path: relative(options.cwd, resolve(options.cwd, options.roster)), messages: roster.messages } : undefined,
    };
    if (options.writeReport !== false) {
      const reportPath = join(config.outDir, reportFileName);
      try {
        await writeOutputs([{ path: reportPath, data: intakeHtml(result, config) }]);
        result.reportPath = reportPath;
      } catch (error) {
        if (!isFsError(error)) throw error;
        progress.line(`huibian：收件报告未能写入 ${reportPath}：${fsReason(error)}`);
      }
    }
    return result;
  }
}

/** Convert every old-format submission with one LibreOffice start; results by path. Returns the folder to remove. */
async function convertOldFormats(files: readonly string[], soffice: string, converted: Map<string, Converted>, progress: Progress, signal?: AbortSignal): Promise<string | undefined> {
  const old: string[] = [];
  for (const path of files) {
    const size = (await stat(path).catch(() => undefined))?.size ?? 0;
    if (size === 0 || size > maxSubmissionBytes) continue;
    const data = await readFile(path).catch(() => undefined);
    if (data && detect(data).kind === 'convert') old.push(path);
  }
  if (!old.length) return undefined;
  const outDir = await mkdtemp(join(tmpdir(), 'huibian-import-'));
  progress.stage(`用 LibreOffice 转换 ${old.length} 个旧格式文件（.doc、.wps 等）`);
  const results = await convertAllToDocx(old, { soffice, outDir, signal, timeoutMs: 120_000 + 10_000 * old.length }).catch((error: Error) =>
    old.map((input): Converted => ({ input, ok: false, message: error.message })),
  );
  results.forEach((r, i) => converted.set(old[i]!, r));
  return outDir;
}

/** Lint the imported text and gather the report's facts for one case. */
function describe(made: ImportedCase, casePath: string, config: ResolvedConfig, cwd: string): Omit<SubmissionReport, 'source' | 'status'> {
  const linted = lintSource(makeSource(casePath, made.text), config, cwd);
  const diagnostics: MappedDiagnostic[] = linted.file.messages.map((m) => {
    const bodyLine = m.line !== undefined ? m.line - 1 - made.frontMatterLines : -1;
    const from = bodyLine >= 0 ? made.body.lines[bodyLine] : undefined;
    return {
      ruleId: m.ruleId ?? '',
      severity: m.fatal ? 'error' : 'warn',
      message: String(m.reason),
      line: m.line,
      column: m.column,
      paragraph: from?.paragraph || undefined,
      paragraphText: from?.paragraph ? from.text : undefined,
    };
  });
  const facts = linted.document ? bodyFacts(linted.document) : undefined;
  const titles = facts?.titles.map((t) => normaliseTitle(t.text)) ?? [];
  const sections = config.lint.sections.map((s) => s.replace(/\s+/gu, ''));
  const md = made.body.markdown;
  return {
    output: relative(cwd, casePath) || casePath,
    fields: made.fields,
    length: facts?.length,
    minLength: config.lint.minLength,
    maxLength: config.lint.maxLength,
    sections: { found: sections.filter((s) => titles.some((t) => t.startsWith(s))), missing: sections.filter((s) => !titles.some((t) => t.startsWith(s))) },
    headings: made.body.headings.length,
    paragraphs: new Set(made.body.lines.map((l) => l.paragraph).filter(Boolean)).size,
    tables: (md.match(/^\|( --- \|)+$/gm) ?? []).length,
    footnotes: (md.match(/^\[\^\d+\]: /gm) ?? []).length,
    images: made.images.map((im) => ({ file: im.file, width: im.width, height: im.height, bytes: im.data.length, small: (im.width ?? 0) < smallImageWidth, caption: im.caption })),
    warnings: made.warnings,
    diagnostics,
  };
}

/** Files named, and Word files found under folders named, sorted so ids are given out in the same order each run. */
async function collectInputs(inputs: readonly string[], cwd: string): Promise<{ files: string[]; missing: string[] }> {
  const files = new Set<string>();
  const missing: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name.startsWith('~$')) continue; // hidden files, and Word's lock files (~$案例.docx)
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path);
      else if (e.isFile() && wordExtensions.includes(extname(e.name).toLowerCase())) files.add(path);
    }
  };
  for (const input of inputs) {
    const path = resolve(cwd, input);
    const s = await stat(path).catch(() => undefined);
    if (!s) missing.push(input);
    else if (s.isDirectory()) await walk(path);
    else files.add(path);
  }
  return { files: [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), missing };
}

function isFsError(error: unknown): error is NodeJS.ErrnoException {
  return typeof (error as NodeJS.ErrnoException)?.code === 'string' && typeof (error as NodeJS.ErrnoException)?.syscall === 'string';
}

function fsReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return '没有读写权限';
  if (code === 'EBUSY') return '文件被其他程序占用（可能正在 Word 中打开）';
  if (code === 'ENOSPC') return '磁盘已满';
  if (code === 'EISDIR') return '这是一个文件夹';
  return String((error as Error).message);
}
