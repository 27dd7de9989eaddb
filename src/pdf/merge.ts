/**
 * Merging the printed segments into one PDF with pdf-lib: the pages, and what a PDF reader needs across them — one
 * tag tree (Tagged PDF), one table of named destinations (so the 目录's links reach cases printed in another segment)
 * and one outline of parts and cases. pdf-lib copies pages but none of these, so they are stitched here.
 */
import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFObjectCopier,
  PDFPage,
  PDFPageLeaf,
  PDFRawStream,
  PDFRef,
  decodePDFRawStream,
  PDFString,
  type PDFContext,
  type PDFObject,
} from 'pdf-lib';
import { createHash } from 'node:crypto';
import { destinationArray, forEachDestination, fragmentToId, loadPdf, shortDestinationName } from './destinations.js';
import { renumberStructIds } from './struct-ids.js';

/** One printed segment. */
export interface SegmentPdf {
  bytes: Uint8Array;
  /** The bytes parsed already, when the printer kept them (merging leaves it unchanged). */
  doc?: PDFDocument;
  /** Its key in the segment cache, by which `compile --watch` keeps it parsed for the next build (PrintKeeper). */
  key?: string;
  /** Its first page is a throwaway page (see placeSegment) and is left out. */
  skipFirst: boolean;
  /** It begins inside an element the segment before it ends in (a part, cut between two cases). */
  continues?: boolean;
  /**
   * Its page margins, printed apart (printFrames in print-book.ts), with those of other segments: from page `from`
   * (0-based) of that print, `blanks` pages that go before the segment's first page on their own (a part's blank page),
   * then one page to lay over each of its pages (a throwaway page left out), as an artifact.
   */
  frame?: { bytes: Uint8Array; doc?: PDFDocument; from: number; blanks: number };
  /** A page of a frame print alone after its pages, page `from` of that print (the blank page ending an odd front matter). */
  blankAfter?: { bytes: Uint8Array; doc?: PDFDocument; from: number };
}

/** A bookmark: an h1 (level 1) or h2 (level 2) and the id of the element it goes to. */
export interface OutlineEntry {
  level: number;
  title: string;
  id: string;
}

const name = PDFName.of;

/** The prefix of the ids print.ts gives to headings that have none. */
export const headingIdPrefix = 'huibian-heading-';

/** The prefix of the ids print.ts gives, for one print, to where page names change (markPageStarts); no link names them. */
export const pageMarkPrefix = 'huibian-page-';

/**
 * The merged book, and how each segment went into it, kept by `compile --watch` for the next build's merge (see
 * mergeSegments): a segment whose copy would come out the same is left as it is.
 */
export interface MergedBook {
  doc: PDFDocument;
  /** Internal to merge.ts. */
  readonly merging: Merging;
}

/**
 * Merge the segments in order; the outline is built from `outline`, each entry going to its named destination.
 * `parsed` is told of each segment parsed here (it had no `doc`), which merging leaves as it was parsed.
 *
 * With `last`, the merge of the last build (in `compile --watch`): when every segment that differs from the one at its
 * place last time keeps its pages and, copied again, its number of objects, only those segments are copied, over the
 * objects of the ones they replace, and what follows the segments (named destinations, parent tree, outline) is made
 * again. pdf-lib numbers a copy's objects in the order it walks them, so the document is object for object, and saved
 * byte for byte, the one a merge from nothing makes; otherwise the merge starts from nothing. `last` is used up.
 */
export async function mergeSegments(
  segments: readonly SegmentPdf[],
  outline: readonly OutlineEntry[],
  parsed?: (segment: SegmentPdf, doc: PDFDocument) => void,
  last?: MergedBook,
  /** Whether the result will be given back as `last` (`compile --watch`): each segment's identity is taken then. */
  keep = !!last,
): Promise<MergedBook & { inPlace: boolean; copied: number }> {
  const identities = segments.map((segment) => (keep || last ? identityOf(segment) : ''));
  if (last) {
    const changed = await last.merging.replace(segments, identities, outline, parsed);
    if (changed !== undefined) return { doc: last.doc, merging: last.merging, inPlace: true, copied: changed };
  }
  const merging = await Merging.create();
  for (const [i, segment] of segments.entries()) await merging.add(segment, identities[i]!, parsed);
  merging.finish(outline);
  return { doc: merging.out, merging, inPlace: false, copied: segments.length };
}

