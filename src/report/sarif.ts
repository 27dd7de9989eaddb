/** `--format sarif`: SARIF 2.1.0 for code-scanning tools (GitHub code scanning, VS Code SARIF Viewer). */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { VFile } from 'vfile';
import { ruleUrl } from '../shared/diagnostics.js';
import { messageKinds } from '../lint/rules/index.js';
import { toRows } from './rows.js';


export interface SarifOptions {
  cwd: string;
  /** huibian's version, for tool.driver.version. */
  version?: string;
}

export function formatSarif(files: readonly VFile[], options: SarifOptions): string {
  const metas = messageKinds;
  const index = new Map(metas.map((r, i) => [r.id, i]));
  const results = toRows(files, options.cwd).map((r) => {
    // Files under the working directory are given relative to %SRCROOT%, so the report is the same on every machine.
    const relativeUri = !r.file.startsWith('../') && !isAbsolute(r.file);
    return {
      ruleId: r.rule,
      ...(index.has(r.rule) ? { ruleIndex: index.get(r.rule) } : {}),
      level: r.severity,
      message: { text: r.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: relativeUri
              ? { uri: r.file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' }
              : { uri: pathToFileURL(r.file).href },
            region: {
              startLine: r.line,
              startColumn: Math.max(1, r.column),
              endLine: r.endLine,
              endColumn: Math.max(1, r.endColumn),
            },
          },
        },
      ],
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'huibian',
            ...(options.version ? { version: options.version } : {}),
            informationUri: 'https://github.com/huibian/huibian',
            rules: metas.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              helpUri: ruleUrl(r.id),
              defaultConfiguration: { level: r.defaultSeverity === 'warn' ? 'warning' : 'error' },
              properties: { fixable: 'fixable' in r && r.fixable === true, ...('group' in r ? { group: r.group } : {}) },
            })),
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: pathToFileURL(options.cwd).href.replace(/\/?$/, '/') } },
        // huibian counts columns in Unicode characters, not the UTF-16 units SARIF assumes by default.
        columnKind: 'unicodeCodePoints',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
