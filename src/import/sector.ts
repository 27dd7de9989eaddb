/** Guessing a submission's sector from its unit's name, for imports without a roster; a guess is made only when one sector clearly wins. */
import type { ParsedConfig } from '../config/schema.js';
import { defaultSectorKeywords } from '../config/schema.js';

type SectorConfig = Pick<ParsedConfig, 'sectors'> & { import?: Pick<ParsedConfig['import'], 'sectorKeywords'> };

/** A sector guessed from a unit's name, and why (shown in the intake report). */
export interface SectorGuess {
  /** The sector's key. */
  sector: string;
  /** In Chinese, e.g. 单位名称中的“医院”（公立医院的关键词）. */
  because: string;
}

/**
 * The party organisation a unit writes around its name (北京大学党委, 中共某某医院委员会, 某某公司党总支) names the
 * Party body, not the unit: it is cut off before matching, or 委 would make every unit an agency.
 */
const partySuffix = /(?:机关)?(?:党委|党组|党总支|党支部|党工委|纪委)$/u;
const partyPrefix = /^(?:中国共产党|中共)/u;
const partyPrefixedSuffix = /(?:总支部委员会|支部委员会|委员会|工委|党组|总支|支部|委)$/u;

/**
 * The sector a unit's name points to. Every keyword (the sector's label and aliases, plus `import.sectorKeywords`)
 * found in the name counts where it ends; the keyword ending last wins, because a Chinese name ends with the kind of
 * body it is (首都医科大学附属北京同仁医院 is a hospital, 北京大学附属中学 a school). When keywords of two sectors end
 * at the same place, or nothing matches, there is no guess: a wrong sector is worse than none.
 */
export function guessSector(unit: string, config: SectorConfig): SectorGuess | undefined {
  const name = unitCore(unit);
  if (!name) return undefined;
  let best: { end: number; key: string; keyword: string }[] = [];
  for (const { key, keyword } of sectorKeywords(config)) {
    const at = name.lastIndexOf(keyword);
    if (at < 0) continue;
    const end = at + keyword.length;
    if (best.length === 0 || end > best[0]!.end) best = [{ end, key, keyword }];
    else if (end === best[0]!.end) best.push({ end, key, keyword });
  }
  const keys = new Set(best.map((b) => b.key));
  if (keys.size !== 1) return undefined;
  // Quote the longest keyword that ends there (委员会 rather than 委).
  const { key, keyword } = best.reduce((a, b) => (b.keyword.length > a.keyword.length ? b : a));
  const sector = config.sectors.find((s) => s.key === key);
  if (!sector) return undefined;
  return { sector: sector.key, because: `单位名称中的“${keyword}”（${sector.label}的关键词）` };
}

/** The unit's own name without the Party body around it. */
function unitCore(unit: string): string {
  let name = normalizeUnit(unit);
  if (partyPrefix.test(name)) {
    name = name.replace(partyPrefix, '');
    const cut = name.replace(partySuffix, '');
    name = cut !== name ? cut : name.replace(partyPrefixedSuffix, '');
  } else {
    name = name.replace(partySuffix, '');
  }
  return name;
}

/** Each sector's keywords: its label and aliases, then the configured (or default) keywords; only for sectors that exist. */
export function sectorKeywords(config: SectorConfig): { key: string; keyword: string }[] {
  const configured = config.import?.sectorKeywords ?? defaultSectorKeywords;
  const out: { key: string; keyword: string }[] = [];
  for (const s of config.sectors) {
    const words = new Set([s.label, ...s.aliases, ...(configured[s.key] ?? [])].map(normalizeUnit).filter(Boolean));
    for (const keyword of words) out.push({ key: s.key, keyword });
  }
  return out;
}

/** Full-width letters and digits to half-width, brackets unified, spaces dropped: how names are compared. */
export function normalizeUnit(value: string): string {
  return value.normalize('NFKC').replace(/\s+/gu, '');
}
