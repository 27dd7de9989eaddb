/** Turn a parsed case's front-matter into a `Case`, or nothing when a required value is missing or unknown. */
import { basename, extname } from 'node:path';
import type { Mechanism, Measure, ParsedConfig, Sector } from '../config/schema.js';
import type { CaseDocument } from './parse.js';
import { caseFrontMatterSchema } from './schema.js';
import { findMeasure, findMechanism, findSector } from './taxonomy.js';

/** One case of the compilation, its taxonomy values resolved. */
export interface Case {
  id: string;
  title: string;
  unit: string;
  sector: Sector;
  measures: Measure[];
  mechanism: Mechanism;
  order?: number;
  date?: string;
  summary?: string;
  tags: string[];
  draft: boolean;
  document: CaseDocument;
}

/** The id a case has without an `id` field: its file name without `.md`. */
export function defaultId(path: string): string {
  return basename(path, extname(path));
}

/** The case's id as written, or its default; undefined only when `id` is there but not a string. */
export function caseId(document: CaseDocument): string | undefined {
  const data = document.frontMatter?.data as Record<string, unknown> | undefined;
  const id = data?.id;
  if (id === undefined || id === null) return defaultId(document.source.path);
  return typeof id === 'string' ? id : undefined;
}

// Unknown fields are only warned about, so the known fields are checked alone. Built once: zod compiles each schema on first use.
const knownFields = caseFrontMatterSchema.strip();

export function resolveCase(document: CaseDocument, taxonomy: Pick<ParsedConfig, 'sectors' | 'measures' | 'mechanisms'>): Case | undefined {
  const data = document.frontMatter?.data;
  const known = knownFields.safeParse(data);
  if (!known.success) return undefined;
  const fm = known.data;
  const sector = findSector(taxonomy, fm.sector);
  const mechanism = findMechanism(taxonomy, fm.mechanism);
  const numbers = Array.isArray(fm.measure) ? fm.measure : [fm.measure];
  const measures = numbers.map((n) => findMeasure(taxonomy, n));
  if (!sector || !mechanism || measures.some((m) => !m)) return undefined;
  return {
    id: fm.id ?? defaultId(document.source.path),
    title: fm.title,
    unit: fm.unit,
    sector,
    measures: [...new Set(measures as Measure[])].sort((a, b) => a.number - b.number),
    mechanism,
    order: fm.order,
    date: fm.date,
    summary: fm.summary,
    tags: fm.tags ?? [],
    draft: fm.draft === true,
    document,
  };
}
