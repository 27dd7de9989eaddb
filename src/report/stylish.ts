/** The default human-readable report: one block per file, a line per message, a summary line. */
import { relative } from 'node:path';
import pc from 'picocolors';
import type { VFile } from 'vfile';
import { countMessages } from '../shared/diagnostics.js';

export interface StylishOptions {
  color: boolean;
  cwd: string;
}

export function formatStylish(files: readonly VFile[], options: StylishOptions): string {
  const c = pc.createColors(options.color);
  const lines: string[] = [];
  for (const file of files) {
    if (file.messages.length === 0) continue;
    lines.push(c.underline(relative(options.cwd, file.path) || file.path));
    for (const m of file.messages) {
      const where = m.line ? `${m.line}:${m.column ?? 1}` : '';
      const severity = m.fatal ? c.red('错误') : c.yellow('警告');
      lines.push(`  ${c.dim(where.padEnd(7))} ${severity}  ${m.reason}  ${c.dim(m.ruleId ?? '')}`);
      if (m.cause instanceof Error) lines.push(`  ${' '.repeat(7)}       ${c.dim(m.cause.message)}`);
    }
    lines.push('');
  }
  const { errors, warnings } = countMessages(files);
  const summary =
    errors + warnings === 0
      ? c.green(`✓ ${files.length} 个文件，没有问题`)
      : `${errors ? c.red(`✖ ${errors} 个错误`) : c.green('0 个错误')}，${warnings ? c.yellow(`${warnings} 个警告`) : '0 个警告'}（共 ${files.length} 个文件）`;
  lines.push(summary);
  return lines.join('\n') + '\n';
}
