/** Expand the paths given to `lint` into the Markdown files to check. */
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

/** Folders never searched for cases. */
const skipped = new Set(['node_modules', '.git', 'out', 'dist']);

export interface Collected {
  files: string[];
  /** Paths that do not exist, for a usage error. */
  missing: string[];
}

/** Markdown files under each path (files are taken as they are, folders searched recursively), sorted, without duplicates. */
export async function collectFiles(paths: readonly string[], cwd: string): Promise<Collected> {
  const files = new Set<string>();
  const missing: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let info;
    try {
      info = await stat(abs);
    } catch {
      missing.push(p);
      continue;
    }
    if (info.isDirectory()) for (const f of await walk(abs)) files.add(f);
    // A path named on purpose is checked even when it is not a regular file (a FIFO, a device): reading says why not.
    else files.add(abs);
  }
  return { files: [...files].sort(), missing };
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.') || skipped.has(e.name)) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if (e.isFile() && extname(e.name).toLowerCase() === '.md' && !e.name.startsWith('_')) out.push(full);
  }
  return out;
}
