/** Diagnostics → text in one of the output formats. */
import type { VFile } from 'vfile';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

export const reportFormats = ['stylish', 'json', 'github', 'sarif'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export interface FormatOptions {
  cwd: string;
  color: boolean;
  /** huibian's version, recorded in SARIF. */
  version?: string;
}

export function formatReport(format: ReportFormat, files: readonly VFile[], options: FormatOptions): string {
  switch (format) {
    case 'stylish':
      return formatStylish(files, options);
    case 'json':
      return formatJson(files, options);
    case 'github':
      return formatGithub(files, options);
    case 'sarif':
      return formatSarif(files, options);
  }
}
