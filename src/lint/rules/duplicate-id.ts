/** Case ids are unique in the compilation; the later file (in path order) gets the error, pointing at the first. */
import { relative, sep } from 'node:path';
import { caseId } from '../../case/resolve.js';
import { pointAt } from '../../shared/source.js';
import { fieldRange, frontMatterData, frontMatterHead } from '../front-matter.js';
import { defineCompilationRule, type RuleContext } from '../rule.js';

export default defineCompilationRule(
  {
    id: 'duplicate-id',
    group: 'front-matter',
    defaultSeverity: 'error',
    description: '案例的 id（默认为文件名）在汇编中应唯一',
  },
  (contexts) => {
    const first = new Map<string, RuleContext>();
    for (const context of contexts) {
      const { document } = context;
      if (!document.frontMatter) continue;
      const id = caseId(document);
      if (id === undefined) continue; // a non-text id is field-type's
      const prior = first.get(id);
      if (!prior) {
        first.set(id, context);
        continue;
      }
      const written = frontMatterData(document)?.id !== undefined;
      context.report(
        written
          ? `id“${id}”与另一个案例重复，id 在汇编中应唯一`
          : `id“${id}”（取自文件名）与另一个案例重复，id 在汇编中应唯一；请用 id 字段另取一个`,
        { range: written ? fieldRange(document, ['id']) : frontMatterHead(document), cause: `另一个案例：${where(prior, document.file.cwd)}` },
      );
    }
  },
);

/** `path:line:column` of a context's id (or its file's first line), relative to the working directory. */
function where(context: RuleContext, cwd: string): string {
  const { document } = context;
  const path = relative(cwd, document.source.path).split(sep).join('/');
  const range = frontMatterData(document)?.id !== undefined ? fieldRange(document, ['id']) : undefined;
  const point = range ? pointAt(document.source, range.start) : { line: 1, column: 1 };
  return `${path}:${point.line}:${point.column}`;
}
