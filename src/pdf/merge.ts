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
 * Merge the segments in order; the outline is built from `outline`, each entry going to its named destination.
 * `parsed` is told of each segment parsed here (it had no `doc`), which merging leaves as it was parsed.
 */
export async function mergeSegments(segments: readonly SegmentPdf[], outline: readonly OutlineEntry[], parsed?: (segment: SegmentPdf, doc: PDFDocument) => void): Promise<PDFDocument> {
  const out = await PDFDocument.create({ updateMetadata: false });
  const { context } = out;
  const dests = context.obj({});
  /** Element id (as the page knows it) → destination array in `out`. */
  const byId = new Map<string, PDFArray>();
  const structRoot = context.obj({ Type: 'StructTreeRoot' });
  const structRootRef = context.register(structRoot);
  const documentElem = context.obj({ Type: 'StructElem', S: 'Document', P: structRootRef });
  const documentRef = context.register(documentElem);
  const documentKids: PDFObject[] = [];
  const parentTree: PDFObject[] = [];
  let nextKey = 0;
  let nextStructId = 1;
  let tagged = false;
  const frames = new FrameLayer(context);

  for (const segment of segments) {
    const src = segment.doc ?? (await loadPdf(segment.bytes));
    if (!segment.doc) parsed?.(segment, src);
    const copier = PDFObjectCopier.for(src.context, context);
    const srcRoot = src.catalog.lookupMaybe(name('StructTreeRoot'), PDFDict);
    const srcDocument = srcRoot && documentOf(src.context, srcRoot);
    // The segment's own root and Document element become ours: their children are re-parented, not copied twice.
    const traversed = (copier as unknown as { traversedObjects: Map<PDFObject, PDFObject> }).traversedObjects;
    const srcRootRef = src.catalog.get(name('StructTreeRoot'));
    if (srcRootRef instanceof PDFRef) traversed.set(srcRootRef, structRootRef);
    if (srcDocument?.ref) traversed.set(srcDocument.ref, documentRef);

    const pages = src.getPages();
    const skipped = segment.skipFirst ? pages[0] : undefined;
    const frame = segment.frame && (await frames.of(segment.frame));
    let framePage = segment.frame ? segment.frame.from : 0;
    for (let i = 0; frame && i < segment.frame!.blanks; i++) frames.addPage(out, frame, framePage++);
    const keyBase = nextKey;
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
      out.addPage(PDFPage.of(leaf, ref, out));
    }
    if (segment.blankAfter) frames.addPage(out, await frames.of(segment.blankAfter), segment.blankAfter.from);

    if (srcRoot) {
      tagged = true;
      for (const [key, value] of numberTree(srcRoot.lookupMaybe(name('ParentTree'), PDFDict))) {
        if (key === skippedKey) continue;
        parentTree.push(PDFNumber.of(key + keyBase), copier.copy(value));
      }
      const next = srcRoot.lookupMaybe(name('ParentTreeNextKey'), PDFNumber)?.asNumber();
      nextKey = keyBase + (next ?? 0);
      const kids = (srcDocument?.kids ?? []).map((kid) => copier.copy(kid));
      if (segment.continues && kids.length && documentKids.length) {
        if (joinGroups(context, documentKids.at(-1)!, kids[0]!)) kids.shift();
      }
      documentKids.push(...kids);
    }

    const skippedRef = skipped?.ref.toString();
    forEachDestination(src, (key, value) => {
      const dest = destinationArray(src, value);
      const page = dest?.get(0);
      if (!dest || !(page instanceof PDFRef) || page.toString() === skippedRef) return;
      const id = fragmentToId(key);
      // An element spanning segments (a part) has a destination in each; it begins in the first.
      if (byId.has(id) || id.startsWith(pageMarkPrefix)) return;
      const copied = copier.copy(dest) as PDFArray;
      // The ids print.ts gave headings only serve the outline; no link names them.
      if (!id.startsWith(headingIdPrefix)) dests.set(name(shortDestinationName(key)), copied);
      byId.set(id, copied);
    });
    // In the copies: the segment itself stays as parsed.
    nextStructId = renumberStructIds(src.context, (object) => traversed.get(object), context, nextStructId);
  }

  const { catalog } = out;
  catalog.set(name('Dests'), context.register(dests));
  if (tagged) {
    documentElem.set(name('K'), context.obj(documentKids));
    structRoot.set(name('K'), documentRef);
    structRoot.set(name('ParentTree'), context.register(context.obj({ Nums: parentTree })));
    structRoot.set(name('ParentTreeNextKey'), PDFNumber.of(nextKey));
    catalog.set(name('StructTreeRoot'), structRootRef);
    catalog.set(name('MarkInfo'), context.obj({ Marked: true }));
  }
  buildOutline(out, outline, byId);
  return out;
}

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
  /** Each frame print's pages as form XObjects, and their sizes, by the print's bytes (segments share a print). */
  private readonly made = new Map<Uint8Array, FramePrint>();

  constructor(private readonly context: PDFContext) {}

  /** The pages of a frame print made into form XObjects in the merged document. */
  async of(frame: { bytes: Uint8Array; doc?: PDFDocument }): Promise<FramePrint> {
    let made = this.made.get(frame.bytes);
    if (!made) {
      const src = frame.doc ?? (await loadPdf(frame.bytes));
      made = { forms: this.forms(src), sizes: src.getPages().map((page) => page.getSize()) };
      this.made.set(frame.bytes, made);
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

  /** Add to `out` a page holding frame page `i` alone: a blank page. */
  addPage(out: PDFDocument, frame: FramePrint, i: number): void {
    const { width, height } = frame.sizes[i]!;
    this.lay(out.addPage([width, height]).node, frame, i);
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
  const k = root.get(name('K'));
  const refs = k instanceof PDFArray ? k.asArray() : k ? [k] : [];
  if (refs.length === 1) {
    const only = refs[0]!;
    const elem = only instanceof PDFRef ? context.lookup(only) : only;
    if (elem instanceof PDFDict && elem.get(name('S'))?.toString() === '/Document') {
      const kids = elem.get(name('K'));
      return { ref: only instanceof PDFRef ? only : undefined, kids: kids instanceof PDFArray ? kids.asArray() : kids ? [kids] : [] };
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
  const kidsOf = (d: PDFDict): PDFObject[] => {
    const k = d.get(name('K'));
    return k instanceof PDFArray ? k.asArray() : k ? [k] : [];
  };
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
