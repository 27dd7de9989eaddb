/** What lint hands on for each file: its messages, and (when it could be read) its parsed document and resolved case. */
import type { VFile } from 'vfile';
import type { CaseDocument } from '../case/parse.js';
import type { Case } from '../case/resolve.js';

/** One checked file. Made by lint/run.ts on this thread, or rebuilt by lint/thread-report.ts from a worker's report. */
export interface LintedFile {
  file: VFile;
  /** Absent when the file could not be read as UTF-8. */
  document?: CaseDocument;
  /** Present when the front-matter resolves to a valid case. */
  case?: Case;
}
