/** What an import run found, submission by submission: the data of the intake report (out/收件报告.html, --format json). */
import type { VFile } from 'vfile';
import type { ExitCode } from '../shared/exit-code.js';
import type { FieldValue } from './submission.js';

/** A lint message of an imported case, placed in the Markdown and in the Word document. */
export interface MappedDiagnostic {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  line?: number;
  column?: number;
  /** 第 N 段 of the Word file, and that paragraph's text. */
  paragraph?: number;
  paragraphText?: string;
}

export interface SubmissionReport {
  /** The submission, relative to cwd. */
  source: string;
  status: 'imported' | 'skipped' | 'failed';
  /** Why it failed or was skipped. */
  reason?: string;
  /** The case file, relative to cwd. */
  output?: string;
  id?: string;
  fields?: Record<string, FieldValue>;
  length?: number;
  minLength?: number;
  maxLength?: number;
  sections?: { found: string[]; missing: string[] };
  headings?: number;
  paragraphs?: number;
  tables?: number;
  footnotes?: number;
  images?: { file: string; width?: number; height?: number; bytes: number; small: boolean; caption?: string }[];
  warnings?: string[];
  diagnostics?: MappedDiagnostic[];
}

export interface ImportResult {
  exitCode: ExitCode;
  submissions: SubmissionReport[];
  /** The roster's own messages (bad values, rows without a file), when one was given. */
  roster?: { path: string; messages: { line?: number; column?: number; message: string; severity: 'error' | 'warn' }[] };
  /** A broken config or missing inputs: the messages, and nothing was imported. */
  usage?: string[];
  configFile?: VFile;
  reportPath?: string;
}
