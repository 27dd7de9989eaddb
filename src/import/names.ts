/** Case ids (and so file names) for imported submissions: safe on Windows, macOS and Linux, unique, the same every run. */
import { basename, extname } from 'node:path';

const reserved = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i;

/** The id a submission's file name gives: letters, digits, `-` and `_` only (the case schema's id), NFC, at most 60 characters. */
export function idFor(path: string): string {
  const stem = basename(path, extname(path)).normalize('NFKC').normalize('NFC');
  let id = stem
    .replace(/[^\p{L}\p{N}_-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  id = [...id].slice(0, 60).join('').replace(/[-_]+$/, '');
  if (!id) id = 'case';
  if (reserved.test(id)) id = `${id}-case`;
  return id;
}

/**
 * Ids for a list of submissions (given in a stable order): a second file with the same id — or one differing only in
 * case, which Windows and macOS treat as the same file — gets `-2`, `-3`, … in that order.
 */
export function uniqueIds(paths: readonly string[]): string[] {
  const taken = new Set<string>();
  return paths.map((path) => {
    const base = idFor(path);
    let id = base;
    for (let n = 2; taken.has(id.toLowerCase()); n++) id = `${base}-${n}`;
    taken.add(id.toLowerCase());
    return id;
  });
}