/** What a segment's copy depends on: its bytes (its cache key names them), where its first page is, its frame. */
function identityOf(segment: SegmentPdf): string {
  const bytes = (b: Uint8Array, key?: string) => key ?? digestOf(b);
  return JSON.stringify([
    bytes(segment.bytes, segment.key),
    segment.skipFirst,
    !!segment.continues,
    segment.frame ? [bytes(segment.frame.bytes), segment.frame.from, segment.frame.blanks] : null,
    segment.blankAfter ? [bytes(segment.blankAfter.bytes), segment.blankAfter.from] : null,
  ]);
}

/** How one segment went into the merged book: enough to copy another over it, and to make the rest again. */
interface SegmentRecord {
  identity: string;
  /** The object numbers its copy took (pdf-lib numbers them one after another), first to last. */
  first: number;
  last: number;
  /** Its pages in the merged book (with the frame's blank pages before and after it). */
  pageStart: number;
  pages: number;
  keyBase: number;
  nextKey: number;
  structIdStart: number;
  structIdEnd: number;
  tagged: boolean;
  /** Its Document element's children as copied; the first may have been joined into the group before it. */
  kids: PDFObject[];
  parentTree: PDFObject[];
  /** Its named destinations (short name → array) and the ids they stand for, first found in it. */
  dests: [string, PDFArray][];
  byId: [string, PDFArray][];
  /** Its first group's children, when that group was joined into the last group before it (see joinGroups). */
  moved?: PDFObject[];
  /** Its last Document child's own children, as copied: later segments' groups may be joined into it. */
  lastKidKids?: PDFObject[];
  /** The frame layer as it was before it. */
  frames: FrameState;
}

/** A merge in progress, and the records of the segments in it. */
class Merging {
  readonly records: SegmentRecord[] = [];
  private readonly structRoot: PDFDict;
  private readonly structRootRef: PDFRef;
  private readonly documentElem: PDFDict;
  private readonly documentRef: PDFRef;
  private readonly frames: FrameLayer;
  /** The largest object number before the first segment. */
  private readonly head: number;
  /** The catalog's keys as pdf-lib created it: the rest are set after the segments, and set again in their order. */
  private readonly catalogKeys: PDFName[];

  private constructor(readonly out: PDFDocument) {
    const { context } = out;
    this.structRoot = context.obj({ Type: 'StructTreeRoot' });
    this.structRootRef = context.register(this.structRoot);
    this.documentElem = context.obj({ Type: 'StructElem', S: 'Document', P: this.structRootRef });
    this.documentRef = context.register(this.documentElem);
    this.frames = new FrameLayer(context);
    this.head = context.largestObjectNumber;
    this.catalogKeys = out.catalog.keys();
  }

  static async create(): Promise<Merging> {
    return new Merging(await PDFDocument.create({ updateMetadata: false }));
  }

  /** Copy `segment` in after the segments so far. */
  async add(segment: SegmentPdf, identity: string, parsed?: (segment: SegmentPdf, doc: PDFDocument) => void): Promise<void> {
    const before = this.records.at(-1);
    const record = await this.copy(segment, identity, parsed, {
      pageStart: before ? before.pageStart + before.pages : 0,
      keyBase: before?.nextKey ?? 0,
      structIdStart: before?.structIdEnd ?? 1,
      byId: new Map(this.records.flatMap((r) => r.byId)),
      lastKid: this.records.flatMap((r) => r.kids).at(-1),
    });
    this.records.push(record);
  }

