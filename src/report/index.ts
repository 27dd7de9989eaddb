/** Diagnostics → text in one of the output formats. */
import type { VFile } from 'vfile';
import { formatStylish } from './stylish.js';

export const reportFormats = ['stylish', 'json', 'github', 'sarif'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export interface FormatOptions {
  cwd: string;
  color: boolean;
}

export function formatReport(format: ReportFormat, files: readonly VFile[], options: FormatOptions): string {
  switch (format) {
    case 'stylish':
      return formatStylish(files, options);
    default:
      throw new Error(`format ${format} not implemented yet`);
  }
}
