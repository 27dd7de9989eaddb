/** Group checked cases into the book's structure: parts by sector in configured order, plus the appendix's index data. */
import type { ResolvedConfig } from '../config/load.js';
import type { Mechanism, Measure, Sector } from '../config/schema.js';
import type { Case } from '../case/resolve.js';
import { measureGroups } from '../case/taxonomy.js';
import { chineseOrdinal } from './ordinal.js';

/** One sector's part of the book. */
export interface Part {
  sector: Sector;
  /** 一、二、三… */
  ordinal: string;
  /** The HTML id of the part's section: `part-<sector.key>`. */
  id: string;
  cases: Case[];
}

/** The book's content in book order: what every later stage (render, print) passes on. */
export interface Compilation {
  config: ResolvedConfig;
  parts: Part[];
  /** Every case in book order; drafts excluded unless asked for. */
  cases: Case[];
}

export interface BuildCompilationOptions {
  includeDrafts?: boolean;
}

/** Order and group cases: parts in configured sector order; within a part by `order` (absent last), then id by code point. */
export function buildCompilation(cases: readonly Case[], config: ResolvedConfig, options: BuildCompilationOptions = {}): Compilation {
  const kept = cases.filter((c) => options.includeDrafts || !c.draft);
  const parts: Part[] = [];
  for (const sector of config.sectors) {
    const inPart = kept.filter((c) => c.sector.key === sector.key).sort(compareCases);
    if (inPart.length === 0) continue;
    parts.push({ sector, ordinal: chineseOrdinal(parts.length + 1), id: `part-${sector.key}`, cases: inPart });
  }
  return { config, parts, cases: parts.flatMap((p) => p.cases) };
}

/** `order` ascending with absent last, then id by code point (not locale: the order must not depend on the machine). */
export function compareCases(a: Case, b: Case): number {
  const ao = a.order ?? Number.POSITIVE_INFINITY;
  const bo = b.order ?? Number.POSITIVE_INFINITY;
  if (ao !== bo) return ao < bo ? -1 : 1;
  return compareCodePoints(a.id, b.id);
}

export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** The appendix's data: who did what, derived from a Compilation. */
export interface BookIndex {
  /** Measures grouped by measure group (理念/方法/机制, in order of first appearance); measures with no case are kept with an empty list. */
  byMeasure: { group: string; measures: { measure: Measure; cases: Case[] }[] }[];
  /** Mechanisms in configured order, each with its cases in book order; mechanisms with no case are kept. */
  byMechanism: { mechanism: Mechanism; cases: Case[] }[];
  /** Count of cases per sector (rows, the book's parts) × measure (columns, configured order). */
  counts: {
    measures: Measure[];
    rows: { part: Part; counts: number[]; total: number }[];
    /** Column totals; a case with two measures counts in both columns. */
    totals: number[];
    /** Number of cases (not the sum of cells). */
    total: number;
  };
}

export function buildIndex(compilation: Compilation): BookIndex {
  const { config, parts, cases } = compilation;
  const byMeasure = measureGroups(config).map((g) => ({
    group: g.group,
    measures: g.measures.map((measure) => ({ measure, cases: cases.filter((c) => c.measures.includes(measure)) })),
  }));
  const byMechanism = config.mechanisms.map((mechanism) => ({
    mechanism,
    cases: cases.filter((c) => c.mechanism.key === mechanism.key),
  }));
  const measures = config.measures;
  const rows = parts.map((part) => ({
    part,
    counts: measures.map((m) => part.cases.filter((c) => c.measures.includes(m)).length),
    total: part.cases.length,
  }));
  const totals = measures.map((_, i) => rows.reduce((sum, r) => sum + r.counts[i]!, 0));
  return { byMeasure, byMechanism, counts: { measures, rows, totals, total: cases.length } };
}
