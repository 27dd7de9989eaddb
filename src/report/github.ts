/** `--format github`: GitHub Actions workflow commands, which show each message as an annotation on the changed line. */
import type { VFile } from 'vfile';
import { toRows } from './rows.js';

/** Escape a command's message (GitHub's escapeData): %, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a command property (GitHub's escapeProperty): also `:` and `,`, which separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function formatGithub(files: readonly VFile[], options: { cwd: string }): string {
  return toRows(files, options.cwd)
    .map((r) => {
      const props = [
        `file=${escapeProperty(r.file)}`,
        `line=${r.line}`,
        `col=${r.column}`,
        `endLine=${r.endLine}`,
        `endColumn=${r.endColumn}`,
        `title=${escapeProperty(`huibian ${r.rule}`)}`,
      ].join(',');
      return `::${r.severity} ${props}::${escapeData(r.message)}\n`;
    })
    .join('');
}
