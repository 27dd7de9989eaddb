/**
 * A file checked in a worker thread, as plain data that crosses the thread boundary, and the `LintedFile` the main
 * thread rebuilds from it. Messages are rebuilt through the same `report()` that made them, so they are identical.
 */
import { VFile } from 'vfile';
import type { Root } from 'mdast';
import type { ResolvedConfig } from '../config/load.js';
import type { LimitProblem } from '../case/limits.js';
import { parseMarkdown, wellFormedFrontMatter, type CaseDocument, type FrontMatter } from '../case/parse.js';
import { resolveCase, type Case } from '../case/resolve.js';
import { report, type Diagnostic, type Fix, type MessageSeverity } from '../shared/diagnostics.js';
import { makeSource, type Range } from '../shared/source.js';
import type { YamlProblem } from '../shared/yaml-parse.js';
import type { LintedFile } from './linted-file.js';

/** What `report()` was given for one message. */
export interface MessageData {
  reason: string;
  ruleId: string;
  severity: MessageSeverity;
  range?: Range;
  fix?: Fix;
  cause?: string;
}

/** A parsed case without its trees: the Markdown and YAML are parsed again only if someone asks for them. */
export interface DocumentData {
  text: string;
  bom: boolean;
  relPath: string;
  frontMatter?: { range: Range; data?: unknown; problems: YamlProblem[]; wellFormed: boolean };
  bodyRange: Range;
  limitProblems: LimitProblem[];
}

/** One checked file, in the order its messages were made (compilation rules and sorting happen on the main thread). */
export interface FileReport {
  messages: MessageData[];
  /** Absent when the file could not be read as UTF-8. */
  document?: DocumentData;
}

/** Plain data for a file checked by `lintOne`/`lintSource`. */
export function toReport(linted: LintedFile): FileReport {
  const messages = (linted.file.messages as Diagnostic[]).map((m): MessageData => ({
    reason: m.reason,
    ruleId: m.ruleId!,
    severity: m.fatal ? 'error' : 'warn',
    ...(m.range ? { range: m.range } : {}),
    ...(m.fix ? { fix: m.fix } : {}),
    ...(m.cause instanceof Error ? { cause: m.cause.message } : {}),
  }));
  const d = linted.document;
  if (!d) return { messages };
  const fm = d.frontMatter;
  return {
    messages,
    document: {
      text: d.source.text,
      bom: d.source.bom,
      relPath: d.relPath,
      bodyRange: d.bodyRange,
      limitProblems: d.limitProblems,
      // A front-matter without problems is well-formed YAML (asking for `doc` would parse it again).
      ...(fm ? { frontMatter: { range: fm.range, data: fm.data, problems: fm.problems, wellFormed: fm.problems.length === 0 } } : {}),
    },
  };
}

/**
 * The `LintedFile` for a report: a vfile with the same messages, and a document whose mdast, YAML document and
 * resolved case are computed on first use (lint itself needs none of them; compile and the compilation rules may).
 */
export function fromReport(path: string, data: FileReport, config: ResolvedConfig, cwd: string): LintedFile {
  const d = data.document;
  if (!d) {
    const file = new VFile({ path, cwd });
    for (const m of data.messages) report(file, undefined, m.reason, m);
    return { file };
  }
  const source = makeSource(path, d.text, d.bom);
  const file = new VFile({ path, cwd, value: d.text });
  for (const m of data.messages) report(file, source, m.reason, m);
  const frontMatter = d.frontMatter ? frontMatterOf(d.text, d.frontMatter) : undefined;
  return lazyTrees(file, { source, relPath: d.relPath, bodyRange: d.bodyRange, limitProblems: d.limitProblems, frontMatter }, config);
}

/**
 * A file checked on this thread, made to hold no more than one checked in a worker: its mdast (and what the rules
 * worked out from it) is dropped and parsed again on first use. lint keeps every checked file until it reports, and
 * 1,000 kept trees made each young-generation GC copy tens of megabytes (~0.15 s of a 1.5 s lint).
 */
export function treesOnDemand(linted: LintedFile, config: ResolvedConfig): LintedFile {
  const d = linted.document;
  if (!d) return linted;
  const { source, relPath, bodyRange, limitProblems, frontMatter } = d;
  return lazyTrees(linted.file, { source, relPath, bodyRange, limitProblems, frontMatter }, config, { case: linted.case });
}

/** A `LintedFile` whose mdast and resolved case are computed on first use (or re-pointed at the new document). */
function lazyTrees(
  file: VFile,
  parts: Omit<CaseDocument, 'mdast' | 'file'>,
  config: ResolvedConfig,
  known?: { case?: Case },
): LintedFile {
  let mdast: Root | undefined;
  const document: CaseDocument = {
    ...parts,
    file,
    get mdast() {
      return (mdast ??= parseMarkdown(parts.source.text));
    },
  };
  let resolved: { case?: Case } | undefined = known && { case: known.case && { ...known.case, document } };
  return {
    file,
    document,
    get case() {
      return (resolved ??= { case: resolveCase(document, config) }).case;
    },
  };
}

function frontMatterOf(text: string, fm: NonNullable<DocumentData['frontMatter']>): FrontMatter {
  const { range, data, problems } = fm;
  return fm.wellFormed ? wellFormedFrontMatter(text.slice(range.start, range.end), range, data) : { range, problems };
}
