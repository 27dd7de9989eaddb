/** One case as printed pages: its print-target HTML through the same print path as the book (src/pdf). */
import type { Case } from '../case/resolve.js';
import type { ResolvedConfig } from '../config/load.js';
import { makePdf, type PdfResult } from '../pdf/index.js';
import { bookDate } from '../pdf/metadata.js';
import { sizeInPoints } from '../pdf/size.js';
import { fontDirs } from '../render/fonts.js';
import { fontCacheDir } from '../render/font-subset.js';
import { paperSizes } from '../render/page.js';

export interface CasePrintJob {
  case: Case;
  config: ResolvedConfig;
  /** renderCase(…, { target: 'print' }).html */
  html: string;
  executablePath: string;
  env: Readonly<Record<string, string | undefined>>;
  signal?: AbortSignal;
}

/** Print one case; throws BrowserProblem for a broken environment, the signal's reason on abort. */
export function printCase(job: CasePrintJob): Promise<PdfResult> {
  const { config } = job;
  return makePdf({
    html: job.html,
    allowedDirs: [config.root, ...config.templateDirs, ...fontDirs(fontCacheDir(job.env))],
    // A single case has no parts to put on the right.
    partsOnRight: false,
    executablePath: job.executablePath,
    timeout: config.browser.timeout,
    metadata: {
      title: job.case.title,
      author: job.case.unit,
      subject: config.title,
      keywords: [job.case.sector.label, ...job.case.measures.map((m) => m.title), job.case.mechanism.name],
      language: config.language,
      date: bookDate(config, job.env),
      pageSize: sizeInPoints(typeof config.page.size === 'string' ? paperSizes[config.page.size]! : config.page.size),
    },
    signal: job.signal,
  });
}
