/**
 * The segment cache: each printed segment's PDF kept on disk under a key of everything its print depends on, so that
 * a compile after a small change reprints only the segments whose content or place in the book changed.
 *
 * The key is made from what the page would print, read from the page itself (segmentSource in print-book.ts): the
 * shown units' HTML, by its digest (page numbers already written into their page-refs, blank pages already switched
 * on), the start tags of the elements around them and their places among their siblings (CSS may select on either),
 * the document's head (every style sheet and @font-face rule), the content of every file the head or the units name
 * by a `file:` URL (by digest: a font cache that touches its files to record their use must not invalidate anything),
 * the view (the page counter's start, the throwaway page that sets left or right, whether the page margins are left
 * empty for a frame print and whether it is one), whether the print is tagged, and the versions of huibian, Chromium
 * and this format. Nothing else reaches Chromium.
 *
 * An entry is one file: a JSON line (the PDF's SHA-256, its page count, named destinations, headings and, for a print
 * with empty margins, each page's page name), then the PDF, so a segment taken from the cache is parsed only once,
 * when merging. It is written to a temporary name and renamed, so a reader sees a whole entry or none; an entry whose
 * bytes do not match its digest (a torn disk, an edit by hand) is ignored and printed afresh. The folder is safe to
 * delete at any time.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { version as huibianVersion } from '../shared/version.js';

/** Bump when the entry format or what the key covers changes: old entries then never match. */
const formatVersion = 4;

/** What a segment's print gave, as kept: the PDF, its page count, where its linked-to ids landed, its h1/h2 headings. */
export interface CachedSegment {
  bytes: Uint8Array;
  pages: number;
  /** Element id → 1-based page in this PDF (namedDestinations). */
  destinations: Map<string, number>;
  headings: { level: number; title: string; id: string }[];
  /** A print whose page margins were left empty: the CSS page name (`page`) in force on each page, `auto` for none, for the frame print that fills the margins in (see printFrame in print-book.ts). */
  pageNames?: string[];
}

/** What segmentSource reads from the page for one segment (see print-book.ts). */
export interface SegmentSource {
  /** The SHA-256 (hex) of the shown units' outer HTML, and the start tags and sibling places of the elements around them. */
  sha256: string;
  /** The `file:` URLs that HTML names. */
  files: string[];
}

/** What is the same for every segment of one loaded book: the head, and the browser printing it. */
export interface BookSource {
  /** The document's head as printed, without the page counter's style (which is part of each segment's view). */
  head: string;
  /** `Browser.version()`. */
  browserVersion: string;
  /** A digest of the code that prepares and prints the segments (print-book.ts as it runs), so a changed build of huibian never reuses what an older one printed, even under the same version number. */
  printer: string;
}

export interface SegmentCacheOptions {
  dir: string;
  /** Entries beyond this many bytes are removed, least recently used first (default 512 MB). */
  limitBytes?: number;
}

/** Default bound on the cache folder: a 1,000-case book's segments take about 60 MB, so this holds several books. */
export const defaultCacheLimit = 512 * 1024 * 1024;

export class SegmentCache {
  readonly dir: string;
  private readonly limitBytes: number;
  /** Keys read or written in this run: never pruned, whatever their age. */
  private readonly used = new Set<string>();
  /** file: URL → the SHA-256 of its content, each file read once per run. */
  private readonly stamps = new Map<string, string>();

  constructor(options: SegmentCacheOptions) {
    this.dir = options.dir;
    this.limitBytes = options.limitBytes ?? defaultCacheLimit;
  }

  /** The key of one print: a SHA-256 of everything the printed bytes depend on. */
  async key(book: BookSource, segment: SegmentSource, view: { throwawayPage: boolean; counter: number | null; tagged: boolean; bare: boolean; frame?: boolean }): Promise<string> {
    const hash = createHash('sha256');
    const files = new Set([...fileUrlsIn(book.head), ...segment.files]);
    const stamps: string[] = [];
    for (const url of [...files].sort()) stamps.push(`${url} ${await this.stamp(url)}`);
    hash.update(JSON.stringify({ formatVersion, huibian: huibianVersion, printer: book.printer, browser: book.browserVersion, view, stamps }));
    hash.update('\0');
    hash.update(book.head);
    hash.update('\0');
    hash.update(segment.sha256);
    return hash.digest('hex');
  }

