/** A case's sector must be one of the taxonomy's sectors, written as its key, label or alias. */
import { findSector, stripQuotes } from '../../case/taxonomy.js';
import { closest } from '../../shared/suggest.js';
import { fieldRange, frontMatterData } from '../front-matter.js';
import { defineRule } from '../rule.js';

export default defineRule(
  {
    id: 'unknown-sector',
    group: 'front-matter',
    defaultSeverity: 'error',
    description: 'sector 应为 huibian.yaml 中某个领域的中文名、key 或别名',
  },
  ({ document, config, report }) => {
    const value = frontMatterData(document)?.sector;
    // A missing, empty or non-text sector is field-required's or field-type's.
    if (typeof value !== 'string' || value.trim() === '' || findSector(config, value)) return;
    const names = config.sectors.flatMap((s) => [s.label, s.key, ...s.aliases]);
    const suggestion = closest(stripQuotes(value), names);
    const allowed = config.sectors.map((s) => s.label).join('、');
    report(`未知的领域“${stripQuotes(value)}”${suggestion ? `，是不是“${suggestion}”？` : '，'}应为：${allowed}（也可写 key 或别名）`, {
      range: fieldRange(document, ['sector']),
    });
  },
);
