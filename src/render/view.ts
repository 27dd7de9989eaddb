/** The plain data the templates see: strings and lists only, every optional value present as null (strictVariables). */
import type { ResolvedConfig } from '../config/load.js';
import type { Measure } from '../config/schema.js';
import type { Case } from '../case/resolve.js';
import type { BookIndex } from '../compile/group.js';

export interface MeasureView {
  number: number;
  group: string;
  title: string;
  /** 举措5　找准结合点、融入中心工作 */
  label: string;
}

export interface CaseView {
  id: string;
  /** The HTML id: case-<id>. */
  anchor: string;
  title: string;
  unit: string;
  sector: string;
  summary: string | null;
  measures: MeasureView[];
  /** All measures on one line, separated by ；. */
  measureLine: string;
  mechanism: { name: string; system: string };
  /** Sanitised body HTML: the only value templates print raw. */
  body: string;
}

export interface PartView {
  id: string;
  key: string;
  ordinal: string;
  /** 机关篇 */
  label: string;
  /** 一、机关篇 */
  title: string;
  cases: CaseView[];
}

export interface CaseRef {
  anchor: string;
  title: string;
  unit: string;
}

export interface AppendixView {
  byMeasure: { group: string; measures: (MeasureView & { cases: CaseRef[] })[] }[];
  byMechanism: { name: string; system: string; cases: CaseRef[] }[];
  counts: {
    measures: MeasureView[];
    rows: { label: string; counts: number[]; total: number }[];
    totals: number[];
    total: number;
  };
}

export interface BookView {
  lang: string;
  title: string;
  subtitle: string | null;
  publisher: string | null;
  date: string | null;
  /** Sanitised preface HTML, or null. */
  preface: string | null;
  parts: PartView[];
  appendix: AppendixView;
}

export function measureView(m: Measure): MeasureView {
  return { number: m.number, group: m.group, title: m.title, label: `举措${m.number}\u3000${m.title}` };
}

export function caseView(caseData: Case, body: string): CaseView {
  const measures = caseData.measures.map(measureView);
  return {
    id: caseData.id,
    anchor: `case-${caseData.id}`,
    title: caseData.title,
    unit: caseData.unit,
    sector: caseData.sector.label,
    summary: caseData.summary ?? null,
    measures,
    measureLine: measures.map((m) => m.label).join('；'),
    mechanism: { name: caseData.mechanism.name, system: caseData.mechanism.system },
    body,
  };
}

export function partTitle(ordinal: string, label: string): string {
  return `${ordinal}、${label}篇`;
}

function caseRef(caseData: Case): CaseRef {
  return { anchor: `case-${caseData.id}`, title: caseData.title, unit: caseData.unit };
}

export function appendixView(index: BookIndex): AppendixView {
  return {
    byMeasure: index.byMeasure.map((g) => ({
      group: g.group,
      measures: g.measures.map((m) => ({ ...measureView(m.measure), cases: m.cases.map(caseRef) })),
    })),
    byMechanism: index.byMechanism.map((m) => ({ name: m.mechanism.name, system: m.mechanism.system, cases: m.cases.map(caseRef) })),
    counts: {
      measures: index.counts.measures.map(measureView),
      rows: index.counts.rows.map((r) => ({ label: r.part.sector.label, counts: r.counts, total: r.total })),
      totals: index.counts.totals,
      total: index.counts.total,
    },
  };
}

/** The cover's date: 2026-11 → 2026年11月, 2026-11-05 → 2026年11月5日; other text as written. */
export function formatDate(date: ResolvedConfig['date']): string | null {
  if (date === undefined || date === null) return null;
  if (date instanceof Date) {
    return `${date.getUTCFullYear()}年${date.getUTCMonth() + 1}月${date.getUTCDate()}日`;
  }
  const m = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec(date.trim());
  if (!m) return date;
  return `${m[1]}年${Number(m[2])}月${m[3] ? `${Number(m[3])}日` : ''}`;
}

export function bookMeta(config: ResolvedConfig): Pick<BookView, 'lang' | 'title' | 'subtitle' | 'publisher' | 'date'> {
  return {
    lang: config.language,
    title: config.title,
    subtitle: config.subtitle ?? null,
    publisher: config.publisher ?? null,
    date: formatDate(config.date),
  };
}
