/** `--format json`: a stable array of `{file, line, column, endLine, endColumn, severity, rule, message}` (see ReportRow). */
import type { VFile } from 'vfile';
import { toRows } from './rows.js';

export function formatJson(files: readonly VFile[], options: { cwd: string }): string {
  return JSON.stringify(toRows(files, options.cwd), null, 2) + '\n';
}
