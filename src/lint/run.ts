/** Run every rule over a set of case files; one bad file never stops the run. */
import { VFile } from 'vfile';
import type { ResolvedConfig } from '../config/load.js';
import { parseCase, parseForLint, parseGuarded, type CaseDocument, type GuardedParser } from '../case/parse.js';
import { resolveCase } from '../case/resolve.js';
import { report } from '../shared/diagnostics.js';
import { readSource, readSourceSync, type ReadResult } from '../shared/read-text.js';
import { defaultThreads, lintInThreads, workerEntry } from './parallel.js';
import { contextFor, FileRuleRunner, severityOf, type FileRule, type RuleContext } from './rule.js';
import encoding from './rules/encoding.js';
import { rules } from './rules/index.js';
import { suppressionsFor } from './suppress.js';
import { treesOnDemand } from './thread-report.js';
import type { LintedFile } from './linted-file.js';

export type { LintedFile } from './linted-file.js';

export interface LintFilesOptions {
  /**
   * Threads to check files on, the main thread included (default: `defaultThreads`, one below 2,000 files). Files
   * come back with the same messages whichever thread checked them; their mdast and resolved case are rebuilt on first
   * use, so that thousands of checked files do not keep their trees.
   */
  threads?: number;
  /**
   * Whether the main thread checks files too (default true). With false it only waits for the workers — for a caller
   * whose thread must stay responsive, and for tests that need the workers to do all the checking.
   */
  mainThread?: boolean;
}

/** Read, parse and check `paths` (absolute). Messages land on each file's vfile, sorted by position. */
export async function lintFiles(
  paths: readonly string[],
  config: ResolvedConfig,
  cwd: string,
  signal?: AbortSignal,
  options: LintFilesOptions = {},
): Promise<LintedFile[]> {
  const threads = Math.min(options.threads ?? defaultThreads(paths.length), paths.length);
  const entry = workerEntry();
  let linted: LintedFile[];
  if (threads > 1 && entry) {
    const workers = options.mainThread === false ? threads : threads - 1;
    linted = await lintInThreads(
      paths,
      config,
      cwd,
      { entry, count: workers, mainThread: options.mainThread !== false },
      (path) => treesOnDemand(lintOneSync(path, config, cwd), config),
      signal,
    );
  } else {
    linted = [];
    for (const path of paths) {
      signal?.throwIfAborted();
      linted.push(treesOnDemand(lintOneSync(path, config, cwd), config));
      // Reading synchronously, so let an abort in now and then (every ~30 ms; each turn of the event loop costs ~0.07 ms).
      if (linted.length % 32 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  runCompilationRules(linted, config);
  for (const l of linted) sortMessages(l.file);
  return linted;
}

/**
 * Read and check one file on its own (compilation-wide rules such as duplicate-id are not run). Its document holds
 * micromark's tree, for preview renders the case from it.
 */
export async function lintOne(path: string, config: ResolvedConfig, cwd: string): Promise<LintedFile> {
  return lintReadResult(path, await readSource(path), config, cwd, parseGuarded);
}

/**
 * `lintOne` for the loop over many files, where reading through the event loop costs more than it overlaps. It parses
 * with lint's fast path: callers drop the tree (`treesOnDemand`, `toReport`), and a compile parses again with micromark.
 */
export function lintOneSync(path: string, config: ResolvedConfig, cwd: string): LintedFile {
  return lintReadResult(path, readSourceSync(path), config, cwd, parseForLint);
}

function lintReadResult(path: string, read: ReadResult, config: ResolvedConfig, cwd: string, parse: GuardedParser): LintedFile {
  if (!read.ok) {
    const file = new VFile({ path, cwd });
    const severity = severityOf(encoding, config);
    if (severity !== 'off' || !read.encoding) {
      report(file, undefined, read.reason, { ruleId: read.encoding ? 'encoding' : 'file-unreadable', severity: severity === 'off' ? 'error' : severity });
    }
    return { file };
  }
  return lintSource(read.source, config, cwd, parse);
}

/** Check text already in memory (used by --fix and by tests); `parse`: micromark unless the tree is only linted. */
export function lintSource(source: CaseDocument['source'], config: ResolvedConfig, cwd: string, parse: GuardedParser = parseGuarded): LintedFile {
  const file = new VFile({ path: source.path, cwd, value: source.text });
  const document = parseCase(source, file, config.root, parse);
  const resolved = resolveCase(document, config);
  const suppressed = suppressionsFor(document);
  fileRuleRunnerFor(config).run({ document, case: resolved, config }, suppressed);
  return { file, document, case: resolved };
}

const runners = new WeakMap<ResolvedConfig, FileRuleRunner>();

/** The runner of the file rules not switched off in `config`, in order; made once per config rather than once per file. */
function fileRuleRunnerFor(config: ResolvedConfig): FileRuleRunner {
  let runner = runners.get(config);
  if (!runner) {
    runner = new FileRuleRunner(
      rules.filter((rule): rule is FileRule => rule.scope === 'file' && severityOf(rule, config) !== 'off'),
      config,
    );
    runners.set(config, runner);
  }
  return runner;
}

function runCompilationRules(linted: readonly LintedFile[], config: ResolvedConfig): void {
  const withDocs = linted.filter((l): l is LintedFile & { document: CaseDocument } => !!l.document);
  for (const rule of rules) {
    if (rule.scope !== 'compilation' || severityOf(rule, config) === 'off') continue;
    // `case` stays a getter: duplicate-id reads ids from the front-matter and never needs the resolved case, which for
    // a file checked in a worker would be resolved again (the case schema run once more) just to build the context.
    const contexts: RuleContext[] = withDocs.map((l) =>
      contextFor(rule, { document: l.document, get case() { return l.case; }, config }, suppressionsFor(l.document)),
    );
    rule.check(contexts);
  }
}

function sortMessages(file: VFile): void {
  file.messages.sort(
    (a, b) =>
      (a.place && 'start' in a.place ? a.place.start.line : 0) - (b.place && 'start' in b.place ? b.place.start.line : 0) ||
      (a.place && 'start' in a.place ? a.place.start.column : 0) - (b.place && 'start' in b.place ? b.place.start.column : 0),
  );
}