  /**
   * Copy each segment whose identity differs from the record at its place over that record's objects, and make the
   * rest again; returns how many were copied, or undefined (the merged book then unusable) when a copy came out with
   * other counts than the one it replaces.
   */
  async replace(segments: readonly SegmentPdf[], identities: readonly string[], outline: readonly OutlineEntry[], parsed?: (segment: SegmentPdf, doc: PDFDocument) => void): Promise<number | undefined> {
    const { records, out } = this;
    const { context } = out;
    if (records.length !== segments.length) return undefined;
    const end = context.largestObjectNumber;
    const tailStart = (records.at(-1)?.last ?? this.head) + 1;
    let changed = 0;
    for (let i = 0; i < records.length; i++) {
      const old = records[i]!;
      if (old.identity === identities[i]) continue;
      changed++;
      // Its pages leave the page tree, and its objects the document (what it joined into a group before it is put
      // right by rejoin, below).
      for (let p = 0; p < old.pages; p++) out.removePage(old.pageStart);
      for (let n = old.first; n <= old.last; n++) context.delete(PDFRef.of(n));
      context.largestObjectNumber = old.first - 1;
      this.frames.restore(old.frames);
      const kidsBefore = records.slice(0, i).flatMap((r) => r.kids);
      const record = await this.copy(segments[i]!, identities[i]!, parsed, {
        pageStart: old.pageStart,
        keyBase: old.keyBase,
        structIdStart: old.structIdStart,
        byId: new Map(records.slice(0, i).flatMap((r) => r.byId)),
        lastKid: kidsBefore.at(-1),
      });
      const same =
        record.last === old.last && record.pages === old.pages && record.nextKey === old.nextKey && record.structIdEnd === old.structIdEnd &&
        record.tagged === old.tagged && !!record.moved === !!old.moved && record.kids.length === old.kids.length && sameDestinations(record, old);
      if (!same) return undefined;
      records[i] = record;
    }
    if (changed) this.rejoin();
    // What follows the segments is made again, in the same order as from nothing.
    for (let n = tailStart; n <= end; n++) context.delete(PDFRef.of(n));
    context.largestObjectNumber = tailStart - 1;
    this.finish(outline);
    return changed;
  }

  /**
   * Give every group that later segments' first groups were joined into its children again: its own, then theirs in
   * book order. A segment copied again has copied its own join (and undone none of the others).
   */
  private rejoin(): void {
    const { context } = this.out;
    let into: PDFRef | undefined;
    let kids: PDFObject[] = [];
    let joined = false;
    // A group nothing was joined into keeps its /K as copied (a single child is not made an array).
    const done = () => {
      if (into && joined) context.lookup(into, PDFDict).set(name('K'), context.obj(kids));
    };
    for (const record of this.records) {
      if (record.moved && into) {
        joined = true;
        kids.push(...record.moved);
        for (const k of record.moved) context.lookup(k as PDFRef, PDFDict).set(name('P'), into);
      }
      const last = record.kids.at(-1);
      if (last instanceof PDFRef && record.lastKidKids) {
        done();
        into = last;
        kids = [...record.lastKidKids];
        joined = false;
      }
    }
    done();
  }

