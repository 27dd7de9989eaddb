/** A case's sector must be one of the taxonomy's sectors, written as its key, label or alias. */
import { findSector, unknownSectorMessage } from '../../case/taxonomy.js';
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
    report(unknownSectorMessage(config, value), { range: fieldRange(document, ['sector']) });
  },
);
