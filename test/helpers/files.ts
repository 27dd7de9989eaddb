// Finding test inputs on disk.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every Markdown file under a folder, at any depth. */
export function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => f.endsWith('.md') && statSync(f).isFile());
}
