/** Diagnostics: messages on a file (vfile), with a rule id, a severity, a position in code points, and an optional fix. */
import { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import { pointAt, type Range, type SourceText } from './source.js';

/** A text edit that fixes a message: replace `range` of the file's text with `text`. */
export interface Fix {
  range: Range;
  text: string;
}

/** A vfile message as huibian makes it. `fatal: true` is an error, `false` a warning. */
export type Diagnostic = VFileMessage & { fix?: Fix; range?: Range };

export type MessageSeverity = 'error' | 'warn';

export interface ReportOptions {
  ruleId: string;
  severity: MessageSeverity;
  /** Where in the source; absent for a message about the whole file. */
  range?: Range;
  fix?: Fix;
  /** Another place that explains this one, e.g. the first file with the same id. */
  cause?: string;
}

/** A vfile for a source, named by its path relative to the working directory. */
export function fileFor(source: Pick<SourceText, 'path' | 'text'>, cwd: string): VFile {
  return new VFile({ path: source.path, cwd, value: source.text });
}

/** Add a message to `file` at a range of `source`. */
export function report(file: VFile, source: SourceText | undefined, reason: string, options: ReportOptions): Diagnostic {
  const place =
    source && options.range
      ? { start: pointAt(source, options.range.start), end: pointAt(source, Math.max(options.range.end, options.range.start)) }
      : undefined;
  const message = file.message(reason, {
    place,
    ruleId: options.ruleId,
    source: 'huibian',
    cause: options.cause ? new Error(options.cause) : undefined,
  }) as Diagnostic;
  message.fatal = options.severity === 'error';
  message.url = ruleUrl(options.ruleId);
  if (options.range) message.range = options.range;
  if (options.fix) message.fix = options.fix;
  return message;
}

/** Where a rule is documented. */
export function ruleUrl(ruleId: string): string {
  return `https://github.com/huibian/huibian/blob/main/docs/rules.md#${ruleId}`;
}

export function isError(message: VFileMessage): boolean {
  return message.fatal === true;
}

/** Counts of errors and warnings over files. */
export function countMessages(files: readonly VFile[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const file of files) for (const m of file.messages) m.fatal ? errors++ : warnings++;
  return { errors, warnings };
}
