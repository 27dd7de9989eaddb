/** PDF post-processing with pdf-lib: metadata, fixed dates, exact page size, and an outline of parts and cases only. */
import { PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, type PDFDocument } from 'pdf-lib';

/** What the document says about itself. */
export interface BookMetadata {
  title: string;
  /** The publisher. */
  author?: string;
  /** The subtitle. */
  subject?: string;
  keywords: string[];
  /** BCP 47, e.g. zh-Hans. */
  language: string;
  /** Creation and modification date: fixed, so the same input gives the same bytes. */
  date: Date;
  /** Page size in points; Chromium rounds the CSS size to whole device pixels, this puts it back. */
  pageSize?: { width: number; height: number };
}

/**
 * Set metadata, page size and outline on a PDF printed by Chromium, and return its bytes. `headings` are the
 * document's h1–h6 texts in order, used to correct the outline's titles.
 */
export async function finishPdf(doc: PDFDocument, meta: BookMetadata, headings?: readonly string[]): Promise<Uint8Array> {
  doc.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.author) doc.setAuthor(meta.author);
  if (meta.subject) doc.setSubject(meta.subject);
  // pdf-lib joins keywords with spaces, which Chinese titles cannot be told apart by.
  if (meta.keywords.length) doc.setKeywords([meta.keywords.join('；')]);
  doc.setLanguage(meta.language);
  doc.setCreator('huibian');
  doc.setProducer('huibian');
  doc.setCreationDate(meta.date);
  doc.setModificationDate(meta.date);
  if (meta.pageSize) exactPageSize(doc, meta.pageSize);
  if (headings) retitleOutline(doc, headings);
  pruneOutline(doc, 2);
  // Object streams would need PDF 1.5; Chromium writes a 1.4 header that pdf-lib keeps.
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: Infinity });
}

/** Set every page's MediaBox to the configured size when Chromium's differs only by rounding (under 2 pt). */
function exactPageSize(doc: PDFDocument, size: { width: number; height: number }): void {
  for (const page of doc.getPages()) {
    const { width, height } = page.getMediaBox();
    if (Math.abs(width - size.width) < 2 && Math.abs(height - size.height) < 2) {
      page.setMediaBox(0, 0, round2(size.width), round2(size.height));
    }
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/**
 * Chromium 156 sometimes titles a bookmark with the heading's first line followed by its whole text
 * ("扛起国企担当…改革发展扛起国企担当…技术创新"), depending on where page breaks fall. Its outline has one item per
 * heading in document order, so when the counts agree, give each item its heading's text.
 * Returns whether the titles were replaced.
 */
export function retitleOutline(doc: PDFDocument, headings: readonly string[]): boolean {
  const outlines = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  if (!outlines) return false;
  const items: PDFDict[] = [];
  const walk = (node: PDFDict) => {
    for (const item of children(doc, node)) {
      items.push(item);
      walk(item);
    }
  };
  walk(outlines);
  if (items.length !== headings.length) return false;
  items.forEach((item, i) => item.set(PDFName.of('Title'), PDFHexString.fromText(headings[i]!)));
  return true;
}

/**
 * Chromium makes a bookmark of every heading, including the h3–h6 inside case bodies. The book's outline is parts
 * and cases (plus 前言、目录、附录 and its sections): drop everything deeper than `depth` and fix the counts.
 */
export function pruneOutline(doc: PDFDocument, depth: number): void {
  const outlines = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict);
  if (!outlines) return;
  outlines.set(PDFName.of('Count'), PDFNumber.of(prune(doc, outlines, 1, depth)));
}

/** Prune below `node`; return how many visible descendants remain (all items are shown open). */
function prune(doc: PDFDocument, node: PDFDict, level: number, depth: number): number {
  let count = 0;
  for (const item of children(doc, node)) {
    count++;
    if (level >= depth) {
      const first = item.get(PDFName.of('First'));
      if (first instanceof PDFRef) deleteSubtree(doc, first);
      item.delete(PDFName.of('First'));
      item.delete(PDFName.of('Last'));
      item.delete(PDFName.of('Count'));
    } else {
      const below = prune(doc, item, level + 1, depth);
      if (below > 0) item.set(PDFName.of('Count'), PDFNumber.of(below));
      else item.delete(PDFName.of('Count'));
      count += below;
    }
  }
  return count;
}

function children(doc: PDFDocument, node: PDFDict): PDFDict[] {
  const items: PDFDict[] = [];
  let ref = node.get(PDFName.of('First'));
  while (ref instanceof PDFRef && items.length < 1_000_000) {
    const item = doc.context.lookup(ref, PDFDict);
    items.push(item);
    ref = item.get(PDFName.of('Next'));
  }
  return items;
}

/** Remove an outline item, its siblings after it and their descendants from the file (pdf-lib saves every object it holds). */
function deleteSubtree(doc: PDFDocument, first: PDFRef): void {
  let ref: unknown = first;
  while (ref instanceof PDFRef) {
    const item = doc.context.lookupMaybe(ref, PDFDict);
    if (!item) break;
    const child = item.get(PDFName.of('First'));
    if (child instanceof PDFRef) deleteSubtree(doc, child);
    doc.context.delete(ref);
    ref = item.get(PDFName.of('Next'));
  }
}
