/** Which request paths the preview server answers, and which file each names: everything not listed here is a 404. */
import { realpath, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { inside } from '../shared/inside.js';

/** What a request path asks for. Files are resolved to a real path inside an allowed folder, or not at all. */
export type Route =
  | { kind: 'page' }
  | { kind: 'events' }
  | { kind: 'pdf' }
  | { kind: 'file'; path: string; type: string }
  | { kind: 'not-found' };

/** The files the server may hand out, as the current state of the preview knows them. */
export interface ServedFiles {
  /** `/fonts/<name>/<file>` → the packaged font folder named `<name>` (e.g. noto-serif-sc). */
  fontDirs: ReadonlyMap<string, string>;
  /** `/template/<path>`: the template folders, the user's first. */
  templateDirs: readonly string[];
  /** `/files/<path>`: only the images the case references, by their path relative to the compilation root. */
  root: string;
  assets: ReadonlySet<string>;
}

/** Types by extension; a file of any other type is never served, so a template's .liquid or a stray .yaml stays private. */
export const staticTypes: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
};

/**
 * The path segments of a request target, decoded, or undefined when the path is suspicious: not starting with `/`,
 * an encoded `/` or `\`, a backslash, a NUL, an empty segment (`//`), `.` or `..` (plain or percent-encoded), or bad
 * percent-encoding. Refusing these outright is simpler to trust than normalising them.
 */
export function pathSegments(target: string): string[] | undefined {
  const path = target.split(/[?#]/, 1)[0]!;
  if (!path.startsWith('/')) return undefined;
  if (path === '/') return [];
  const segments: string[] = [];
  for (const raw of path.slice(1).split('/')) {
    if (/%(2f|5c|00)/i.test(raw) || raw.includes('\\')) return undefined;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('\0')) return undefined;
    segments.push(segment);
  }
  return segments;
}

/** Decide what `target` (the request's path and query) names. Files are checked on disk, symlinks followed to where they lead. */
export async function route(target: string, served: ServedFiles): Promise<Route> {
  const notFound: Route = { kind: 'not-found' };
  const segments = pathSegments(target);
  if (!segments) return notFound;
  const [head, ...rest] = segments;
  if (head === undefined) return { kind: 'page' };
  if (rest.length === 0 && head === 'events') return { kind: 'events' };
  if (rest.length === 0 && head === 'case.pdf') return { kind: 'pdf' };
  if (head === 'fonts' && rest.length === 2) {
    const dir = served.fontDirs.get(rest[0]!);
    return dir ? fileIn([dir], rest.slice(1)) : notFound;
  }
  if (head === 'template' && rest.length > 0) return fileIn(served.templateDirs, rest);
  if (head === 'files' && rest.length > 0 && served.assets.has(rest.join('/'))) return fileIn([served.root], rest);
  return notFound;
}

/** The first folder holding the file at `segments`, if its real path stays inside that folder's real path. */
async function fileIn(dirs: readonly string[], segments: readonly string[]): Promise<Route> {
  const type = staticTypes[extname(segments.at(-1)!).toLowerCase()];
  if (!type) return { kind: 'not-found' };
  for (const dir of dirs) {
    try {
      const realDir = await realpath(dir);
      const real = await realpath(join(dir, ...segments));
      if (!inside(realDir, real) || !(await stat(real)).isFile()) continue;
      return { kind: 'file', path: real, type };
    } catch {
      // Missing in this folder: try the next one.
    }
  }
  return { kind: 'not-found' };
}

