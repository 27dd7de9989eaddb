/** A mechanism belongs to the sectors of the system that formed it; a case from another sector probably names the wrong one. */
import { findMechanism, findSector, mechanismSectorMessage } from '../../case/taxonomy.js';
import { fieldRange, frontMatterData } from '../front-matter.js';
import { defineRule } from '../rule.js';

export default defineRule(
  {
    id: 'mechanism-sector',
    group: 'front-matter',
    defaultSeverity: 'warn',
    description: '工作机制应属于案例所在的领域（如 四融四促 属于国有企业）',
  },
  ({ document, config, report }) => {
    const data = frontMatterData(document);
    const sector = findSector(config, data?.sector);
    const mechanism = findMechanism(config, data?.mechanism);
    if (!sector || !mechanism || mechanism.sectors.includes(sector.key)) return;
    report(mechanismSectorMessage(config, mechanism, sector), { range: fieldRange(document, ['mechanism']) });
  },
);
