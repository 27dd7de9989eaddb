/**
 * `huibian lint --fix`: apply the fixes rules attach to their messages, pass after pass until nothing changes, and write
 * each file atomically. Only the fixed ranges change; everything else (BOM, CRLF, code, URLs, front-matter) stays
 * byte-identical. A GB18030/GBK file is first converted to UTF-8 with the same characters.
 */
import { rename, stat, unlink, writeFile, chmod } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { relative } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Nodes, Root } from 'mdast';
import type { ResolvedConfig } from '../config/load.js';
import type { Diagnostic, Fix } from '../shared/diagnostics.js';
import { tempPathFor } from '../shared/write-outputs.js';
import { decode, guessEncoding, readBytes } from '../shared/read-text.js';
import { makeSource, type SourceText } from '../shared/source.js';
import { parseForLint } from '../case/parse.js';
import { lintSource } from './run.js';

type Iconv = typeof import('iconv-lite');
const require = createRequire(import.meta.url);
let iconv: Iconv | undefined;

/** At most this many lint-and-fix passes per file (a fix can reveal another, e.g. `(` → `（` then pinyin removal). */
export const maxPasses = 10;

/** What `--fix` did (or, with `--fix-dry-run`, would do) to one file. */
export interface FixOutcome {
  path: string;
  /** Text before and after, without the BOM. Equal when no fix applied. */
  before: string;
  after: string;
  /** Fixes applied over all passes. */
  applied: number;
  /** The encoding the file was converted from (GB18030), when it was not UTF-8. */
  convertedFrom?: string;
  /** The file on disk was rewritten. */
  written: boolean;
  /** Why the file was left as it was (unreadable, undecodable, write failed). */
  error?: string;
}

export interface FixOptions {
  /** `--fix-dry-run`: compute the outcome without writing. */
  dryRun?: boolean;
}

/** Apply non-overlapping fixes to `text` (earliest first; a fix overlapping an earlier one waits for the next pass). */
export function applyFixes(text: string, fixes: readonly Fix[]): { text: string; applied: number } {
  const sorted = [...fixes].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end);
  const chosen: Fix[] = [];
  let lastEnd = -1;
  let lastInsertAt = -1;
  for (const fix of sorted) {
    const { start, end } = fix.range;
    if (start < lastEnd || start < 0 || end > text.length) continue;
    if (start === end && start === lastInsertAt) continue; // two insertions at one point: order would be arbitrary
    if (text.slice(start, end) === fix.text) continue;
    chosen.push(fix);
    lastEnd = end;
    lastInsertAt = start === end ? start : -1;
  }
  let out = '';
  let at = 0;
  for (const fix of chosen) {
    out += text.slice(at, fix.range.start) + fix.text;
    at = fix.range.end;
  }
  return { text: out + text.slice(at), applied: chosen.length };
}

/** Lint and fix text in memory until no fix applies (or `maxPasses`). */
export function fixSource(source: SourceText, config: ResolvedConfig, cwd: string): { text: string; applied: number; passes: number } {
  let current = source;
  let applied = 0;
  let passes = 0;
  while (passes < maxPasses) {
    let tree: Root | undefined;
    const { file } = lintSource(current, config, cwd, (text) => {
      const parsed = parseForLint(text);
      tree = parsed.mdast;
      return parsed;
    });
    const fixes = (file.messages as Diagnostic[]).flatMap((m) => (m.fix ? [m.fix] : []));
    if (fixes.length === 0) break;
    const result = applyKeepingShape(current.text, fixes, tree && shape(tree));
    if (result.applied === 0) break;
    passes++;
    applied += result.applied;
    current = makeSource(source.path, result.text, source.bom);
  }
  return { text: current.text, applied, passes };
}

/**
 * applyFixes, less any fix that would make or unmake Markdown: a text rule edits prose, but the character it changes
 * may be syntax beside it (`！[链接](…)` → `![链接](…)` makes the link an image; deleting a zero-width space does the
 * same to `!\u200b[`). When the text fixed all at once has another shape, the fixes are taken in order, a run at a time
 * (halved until a run keeps the shape, so a few bad fixes among hundreds cost a few parses each), each run kept only if
 * the text with it and every run kept before it still has the shape; a fix withheld keeps its message in lint's report.
 */
