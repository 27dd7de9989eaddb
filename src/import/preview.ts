/**
 * `huibian preview 案例.docx`: a Word file imported in memory on every save and checked as its case would be, with each
 * message pointed at the Word paragraph (第 N 段, text quoted), so a writer who works in Word sees what the editor
 * will ask. Only the case's images are written, under <out>/.preview/, for the preview page to show.
 */
import { stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { VFile } from 'vfile';
import type { Case } from '../case/resolve.js';
import { findMechanism, findSector } from '../case/taxonomy.js';
import type { ResolvedConfig } from '../config/load.js';
import { writeOutputs } from '../shared/write-outputs.js';
import { lintSource, type LintedFile } from '../lint/run.js';
import { makeSource } from '../shared/source.js';
import { findSoffice, convertToDocx } from './libreoffice.js';
import { idFor } from './names.js';
import { quote } from './report.js';
import { convertWith, importSubmission, type ImportedCase } from './submission.js';
import { ImportError } from './zip.js';

/** Extensions preview reads as Word. */
export function isWordFile(path: string): boolean {
  return ['.docx', '.docm', '.dotx', '.dotm', '.doc', '.wps', '.rtf'].includes(extname(path).toLowerCase());
}

/** How long a file Word is still writing is waited for before it is reported as broken. */
const retries = { count: 6, delayMs: 500, recentMs: 10_000 };

/** Import and check a Word file; messages are on a vfile named after the Word file. */
export async function lintWordFile(path: string, config: ResolvedConfig, cwd: string, env: Readonly<Record<string, string | undefined>> = {}): Promise<LintedFile> {
  const id = idFor(path);
  const soffice = findSoffice(config, env);
  let made: ImportedCase | undefined;
  let problem = '';
  for (let attempt = 0; ; attempt++) {
    try {
      made = await importSubmission(path, id, config, { convert: (p, what, signal) => convertWith(convertToDocx, soffice, p, what, signal) });
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!(error instanceof ImportError) && !['EBUSY', 'EACCES', 'EPERM', 'ENOENT'].includes(code ?? '')) throw error;
      problem = error instanceof ImportError ? error.message : `文件暂时无法读取（${code}）`;
      // Word and WPS save by writing a temporary file and renaming it, or lock the file while they write: a file
      // changed a moment ago that does not read yet is waited for, not reported as broken.
      const changed = await stat(path).then((s) => Date.now() - s.mtimeMs < retries.recentMs, () => true);
      if (!changed || attempt >= retries.count) break;
      await new Promise((resolve) => setTimeout(resolve, retries.delayMs));
    }
  }
  if (!made) {
    const file = new VFile({ path, cwd });
    const message = file.message(problem, { ruleId: 'import', source: 'huibian' });
    message.fatal = true;
    return { file };
  }
  // The case "lives" in <out>/.preview/, where its images are written, so the page can show them.
  const dir = join(config.outDir, '.preview');
  await writeOutputs(made.images.map((im) => ({ path: join(dir, im.file), data: im.data })));
  const linted = lintSource(makeSource(join(dir, `${id}.md`), made.text), config, cwd);
  for (const m of linted.file.messages) {
    const bodyLine = m.line !== undefined ? m.line - 1 - made.frontMatterLines : -1;
    const from = bodyLine >= 0 ? made.body.lines[bodyLine] : undefined;
    if (from?.paragraph) m.reason = `第 ${from.paragraph} 段“${quote(from.text)}”：${m.reason}`;
    else if (m.line !== undefined && bodyLine < 0) m.reason = `文件信息：${m.reason}`;
    m.message = m.reason;
    // Line numbers of the Markdown the writer never sees would only confuse: the paragraph says where.
    m.line = m.column = undefined;
    m.place = undefined;
  }
  for (const w of made.warnings) linted.file.message(w, { ruleId: 'import', source: 'huibian' }).fatal = false;
  linted.file.path = path;
  if (!linted.case && linted.document) linted.case = withoutEditorFields(linted, made, config);
  return linted;
}

/**
 * The case as it will print, for a Word file that lacks only what the editor fills in from the roster (sector,
 * measure, mechanism): shown with those left blank, while the messages still say they are missing. Never written.
 */
function withoutEditorFields(linted: LintedFile, made: ImportedCase, config: ResolvedConfig): Case | undefined {
  const blocking = linted.file.messages.filter((m) => m.fatal && !(m.ruleId === 'field-required' && /sector|measure|mechanism/.test(String(m.reason))));
  const title = made.fields.title.value;
  const unit = made.fields.unit.value;
  if (blocking.length || typeof title !== 'string' || typeof unit !== 'string') return undefined;
  const sector = findSector(config, made.fields.sector.value) ?? { key: '', label: '（领域待编辑填写）', aliases: [] };
  return {
    id: idFor(linted.document!.source.path),
    title,
    unit,
    sector,
    measures: [],
    mechanism: findMechanism(config, made.fields.mechanism.value) ?? { key: '', name: '（工作机制待编辑填写）', system: '', sectors: [] },
    tags: [],
    draft: false,
    document: linted.document!,
  } as Case;
}
