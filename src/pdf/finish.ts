/** PDF post-processing with pdf-lib: metadata, fixed dates and the exact page size (the outline is merge.ts's). */
import type { PDFDocument } from 'pdf-lib';

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

/** Set metadata and page size on the merged PDF, and return its bytes. */
export async function finishPdf(doc: PDFDocument, meta: BookMetadata): Promise<Uint8Array> {
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
  // Plain cross-reference table: readers and print-shop preflight tools all take it.
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
