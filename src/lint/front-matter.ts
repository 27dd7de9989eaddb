/** Shared by the front-matter rules: the schema issues of one file's front-matter, computed once. */
import type { z } from 'zod';
import type { CaseDocument } from '../case/parse.js';
import type { Case } from '../case/resolve.js';
import { inFile } from '../case/parse.js';
import { caseFrontMatterSchema } from '../case/schema.js';
import type { Range } from '../shared/source.js';
import { yamlRange } from '../shared/yaml-position.js';
import { LastFileCache } from './last-file-cache.js';

const cache = new LastFileCache<CaseDocument, z.core.$ZodIssue[]>();

/** The front-matter as a plain object, or undefined when missing, malformed or not a mapping. */
export function frontMatterData(document: CaseDocument): Record<string, unknown> | undefined {
  const data = document.frontMatter?.data;
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}

/**
 * Schema issues of the front-matter (empty when there is no well-formed mapping to check). `resolved`: the file's
 * resolved case, if any — its front-matter already passed the same schema without the unknown-field check, so when
 * every field is a known one there is no issue, and the schema is not run a second time.
 */
export function frontMatterIssues(document: CaseDocument, resolved?: Case): z.core.$ZodIssue[] {
  let issues = cache.get(document);
  if (!issues) {
    const data = frontMatterData(document);
    if (!data) issues = [];
    else if (resolved && Object.keys(data).every((key) => Object.hasOwn(caseFrontMatterSchema.shape, key))) issues = [];
    else issues = caseFrontMatterSchema.safeParse(data).error?.issues ?? [];
    cache.set(document, issues);
  }
  return issues;
}

/** The file range of the value at `path` in the front-matter (or of the key, with `key: true`). */
export function fieldRange(document: CaseDocument, path: readonly PropertyKey[], options: { key?: boolean } = {}): Range | undefined {
  const fm = document.frontMatter;
  if (!fm?.doc) return fm?.range;
  return inFile(fm, yamlRange(fm.doc, path, options));
}

/** A range covering the opening `---` line, for messages about the front-matter as a whole. */
export function frontMatterHead(document: CaseDocument): Range {
  return { start: 0, end: Math.max(3, document.frontMatter?.range.start ?? 3) - 1 };
}
