/** Diagnostics flattened to one plain record each: the shape the json, github and sarif formats share. */
import { relative, sep } from 'node:path';
import type { VFile } from 'vfile';

/** One message as the json format prints it; documented in README and docs/rules.md, so keep it stable. */
export interface ReportRow {
  /** Path relative to the working directory, with `/` separators. */
  file: string;
  /** 1-based; a message about the whole file (e.g. its encoding) is at 1:1–1:1. */
  line: number;
  /** 1-based, counted in Unicode characters (code points). */
  column: number;
  endLine: number;
  /** Exclusive: the column just after the last character. */
  endColumn: number;
  severity: 'error' | 'warning';
  rule: string;
  /** The message in Chinese; a related place (e.g. the other file with the same id) follows in full-width brackets. */
  message: string;
}

export function toRows(files: readonly VFile[], cwd: string): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const file of files) {
    const path = relativePath(cwd, file.path);
    for (const m of file.messages) {
      const place = m.place && 'start' in m.place ? m.place : m.place ? { start: m.place, end: m.place } : undefined;
      const start = { line: place?.start.line ?? 1, column: place?.start.column ?? 1 };
      const end = { line: place?.end.line ?? start.line, column: place?.end.column ?? start.column };
      rows.push({
        file: path,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        severity: m.fatal ? 'error' : 'warning',
        rule: m.ruleId ?? 'huibian',
        message: m.cause instanceof Error ? `${m.reason}（${m.cause.message}）` : m.reason,
      });
    }
  }
  return rows;
}

export function relativePath(cwd: string, path: string): string {
  return (relative(cwd, path) || path).split(sep).join('/');
}
