/**
 * Inline switches in a case's Markdown: `<!-- huibian-disable rule -->`, `<!-- huibian-enable rule -->`,
 * `<!-- huibian-disable-next-line rule -->`. A switch is an HTML comment in the Markdown: the same text inside a code
 * block or inline code is an example shown to the reader, and switches nothing.
 */
import { visit } from 'unist-util-visit';
import type { CaseDocument } from '../case/parse.js';
import { pointAt, type Range } from '../shared/source.js';

const switchPattern = /<!--\s*huibian-(disable-next-line|disable|enable)((?:\s+[a-z0-9-]+)*)\s*-->/g;

interface Span {
  rules: Set<string> | 'all';
  start: number;
  end: number;
}

/** A predicate saying whether a message of `ruleId` at `offset` is switched off. */
export function suppressionsFor(document: CaseDocument): (ruleId: string, offset: number) => boolean {
  const { source } = document;
  const text = source.text;
  if (!text.includes('huibian-')) return () => false;
  const spans: Span[] = [];
  const open = new Map<string, number>();
  const comments = htmlRanges(document);
  for (const match of text.matchAll(switchPattern)) {
    if (!comments.some((r) => match.index! >= r.start && match.index! < r.end)) continue;
    const kind = match[1]!;
    const ids = match[2]!.trim().split(/\s+/).filter(Boolean);
    const at = match.index!;
    const rulesOf = (): Set<string> | 'all' => (ids.length ? new Set(ids) : 'all');
    if (kind === 'disable-next-line') {
      const line = pointAt(source, at).line;
      const start = source.lineStarts[line] ?? text.length;
      const end = source.lineStarts[line + 1] ?? text.length;
      spans.push({ rules: rulesOf(), start, end });
    } else if (kind === 'disable') {
      for (const id of ids.length ? ids : ['*']) if (!open.has(id)) open.set(id, at);
    } else {
      for (const id of ids.length ? ids : [...open.keys()]) {
        const start = open.get(id);
        if (start === undefined) continue;
        open.delete(id);
        spans.push({ rules: id === '*' ? 'all' : new Set([id]), start, end: at });
      }
    }
  }
  for (const [id, start] of open) spans.push({ rules: id === '*' ? 'all' : new Set([id]), start, end: text.length });
  return (ruleId, offset) =>
    spans.some((s) => offset >= s.start && offset < s.end && (s.rules === 'all' || s.rules.has(ruleId)));
}

/** Where the file's HTML (block and inline) is: the only places a switch counts. Read only for files that mention `huibian-`. */
function htmlRanges(document: CaseDocument): Range[] {
  const ranges: Range[] = [];
  visit(document.mdast, 'html', (node) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (start !== undefined && end !== undefined) ranges.push({ start, end });
  });
  return ranges;
}