  /** Copy one segment in at `at.pageStart`, continuing the numbering of the segments before it. */
  private async copy(
    segment: SegmentPdf,
    identity: string,
    parsed: ((segment: SegmentPdf, doc: PDFDocument) => void) | undefined,
    at: { pageStart: number; keyBase: number; structIdStart: number; byId: ReadonlyMap<string, PDFArray>; lastKid?: PDFObject },
  ): Promise<SegmentRecord> {
    const { out, frames } = this;
    const { context } = out;
    const frameState = frames.state();
    const first = context.largestObjectNumber + 1;
    let cursor = at.pageStart;
    const insert = (page: PDFPage | [number, number]) => out.insertPage(cursor++, page);
    const src = segment.doc ?? (await loadPdf(segment.bytes));
    if (!segment.doc) parsed?.(segment, src);
    const copier = PDFObjectCopier.for(src.context, context);
    const srcRoot = src.catalog.lookupMaybe(name('StructTreeRoot'), PDFDict);
    const srcDocument = srcRoot && documentOf(src.context, srcRoot);
    // The segment's own root and Document element become ours: their children are re-parented, not copied twice.
    const traversed = (copier as unknown as { traversedObjects: Map<PDFObject, PDFObject> }).traversedObjects;
    const srcRootRef = src.catalog.get(name('StructTreeRoot'));
    if (srcRootRef instanceof PDFRef) traversed.set(srcRootRef, this.structRootRef);
    if (srcDocument?.ref) traversed.set(srcDocument.ref, this.documentRef);

    const pages = src.getPages();
    const skipped = segment.skipFirst ? pages[0] : undefined;
    const frame = segment.frame && (await frames.of(segment.frame));
    let framePage = segment.frame ? segment.frame.from : 0;
    for (let i = 0; frame && i < segment.frame!.blanks; i++) frames.addPage(insert, frame, framePage++);
    const keyBase = at.keyBase;
    const skippedKey = skipped?.node.lookupMaybe(name('StructParents'), PDFNumber)?.asNumber();
    for (const page of pages) {
      if (page === skipped) continue;
      const ref = copier.copy(page.ref) as PDFRef;
      const leaf = context.lookup(ref) as PDFPageLeaf;
      if (frame) frames.lay(leaf, frame, framePage++);
      shiftKey(leaf, 'StructParents', keyBase);
      const annots = leaf.lookupMaybe(name('Annots'), PDFArray);
      for (let i = 0; annots && i < annots.size(); i++) {
        const annot = annots.lookup(i);
        if (!(annot instanceof PDFDict)) continue;
        shiftKey(annot, 'StructParent', keyBase);
        renameLinkDestination(annot);
      }
      insert(PDFPage.of(leaf, ref, out));
    }
    if (segment.blankAfter) frames.addPage(insert, await frames.of(segment.blankAfter), segment.blankAfter.from);

    const parentTree: PDFObject[] = [];
    let nextKey = keyBase;
    let kids: PDFObject[] = [];
    let moved: PDFObject[] | undefined;
    if (srcRoot) {
      for (const [key, value] of numberTree(srcRoot.lookupMaybe(name('ParentTree'), PDFDict))) {
        if (key === skippedKey) continue;
        parentTree.push(PDFNumber.of(key + keyBase), copier.copy(value));
      }
      const next = srcRoot.lookupMaybe(name('ParentTreeNextKey'), PDFNumber)?.asNumber();
      nextKey = keyBase + (next ?? 0);
      kids = (srcDocument?.kids ?? []).map((kid) => copier.copy(kid));
      if (segment.continues && kids.length && at.lastKid) {
        const first = kids[0] instanceof PDFRef ? context.lookup(kids[0]) : undefined;
        const children = first instanceof PDFDict ? kidsOf(first) : [];
        if (joinGroups(context, at.lastKid, kids[0]!)) {
          kids.shift();
          moved = children;
        }
      }
    }

    const skippedRef = skipped?.ref.toString();
    const dests: [string, PDFArray][] = [];
    const byId: [string, PDFArray][] = [];
    const seen = new Set<string>();
    forEachDestination(src, (key, value) => {
      const dest = destinationArray(src, value);
      const page = dest?.get(0);
      if (!dest || !(page instanceof PDFRef) || page.toString() === skippedRef) return;
      const id = fragmentToId(key);
      // An element spanning segments (a part) has a destination in each; it begins in the first.
      if (at.byId.has(id) || seen.has(id) || id.startsWith(pageMarkPrefix)) return;
      const copied = copier.copy(dest) as PDFArray;
      // The ids print.ts gave headings only serve the outline; no link names them.
      if (!id.startsWith(headingIdPrefix)) dests.push([shortDestinationName(key), copied]);
      byId.push([id, copied]);
      seen.add(id);
    });
    // In the copies: the segment itself stays as parsed.
    const structIdEnd = renumberStructIds(src.context, (object) => traversed.get(object), context, at.structIdStart);
    const lastKid = kids.at(-1) instanceof PDFRef ? context.lookup(kids.at(-1) as PDFRef) : undefined;
    return {
      identity,
      first,
      last: context.largestObjectNumber,
      pageStart: at.pageStart,
      pages: cursor - at.pageStart,
      keyBase,
      nextKey,
      structIdStart: at.structIdStart,
      structIdEnd,
      tagged: !!srcRoot,
      kids,
      parentTree,
      dests,
      byId,
      ...(moved ? { moved } : {}),
      ...(lastKid instanceof PDFDict ? { lastKidKids: kidsOf(lastKid) } : {}),
      frames: frameState,
    };
  }

