/** Look up a case's sector, measure and mechanism in the compilation's taxonomy. */
import type { Mechanism, Measure, ParsedConfig, Sector } from '../config/schema.js';
import { closest } from '../shared/suggest.js';

type Taxonomy = Pick<ParsedConfig, 'sectors' | 'measures' | 'mechanisms'>;

/** Quotes a writer may put around a name: “六个引领工作法”, "…", 「…」, 《…》. */
export function stripQuotes(value: string): string {
  // The closing run by a lookbehind, so that it is tried once: `[”…]+$` alone retried it from each of its quotes.
  return value.trim().replace(/^[“"「『《‘']+/, '').replace(/(?<![”"」』》’'])[”"」』》’']+$/, '').trim();
}

/** A sector by key, label or alias. */
export function findSector(taxonomy: Taxonomy, value: unknown): Sector | undefined {
  if (typeof value !== 'string') return undefined;
  const v = stripQuotes(value);
  return taxonomy.sectors.find((s) => s.key === v || s.label === v || s.aliases.includes(v));
}

export function findMeasure(taxonomy: Taxonomy, value: unknown): Measure | undefined {
  return typeof value === 'number' ? taxonomy.measures.find((m) => m.number === value) : undefined;
}

/** A mechanism by key or name, with or without quotes. */
export function findMechanism(taxonomy: Taxonomy, value: unknown): Mechanism | undefined {
  if (typeof value !== 'string') return undefined;
  const v = stripQuotes(value);
  return taxonomy.mechanisms.find((m) => m.key === v || m.name === v);
}

/** Every accepted spelling of a sector, for messages and suggestions. */
export function sectorNames(taxonomy: Taxonomy): string[] {
  return taxonomy.sectors.flatMap((s) => [s.label, s.key, ...s.aliases]);
}

export function mechanismNames(taxonomy: Taxonomy): string[] {
  return taxonomy.mechanisms.flatMap((m) => [m.name, m.key]);
}

/** The measure groups in the order they first appear (理念、方法、机制). */
export function measureGroups(taxonomy: Taxonomy): { group: string; measures: Measure[] }[] {
  const groups: { group: string; measures: Measure[] }[] = [];
  for (const m of taxonomy.measures) {
    let g = groups.find((x) => x.group === m.group);
    if (!g) groups.push((g = { group: m.group, measures: [] }));
    g.measures.push(m);
  }
  return groups;
}

// The messages for a value the taxonomy does not know, said the same way by lint's rules and by the roster reader.

/** `value` is not a sector: what was found, the nearest spelling, and what is allowed. */
export function unknownSectorMessage(taxonomy: Taxonomy, value: string): string {
  const suggestion = closest(stripQuotes(value), sectorNames(taxonomy));
  const allowed = taxonomy.sectors.map((s) => s.label).join('、');
  return `未知的领域“${stripQuotes(value)}”${suggestion ? `，是不是“${suggestion}”？` : '，'}应为：${allowed}（也可写 key 或别名）`;
}

/** `value` is not a mechanism: what was found, the nearest spelling, and what is allowed. */
export function unknownMechanismMessage(taxonomy: Taxonomy, value: string): string {
  const suggestion = closest(stripQuotes(value), mechanismNames(taxonomy));
  const allowed = taxonomy.mechanisms.map((m) => m.name).join('、');
  return `未知的工作机制“${stripQuotes(value)}”${suggestion ? `，是不是“${suggestion}”？` : '，'}${
    allowed ? `应为：${allowed}（也可写 key）` : 'huibian.yaml 中没有定义任何工作机制（mechanisms）'
  }`;
}

/** The allowed measure numbers, compact when they run without gaps: “1–10”, else “1、2、5”. */
export function allowedMeasureNumbers(taxonomy: Pick<Taxonomy, 'measures'>): string {
  const numbers = taxonomy.measures.map((m) => m.number).sort((a, b) => a - b);
  const first = numbers[0];
  const last = numbers[numbers.length - 1];
  if (first === undefined || last === undefined) return '（huibian.yaml 中没有定义举措）';
  return last - first === numbers.length - 1 && numbers.length > 2 ? `${first}–${last}` : numbers.join('、');
}

/** Measure number `n` is not in the taxonomy. */
export function unknownMeasureMessage(taxonomy: Pick<Taxonomy, 'measures'>, n: number): string {
  return `未知的举措编号 ${n}，应为 ${allowedMeasureNumbers(taxonomy)} 中的一个`;
}

/** `mechanism` belongs to other sectors than `sector`: whose it is, and the sector's own mechanisms. */
export function mechanismSectorMessage(taxonomy: Taxonomy, mechanism: Mechanism, sector: Sector): string {
  const labelOf = (key: string) => taxonomy.sectors.find((s) => s.key === key)?.label ?? key;
  const fitting = taxonomy.mechanisms.filter((m) => m.sectors.includes(sector.key)).map((m) => m.name);
  return `工作机制“${mechanism.name}”属于${mechanism.sectors.map(labelOf).join('、')}（${mechanism.system}），与本案例的领域“${sector.label}”不符${
    fitting.length ? `；${sector.label}的工作机制为：${fitting.join('、')}` : ''
  }`;
}