  /** The entry under `key`, or undefined when there is none or it is damaged. */
  async get(key: string): Promise<CachedSegment | undefined> {
    let data: Buffer;
    try {
      data = await readFile(this.path(key));
    } catch {
      return undefined;
    }
    const entry = parseEntry(data);
    if (!entry) {
      await rm(this.path(key), { force: true }).catch(() => undefined);
      return undefined;
    }
    this.used.add(key);
    // The time of last use, for pruning; a read-only cache folder still serves.
    const now = new Date();
    await utimes(this.path(key), now, now).catch(() => undefined);
    return entry;
  }

  /** Keep `entry` under `key`. A cache that cannot be written (read-only, disk full) is only slower: never an error. */
  async put(key: string, entry: CachedSegment): Promise<void> {
    this.used.add(key);
    const header = JSON.stringify({
      formatVersion,
      sha256: createHash('sha256').update(entry.bytes).digest('hex'),
      pages: entry.pages,
      destinations: [...entry.destinations],
      headings: entry.headings,
      ...(entry.pageNames ? { pageNames: entry.pageNames } : {}),
    });
    const temp = `${this.path(key)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(temp, Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), entry.bytes]));
      await rename(temp, this.path(key));
    } catch {
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }

  /** Remove the least recently used entries not used in this run until the folder is within its bound. */
  async prune(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return;
    }
    const entries: { name: string; size: number; time: number }[] = [];
    for (const name of names) {
      const info = await stat(join(this.dir, name)).catch(() => undefined);
      if (!info?.isFile()) continue;
      // A temporary file older than a minute was left by a run that was killed.
      if (name.endsWith('.tmp')) {
        if (Date.now() - info.mtimeMs > 60_000) await rm(join(this.dir, name), { force: true }).catch(() => undefined);
        continue;
      }
      entries.push({ name, size: info.size, time: info.mtimeMs });
    }
    let total = entries.reduce((n, e) => n + e.size, 0);
    for (const entry of entries.sort((a, b) => a.time - b.time)) {
      if (total <= this.limitBytes) break;
      if (this.used.has(entry.name.replace(/\.pdfseg$/, ''))) continue;
      await rm(join(this.dir, entry.name), { force: true }).catch(() => undefined);
      total -= entry.size;
    }
  }

  private path(key: string): string {
    return join(this.dir, `${key}.pdfseg`);
  }

  private async stamp(url: string): Promise<string> {
    let stamp = this.stamps.get(url);
    if (stamp === undefined) {
      try {
        stamp = createHash('sha256').update(await readFile(fileURLToPath(url))).digest('hex');
      } catch {
        stamp = 'missing';
      }
      this.stamps.set(url, stamp);
    }
    return stamp;
  }
}

/** The entry in `data`, or undefined when it is not one this version wrote or its PDF does not match its digest. */
function parseEntry(data: Buffer): CachedSegment | undefined {
  const newline = data.indexOf(0x0a);
  if (newline < 0) return undefined;
  try {
    const header = JSON.parse(data.subarray(0, newline).toString('utf8')) as Partial<{
      formatVersion: number;
      sha256: string;
      pages: number;
      destinations: [string, number][];
      headings: CachedSegment['headings'];
      pageNames: string[];
    }>;
    const bytes = new Uint8Array(data.subarray(newline + 1));
    if (header.formatVersion !== formatVersion || !Number.isInteger(header.pages) || !Array.isArray(header.headings) || !Array.isArray(header.destinations)) return undefined;
    if (createHash('sha256').update(bytes).digest('hex') !== header.sha256) return undefined;
    if (header.pageNames !== undefined && !(Array.isArray(header.pageNames) && header.pageNames.length === header.pages)) return undefined;
    return { bytes, pages: header.pages!, destinations: new Map(header.destinations), headings: header.headings!, ...(header.pageNames ? { pageNames: header.pageNames } : {}) };
  } catch {
    return undefined;
  }
}

/** A digest of the file at `url` (the module that prints), read once per process. */
export function codeDigest(url: string): string {
  let digest = codeDigests.get(url);
  if (!digest) codeDigests.set(url, (digest = createHash('sha256').update(readFileSync(fileURLToPath(url))).digest('hex')));
  return digest;
}
const codeDigests = new Map<string, string>();

/** The `file:` URLs named in some HTML (font faces, template images), decoded from attribute and CSS quoting. */
function fileUrlsIn(html: string): string[] {
  return [...html.matchAll(/file:\/\/[^"'()\s<>]+/g)].map((m) => m[0].replace(/&amp;/g, '&'));
}
