/**
 * Case files are UTF-8 (a BOM is fine). The runner reports other encodings itself (lint/run.ts), naming the likely
 * one, because a file it cannot decode never becomes a document for rules to see.
 */
import { defineRunnerRule } from '../rule.js';

export default defineRunnerRule(
  {
    id: 'encoding',
    group: 'encoding',
    defaultSeverity: 'error',
    // --fix converts a GB18030 file to UTF-8 (src/lint/fix); other encodings are only reported.
    fixable: true,
    description: '案例文件应为 UTF-8 编码（可带 BOM）；其他编码（如 GB18030）会指明可能的编码',
  },
);