  /** Everything after the segments: the named destinations, the tag tree's root and parent tree, the outline. */
  finish(outline: readonly OutlineEntry[]): void {
    const { out, records } = this;
    const { context, catalog } = out;
    for (const key of catalog.keys()) if (!this.catalogKeys.includes(key)) catalog.delete(key);
    for (const key of ['K', 'ParentTree', 'ParentTreeNextKey']) this.structRoot.delete(name(key));
    this.documentElem.delete(name('K'));
    const dests = context.obj({});
    for (const r of records) for (const [key, dest] of r.dests) dests.set(name(key), dest);
    catalog.set(name('Dests'), context.register(dests));
    if (records.some((r) => r.tagged)) {
      this.documentElem.set(name('K'), context.obj(records.flatMap((r) => r.kids)));
      this.structRoot.set(name('K'), this.documentRef);
      this.structRoot.set(name('ParentTree'), context.register(context.obj({ Nums: records.flatMap((r) => r.parentTree) })));
      this.structRoot.set(name('ParentTreeNextKey'), PDFNumber.of(records.at(-1)?.nextKey ?? 0));
      catalog.set(name('StructTreeRoot'), this.structRootRef);
      catalog.set(name('MarkInfo'), context.obj({ Marked: true }));
    }
    buildOutline(out, outline, new Map(records.flatMap((r) => r.byId)));
  }
}

/** Whether two copies of a segment give the same named destinations: the same names, on the same pages. */
function sameDestinations(a: SegmentRecord, b: SegmentRecord): boolean {
  const names = (r: SegmentRecord) => JSON.stringify(r.byId.map(([id, dest]) => [id, String(dest.get(0))]));
  return names(a) === names(b);
}

/** A structure dictionary's /K as a list: one child, an array of them, or none. */
function kidsOf(d: PDFDict): PDFObject[] {
  const k = d.get(name('K'));
  return k instanceof PDFArray ? k.asArray() : k ? [k] : [];
}

/** What a FrameLayer has made: each frame print's forms by digest, and the shared content streams. */
interface FrameState {
  made: ReadonlyMap<string, FramePrint>;
  open?: PDFRef;
  close?: PDFRef;
}

/** The SHA-256 of `bytes`, once per array (segments share a frame print's bytes). */
function digestOf(bytes: Uint8Array): string {
  let digest = digests.get(bytes);
  if (!digest) digests.set(bytes, (digest = createHash('sha256').update(bytes).digest('hex')));
  return digest;
}

const digests = new WeakMap<Uint8Array, string>();

/** A frame print's pages as form XObjects in the merged document, and their sizes. */
interface FramePrint {
  forms: PDFRef[];
  sizes: { width: number; height: number }[];
}

/**
 * Laying frames over pages (SegmentPdf.frame): each frame page becomes a form XObject, which the page draws last, as a
 * pagination artifact, after its own content (wrapped in q … Q, since Chromium's leaves its transformation in place).
 */
class FrameLayer {
  /** Content streams shared by every framed page: before its own content, and after it. */
  private open?: PDFRef;
  private close?: PDFRef;
  /** Each frame print's pages as form XObjects, and their sizes, by the print's digest (segments share a print). */
  private made = new Map<string, FramePrint>();

  constructor(private readonly context: PDFContext) {}

  /** What it has made so far, to go back to (see Merging.replace). */
  state(): FrameState {
    return { made: new Map(this.made), open: this.open, close: this.close };
  }

  restore(state: FrameState): void {
    this.made = new Map(state.made);
    this.open = state.open;
    this.close = state.close;
  }

  /** The pages of a frame print made into form XObjects in the merged document. */
  async of(frame: { bytes: Uint8Array; doc?: PDFDocument }): Promise<FramePrint> {
    const digest = digestOf(frame.bytes);
    let made = this.made.get(digest);
    if (!made) {
      const src = frame.doc ?? (await loadPdf(frame.bytes));
      made = { forms: this.forms(src), sizes: src.getPages().map((page) => page.getSize()) };
      this.made.set(digest, made);
    }
    return made;
  }

