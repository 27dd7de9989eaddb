/** Reading where each element landed in a printed PDF: Chromium writes a named destination per linked-to id. */
import { createHash } from 'node:crypto';
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
 */
export function namedDestinations(doc: PDFDocument): Map<string, number> {
  const pageIndex = new Map<string, number>();
  doc.getPages().forEach((page, i) => pageIndex.set(page.ref.toString(), i + 1));
  const found = new Map<string, number>();
  forEachDestination(doc, (name, value) => {
    const page = destinationArray(doc, value)?.get(0);
    const index = page instanceof PDFRef ? pageIndex.get(page.toString()) : undefined;
    if (index !== undefined) found.set(fragmentToId(name), index);
  });
  return found;
}

/** Visit every named destination: the catalog's /Dests dictionary (what Chromium writes) and a /Names /Dests tree. */
export function forEachDestination(doc: PDFDocument, visit: (name: string, value: PDFObject) => void): void {
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (dests) for (const [key, value] of dests.entries()) visit(key.decodeText(), value);
  const tree = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.lookupMaybe(PDFName.of('Dests'), PDFDict);
  if (tree) walkNameTree(tree, visit, 0);
}

/** The destination array [page /XYZ x y zoom] behind a destination value. */
export function destinationArray(doc: PDFDocument, value: PDFObject | undefined): PDFArray | undefined {
  let dest = value instanceof PDFRef ? doc.context.lookup(value) : value;
  // A destination may be wrapped as << /D [page …] >>.
  if (dest instanceof PDFDict) dest = dest.lookup(PDFName.of('D'));
  return dest instanceof PDFArray ? dest : undefined;
}

function walkNameTree(node: PDFDict, visit: (name: string, value: PDFObject) => void, depth: number): void {
  if (depth > 32) return; // a malformed, cyclic tree
  const names = node.lookupMaybe(PDFName.of('Names'), PDFArray);
  if (names) {
    for (let i = 0; i + 1 < names.size(); i += 2) {
      const key = names.lookup(i);
      if (key instanceof PDFString || key instanceof PDFHexString) visit(key.decodeText(), names.get(i + 1));
    }
  }
  const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
  if (kids) for (let i = 0; i < kids.size(); i++) walkNameTree(kids.lookup(i, PDFDict), visit, depth + 1);
}

/**
 * The name the finished PDF gives a destination, from the name Chromium gave it (the link's percent-encoded URL
 * fragment). A plain ASCII id stays as it is, so `book.pdf#case-a1` opens that case in a reader; any other id (a case
 * id taken from a Chinese file name, a long one) becomes `huibian-` and 16 hex digits of its SHA-256: PDF names may
 * be at most 127 bytes, and a dozen Chinese characters percent-encoded are more. The same id always gets the same
 * name, so every segment's links agree without a table.
 */
export function shortDestinationName(chromiumName: string): string {
  if (/^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/.test(chromiumName) && !chromiumName.startsWith(shortNamePrefix)) return chromiumName;
  return shortNamePrefix + createHash('sha256').update(fragmentToId(chromiumName)).digest('hex').slice(0, 16);
}

const shortNamePrefix = 'huibian-';

/** Chromium names a destination by the link's URL fragment, percent-encoded: turn it back into the element id. */
export function fragmentToId(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
