/** The `lint()` library call: load the config, collect files, fix (if asked), check, count. */
import { relative } from 'node:path';
import { VFile } from 'vfile';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import { countMessages, report } from '../shared/diagnostics.js';
import { ExitCode } from '../shared/exit-code.js';
import { parseYaml } from '../shared/yaml-parse.js';
import { yamlRange } from '../shared/yaml-position.js';
import { collectFiles } from '../lint/collect.js';
import { fixFile, type FixOutcome } from '../lint/fix.js';
import { rules as lintRules } from '../lint/rules/index.js';
import { checkRuleIds } from '../lint/rules/unknown-rule.js';
import { lintFiles, type LintedFile } from '../lint/run.js';
import type { WorkflowOptions, WorkflowResult } from '../shared/workflow.js';

export interface LintOptions extends WorkflowOptions {
  /** Files or folders; default: the configured cases folder. */
  paths?: readonly string[];
  /** More warnings than this make the exit code 1 (`--max-warnings`). */
  maxWarnings?: number;
  /** `--fix` ('write') or `--fix-dry-run` ('dry-run'): apply rule fixes before reporting what remains. */
  fix?: 'write' | 'dry-run';
  /** Threads to check files on (`--jobs`; default: `defaultThreads`, one per core but one, at 1,000 files a thread; 1: the main thread only). */
  threads?: number;
}

export interface LintResult extends WorkflowResult<ExitCode> {
  /** One vfile per file checked (or the config file alone, when it is broken). */
  files: VFile[];
  linted: LintedFile[];
  config?: ResolvedConfig;
  /** Paths given that do not exist. */
  missing: string[];
  /** With `fix`: what was (or would be) changed in each file. */
  fixes?: FixOutcome[];
}

/** Check case files. Exit code 0: clean or warnings only; 1: errors or too many warnings; 2: broken config or bad paths. */
export async function lint(options: LintOptions): Promise<LintResult> {
  const loaded = await loadConfig({ cwd: options.cwd, configPath: options.configPath });
  if (!loaded.ok) return { exitCode: ExitCode.usage, files: [loaded.file], linted: [], missing: [] };
  const config = loaded.config;
  const paths = options.paths?.length ? options.paths : [config.casesDir];
  const { files: found, missing } = await collectFiles(paths, options.cwd);
  if (missing.length && !options.paths?.length) {
    // The configured cases folder is missing: a problem of huibian.yaml, reported at its `cases` value.
    return { exitCode: ExitCode.usage, files: [missingCasesFolder(config, options.cwd)], linted: [], config, missing: [] };
  }
  if (missing.length) return { exitCode: ExitCode.usage, files: [], linted: [], config, missing };
  const fixes: FixOutcome[] | undefined = options.fix ? [] : undefined;
  for (const path of options.fix ? found : []) {
    options.signal?.throwIfAborted();
    fixes!.push(await fixFile(path, config, options.cwd, { dryRun: options.fix === 'dry-run' }));
  }
  const linted = await lintFiles(found, config, options.cwd, options.signal, { threads: options.threads });
  // A typo in `rules:` of huibian.yaml is a warning on huibian.yaml itself, listed first.
  const ruleIds = checkRuleIds(config, lintRules.map((r) => r.id), options.cwd);
  const files = [...(ruleIds ? [ruleIds] : []), ...linted.map((l) => l.file)];
  const { errors, warnings } = countMessages(files);
  const tooMany = options.maxWarnings !== undefined && options.maxWarnings >= 0 && warnings > options.maxWarnings;
  return { exitCode: errors > 0 || tooMany ? ExitCode.errors : ExitCode.ok, files, linted, config, missing, fixes };
}

function missingCasesFolder(config: ResolvedConfig, cwd: string): VFile {
  const file = new VFile({ path: config.configPath, cwd, value: config.source.text });
  const parsed = parseYaml(config.source.text);
  report(file, config.source, `案例文件夹“${config.cases}”不存在（找的是 ${relative(cwd, config.casesDir) || '.'}）；请建立它，或在 huibian.yaml 的 cases 中写对路径`, {
    ruleId: 'config',
    severity: 'error',
    range: parsed.ok ? yamlRange(parsed.doc, ['cases']) : undefined,
  });
  return file;
}