  private forms(src: PDFDocument): PDFRef[] {
    const copier = PDFObjectCopier.for(src.context, this.context);
    return src.getPages().map((page) => {
      const { x, y, width, height } = page.getMediaBox();
      const contents = page.node.Contents();
      const resources = page.node.Resources();
      const dict = this.context.obj({ Type: 'XObject', Subtype: 'Form', BBox: [x, y, x + width, y + height], ...(resources ? { Resources: copier.copy(resources) } : {}) });
      let form: PDFRawStream;
      if (contents instanceof PDFRawStream) {
        // As it is, compressed.
        for (const key of ['Filter', 'DecodeParms']) {
          const value = contents.dict.get(name(key));
          if (value) dict.set(name(key), copier.copy(value));
        }
        form = PDFRawStream.of(dict, contents.contents);
      } else {
        const streams = contents instanceof PDFArray ? contents.asArray().map((s) => src.context.lookup(s)) : [];
        const parts = streams.filter((s): s is PDFRawStream => s instanceof PDFRawStream).map((s) => decodePDFRawStream(s).decode());
        const joined = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
        let at = 0;
        for (const part of parts) {
          joined.set(part, at);
          joined[at + part.length] = 0x0a;
          at += part.length + 1;
        }
        form = PDFRawStream.of(dict, joined);
      }
      return this.context.register(form);
    });
  }

  /** Put in a page (`insert`) holding frame page `i` alone: a blank page. */
  addPage(insert: (size: [number, number]) => PDFPage, frame: FramePrint, i: number): void {
    const { width, height } = frame.sizes[i]!;
    this.lay(insert([width, height]).node, frame, i);
  }

  /** Draw frame page `i` over `leaf`, a page of the merged document (an empty one for a blank page). */
  lay(leaf: PDFPageLeaf, frame: FramePrint, i: number): void {
    const { context } = this;
    this.open ??= context.register(context.stream('q\n'));
    this.close ??= context.register(context.stream('\nQ\n/Artifact <</Type /Pagination>> BDC\n/HuibianFrame Do\nEMC\n'));
    // The copied page's resources may be shared with other pages: this page gets its own.
    const resources = (leaf.lookupMaybe(name('Resources'), PDFDict) ?? context.obj({})).clone(context);
    const xObjects = (resources.lookupMaybe(name('XObject'), PDFDict) ?? context.obj({})).clone(context);
    xObjects.set(name('HuibianFrame'), frame.forms[i]!);
    resources.set(name('XObject'), xObjects);
    leaf.set(name('Resources'), resources);
    const contents = leaf.get(name('Contents'));
    const own = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    leaf.set(name('Contents'), context.obj([this.open, ...own, this.close]));
  }
}

/** The segment's Document element (what Chromium puts under the root) and its children. */
function documentOf(context: PDFContext, root: PDFDict): { ref?: PDFRef; kids: PDFObject[] } {
  const refs = kidsOf(root);
  if (refs.length === 1) {
    const only = refs[0]!;
    const elem = only instanceof PDFRef ? context.lookup(only) : only;
    if (elem instanceof PDFDict && elem.get(name('S'))?.toString() === '/Document') {
      return { ref: only instanceof PDFRef ? only : undefined, kids: kidsOf(elem) };
    }
  }
  return { kids: refs };
}

/**
 * An element cut in two by a segment boundary (a part section, for one) comes out of Chromium as two sibling groups.
 * Join them when both are NonStruct — a grouping with no meaning of its own, so joining is always safe — and the
 * second holds only elements (no marked content the parent tree would point at). Returns whether it joined.
 */
function joinGroups(context: PDFContext, before: PDFObject, after: PDFObject): boolean {
  const a = before instanceof PDFRef ? context.lookup(before) : undefined;
  const b = after instanceof PDFRef ? context.lookup(after) : undefined;
  if (!(a instanceof PDFDict) || !(b instanceof PDFDict) || !(before instanceof PDFRef) || !(after instanceof PDFRef)) return false;
  const nonStruct = (d: PDFDict) => d.get(name('S')) === name('NonStruct');
  if (!nonStruct(a) || !nonStruct(b)) return false;
  const moved = kidsOf(b);
  if (!moved.every((k) => k instanceof PDFRef && context.lookup(k) instanceof PDFDict && context.lookup(k, PDFDict).get(name('Type')) !== name('MCR') && context.lookup(k, PDFDict).get(name('Type')) !== name('OBJR'))) return false;
  for (const k of moved) context.lookup(k as PDFRef, PDFDict).set(name('P'), before);
  a.set(name('K'), context.obj([...kidsOf(a), ...moved]));
  context.delete(after);
  return true;
}