function applyKeepingShape(text: string, fixes: readonly Fix[], before: string | undefined): { text: string; applied: number } {
  const all = applyFixes(text, fixes);
  if (all.applied === 0 || before === undefined || shapeOf(all.text) === before) return all;
  const kept: Fix[] = [];
  const take = (run: Fix[]): void => {
    if (!run.length) return;
    if (shapeOf(applyFixes(text, [...kept, ...run]).text) === before) {
      kept.push(...run);
    } else if (run.length > 1) {
      const half = Math.ceil(run.length / 2);
      take(run.slice(0, half));
      take(run.slice(half));
    }
  };
  take([...fixes].sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end));
  return applyFixes(text, kept);
}

const shapeOf = (text: string) => shape(parseForLint(text).mdast);

/**
 * A tree's Markdown without its prose: every node's type and fields (link destinations, code, HTML, list numbering…)
 * and its children, leaving out positions and the words a text rule may change — text, an image's alt text, the
 * front-matter (read as YAML, not Markdown).
 */
function shape(node: Nodes): string {
  const fields = Object.entries(node).filter(([key]) => key !== 'position' && key !== 'children' && !(key === 'value' && (node.type === 'text' || node.type === 'yaml')) && key !== 'alt');
  return `${JSON.stringify(fields)}[${'children' in node ? node.children.map((child) => shape(child as Nodes)).join(',') : ''}]`;
}

/** Read a file as UTF-8, or convert it from GB18030 when that decoding is lossless (re-encoding gives the same bytes). */
export function decodeForFix(path: string, bytes: Buffer): { source: SourceText; convertedFrom?: string } | { error: string } {
  const read = decode(path, bytes);
  if (read.ok) return { source: read.source };
  const guess = guessEncoding(bytes);
  if (guess === 'Big5' || guess?.startsWith('UTF-16')) return { error: read.reason };
  // Loaded only here, to convert a GB18030 file: loading it costs every run ~30 ms of start-up.
  iconv ??= require('iconv-lite') as Iconv;
  const text = iconv.decode(bytes, 'gb18030');
  if (text.includes('\ufffd') || !iconv.encode(text, 'gb18030').equals(bytes)) return { error: read.reason };
  return { source: makeSource(path, text, false), convertedFrom: 'GB18030' };
}

/** Fix one file: decode (converting GB18030), fix in passes, and write atomically unless `dryRun`. */
export async function fixFile(path: string, config: ResolvedConfig, cwd: string, options: FixOptions = {}): Promise<FixOutcome> {
  // The same limits as lint: no FIFO, device or file over the size limit is read.
  const read = await readBytes(path);
  if (!read.ok) return { path, before: '', after: '', applied: 0, written: false, error: read.reason };
  const decoded = decodeForFix(path, read.bytes);
  if ('error' in decoded) return { path, before: '', after: '', applied: 0, written: false, error: decoded.error };
  const { source, convertedFrom } = decoded;
  const fixed = fixSource(source, config, cwd);
  const outcome: FixOutcome = { path, before: source.text, after: fixed.text, applied: fixed.applied, convertedFrom, written: false };
  if (options.dryRun || (fixed.text === source.text && !convertedFrom)) return outcome;
  try {
    await writeAtomically(path, Buffer.from((source.bom ? '\ufeff' : '') + fixed.text, 'utf8'));
    outcome.written = true;
  } catch (error) {
    outcome.error = `写入失败，文件保持原样（${(error as NodeJS.ErrnoException).code ?? String(error)}）`;
  }
  return outcome;
}

/** Write beside the file, then rename over it: readers see the old file or the new one, never half of one. */
export async function writeAtomically(path: string, data: Buffer): Promise<void> {
  const temp = tempPathFor(path);
  try {
    const mode = (await stat(path)).mode & 0o7777;
    await writeFile(temp, data, { flag: 'wx', mode });
    await chmod(temp, mode);
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => {});
    throw error;
  }
}

/** A unified diff of what `--fix` changes in one file (empty when nothing), with paths relative to `cwd`. */
export function fixDiff(outcome: FixOutcome, cwd: string): string {
  const name = relative(cwd, outcome.path) || outcome.path;
  const header = outcome.convertedFrom ? `# ${name}：将从 ${outcome.convertedFrom} 转为 UTF-8（文字不变）\n` : '';
  if (outcome.before === outcome.after) return header;
  return header + createTwoFilesPatch(`a/${name}`, `b/${name}`, outcome.before, outcome.after, '', '', { context: 3 });
}
