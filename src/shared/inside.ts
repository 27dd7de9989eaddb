/** Whether a path lies inside a folder: the one test for confining reads (images, preview's files) and for what to watch. */
import { isAbsolute, relative, sep } from 'node:path';

/** `path` is strictly inside `dir` (not `dir` itself), compared lexically: resolve symbolic links first where they matter. */
export function inside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  // `..` alone or as the first segment leaves the folder; a name like `..notes` does not. On Windows, another drive
  // gives an absolute `rel`.
  return rel !== '' && rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel);
}