/**
 * Point an internal link at its destination's short name (see shortDestinationName). Chromium writes `/Dest /name`;
 * a `/GoTo` action with a name or a string is read too.
 */
function renameLinkDestination(annot: PDFDict): void {
  const action = annot.lookupMaybe(name('A'), PDFDict);
  const holder = annot.has(name('Dest')) ? annot : action?.lookupMaybe(name('S'), PDFName) === name('GoTo') ? action : undefined;
  const key = holder === annot ? 'Dest' : 'D';
  const dest = holder?.lookup(name(key));
  if (holder && (dest instanceof PDFName || dest instanceof PDFString || dest instanceof PDFHexString)) {
    holder.set(name(key), name(shortDestinationName(dest.decodeText())));
  }
}

function shiftKey(dict: PDFDict, key: string, by: number): void {
  const value = dict.get(name(key));
  if (value instanceof PDFNumber) dict.set(name(key), PDFNumber.of(value.asNumber() + by));
}

/** The (key, value) pairs of a number tree: /Nums at each node, /Kids below. */
function numberTree(node: PDFDict | undefined, depth = 0): [number, PDFObject][] {
  if (!node || depth > 32) return [];
  const pairs: [number, PDFObject][] = [];
  const nums = node.lookupMaybe(name('Nums'), PDFArray);
  for (let i = 0; nums && i + 1 < nums.size(); i += 2) {
    const key = nums.lookup(i);
    if (key instanceof PDFNumber) pairs.push([key.asNumber(), nums.get(i + 1)]);
  }
  const kids = node.lookupMaybe(name('Kids'), PDFArray);
  for (let i = 0; kids && i < kids.size(); i++) pairs.push(...numberTree(kids.lookup(i, PDFDict), depth + 1));
  return pairs;
}

/** Write the outline: h1 entries at the top, each h2 under the h1 before it; all shown open. */
function buildOutline(doc: PDFDocument, entries: readonly OutlineEntry[], byId: ReadonlyMap<string, PDFArray>): void {
  interface Item {
    entry: OutlineEntry;
    dest: PDFArray;
    kids: Item[];
  }
  const top: Item[] = [];
  for (const entry of entries) {
    const dest = byId.get(entry.id);
    if (!dest) continue;
    const item: Item = { entry, dest, kids: [] };
    const parent = top.at(-1);
    if (entry.level > 1 && parent && parent.entry.level < entry.level) parent.kids.push(item);
    else top.push(item);
  }
  if (!top.length) return;
  const { context } = doc;
  const root = context.obj({ Type: 'Outlines' });
  const rootRef = context.register(root);
  const write = (items: Item[], parent: PDFDict, parentRef: PDFRef): number => {
    const refs = items.map(() => context.nextRef());
    let count = 0;
    items.forEach((item, i) => {
      const dict = context.obj({ Title: PDFHexString.fromText(item.entry.title), Parent: parentRef, Dest: item.dest });
      if (i > 0) dict.set(name('Prev'), refs[i - 1]!);
      if (i + 1 < items.length) dict.set(name('Next'), refs[i + 1]!);
      context.assign(refs[i]!, dict);
      count++;
      if (item.kids.length) {
        const below = write(item.kids, dict, refs[i]!);
        dict.set(name('Count'), PDFNumber.of(below));
        count += below;
      }
    });
    parent.set(name('First'), refs[0]!);
    parent.set(name('Last'), refs.at(-1)!);
    return count;
  };
  root.set(name('Count'), PDFNumber.of(write(top, root, rootRef)));
  doc.catalog.set(name('Outlines'), rootRef);
  doc.catalog.set(name('PageMode'), name('UseOutlines'));
}
