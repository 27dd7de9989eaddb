/** A mechanism belongs to the sectors of the system that formed it; a case from another sector probably names the wrong one. */
import { findMechanism, findSector } from '../../case/taxonomy.js';
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
    const labelOf = (key: string) => config.sectors.find((s) => s.key === key)?.label ?? key;
    const fitting = config.mechanisms.filter((m) => m.sectors.includes(sector.key)).map((m) => m.name);
    report(
      `工作机制“${mechanism.name}”属于${mechanism.sectors.map(labelOf).join('、')}（${mechanism.system}），与本案例的领域“${sector.label}”不符${
        fitting.length ? `；${sector.label}的工作机制为：${fitting.join('、')}` : ''
      }`,
      { range: fieldRange(document, ['mechanism']) },
    );
  },
);
