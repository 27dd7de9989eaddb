/** Look up a case's sector, measure and mechanism in the compilation's taxonomy. */
import type { Mechanism, Measure, ParsedConfig, Sector } from '../config/schema.js';

type Taxonomy = Pick<ParsedConfig, 'sectors' | 'measures' | 'mechanisms'>;

/** Quotes a writer may put around a name: “六个引领工作法”, "…", 「…」, 《…》. */
export function stripQuotes(value: string): string {
  return value.trim().replace(/^[“"「『《‘']+|[”"」』》’']+$/g, '').trim();
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
