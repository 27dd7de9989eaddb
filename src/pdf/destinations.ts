/** Reading where each element landed in a printed PDF: Chromium writes a named destination per linked-to id. */
import { ParseSpeeds, PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFString, PDFHexString, type PDFObject } from 'pdf-lib';

/**
 * Load a PDF printed by Chromium, leaving its metadata alone (we set it ourselves later). pdf-lib by default yields
 * to the event loop every 100 objects, which triples the time for a book of a thousand pages; nothing else runs
 * meanwhile, so parse in one go.
 */
export function loadPdf(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest });
}

/**
 * Element id → the 1-based page it begins on. Chromium emits a destination for every element that some
 * `<a href="#id">` in the document points at (the print side adds hidden links for the ids it needs).
 * Both the catalog's /Dests dictionary (what Chromium writes) and a /Names /Dests tree are read.
 */
export function namedDestinations(doc: PDFDocument): Map<string, number> {
  const pageIndex = new Map<string, number>();
  doc.getPages().forEach((page, i) => pageIndex.set(page.ref.toString(), i + 1));
  const found = new Map<string, number>();
  const add = (name: string, value: PDFObject | undefined) => {
    const page = destinationPage(doc, value, pageIndex);
    if (page !== undefined) found.set(fragmentToId(name), page);
  };
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (dests) for (const [key, value] of dests.entries()) add(key.decodeText(), value);
  const names = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const tree = names?.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (tree) walkNameTree(doc, tree, add, 0);
  return found;
}

function destinationPage(doc: PDFDocument, value: PDFObject | undefined, pageIndex: Map<string, number>): number | undefined {
  let dest = value instanceof PDFRef ? doc.context.lookup(value) : value;
  // A destination may be wrapped as << /D [page …] >>.
  if (dest instanceof PDFDict) dest = dest.lookup(PDFName.of('D'));
  if (!(dest instanceof PDFArray)) return undefined;
  const page = dest.get(0);
  return page instanceof PDFRef ? pageIndex.get(page.toString()) : undefined;
}

function walkNameTree(doc: PDFDocument, node: PDFDict, add: (name: string, value: PDFObject | undefined) => void, depth: number): void {
  if (depth > 32) return; // a malformed, cyclic tree
  const names = node.lookupMaybe(PDFName.of('Names'), PDFArray);
  if (names) {
    for (let i = 0; i + 1 < names.size(); i += 2) {
      const key = names.lookup(i);
      if (key instanceof PDFString || key instanceof PDFHexString) add(key.decodeText(), names.get(i + 1));
    }
  }
  const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
  if (kids) for (let i = 0; i < kids.size(); i++) walkNameTree(doc, kids.lookup(i, PDFDict), add, depth + 1);
}

/** Chromium names a destination by the link's URL fragment, percent-encoded: turn it back into the element id. */
function fragmentToId(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
