/** The PDF's document information (title, author, keywords, date, page size), from the book or one case. */
import type { Compilation } from '../compile/group.js';
import type { ResolvedConfig } from '../config/load.js';
import { paperSizes } from '../render/page.js';
import type { BookMetadata } from './finish.js';
import { sizeInPoints } from './size.js';

/** Title, publisher, subject, keywords and a fixed date (SOURCE_DATE_EPOCH, else the config's date). */
export function metadataFor(compilation: Compilation, env: Readonly<Record<string, string | undefined>>): BookMetadata {
  const { config } = compilation;
  const measures = new Set(compilation.cases.flatMap((c) => c.measures.map((m) => m.number)));
  const keywords = [
    ...compilation.parts.map((p) => p.sector.label),
    ...config.measures.filter((m) => measures.has(m.number)).map((m) => m.title),
  ];
  return {
    title: config.title,
    author: config.publisher,
    subject: config.subtitle,
    keywords,
    language: config.language,
    date: bookDate(config, env),
    pageSize: sizeInPoints(typeof config.page.size === 'string' ? paperSizes[config.page.size]! : config.page.size),
  };
}

/** SOURCE_DATE_EPOCH (seconds) wins, as reproducible-builds.org asks; then the config's date; then now. */
export function bookDate(config: Pick<ResolvedConfig, 'date'>, env: Readonly<Record<string, string | undefined>>): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000);
  const date = config.date;
  if (date instanceof Date && !Number.isNaN(date.getTime())) return date;
  if (typeof date === 'string') {
    const m = /^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$/.exec(date.trim());
    if (m) return new Date(Date.UTC(Number(m[1]), Number(m[2] ?? 1) - 1, Number(m[3] ?? 1)));
  }
  return new Date();
}
