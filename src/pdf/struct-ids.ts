/**
 * Renaming the ids of a segment’s structure elements as it is merged. Chromium names each tagged element after
 * its DOM node (`node00000311`), and a DOM node's number depends on what the browser page did before, not on the
 * segment: a segment printed on a fresh page, or after others came from the segment cache, gets other numbers. Table
 * cells refer to their header cells by these ids (`/A << /O /Table /Headers [...] >>`), so each id is renamed, with
 * every reference to it, to a number counted through the merged book in the segment's own object order: the same
 * segment gives the same ids whatever was printed before it, and no two segments share one.
 */
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFString, type PDFContext, type PDFObject } from 'pdf-lib';

/**
 * Rename the structure element ids of one segment in its copy in the merged book, from `first` on; returns the next
 * number to use. `src` is the segment as parsed, numbered in its own object order and left unchanged (a parsed segment
 * may be merged again in the next watch build); `copyOf` gives an object's copy in `dest`, the merged book's context.
 */
export function renumberStructIds(src: PDFContext, copyOf: (object: PDFObject) => PDFObject | undefined, dest: PDFContext, first: number): number {
  const elements = src
    .enumerateIndirectObjects()
    .map(([, object]) => object)
    .filter((object): object is PDFDict => object instanceof PDFDict && isStructElem(object));
  const renamed = new Map<string, PDFString>();
  let next = first;
  const rename = (old: string) => {
    let id = renamed.get(old);
    if (!id) renamed.set(old, (id = PDFString.of(`huibian-${String(next++).padStart(8, '0')}`)));
    return id;
  };
  for (const element of elements) {
    const id = element.get(PDFName.of('ID'));
    if (!(id instanceof PDFString || id instanceof PDFHexString)) continue;
    const name = rename(id.decodeText());
    const copy = copyOf(element);
    if (copy instanceof PDFDict) copy.set(PDFName.of('ID'), name);
  }
  for (const element of elements) {
    const copy = copyOf(element);
    const copied = copy instanceof PDFDict ? attributeDicts(dest, copy.get(PDFName.of('A'))) : [];
    attributeDicts(src, element.get(PDFName.of('A'))).forEach((attributes, a) => {
      const headers = attributes.lookupMaybe(PDFName.of('Headers'), PDFArray);
      const target = copied[a]?.lookupMaybe(PDFName.of('Headers'), PDFArray);
      for (let i = 0; headers && i < headers.size(); i++) {
        const header = headers.get(i);
        if (!(header instanceof PDFString || header instanceof PDFHexString)) continue;
        const name = rename(header.decodeText());
        target?.set(i, name);
      }
    });
  }
  return next;
}

function isStructElem(dict: PDFDict): boolean {
  const type = dict.get(PDFName.of('Type'));
  return type === PDFName.of('StructElem') || (type === undefined && dict.has(PDFName.of('S')) && dict.has(PDFName.of('P')));
}

/** The attribute dictionaries in a structure element's /A: one dictionary or an array of them (with revision numbers). */
function attributeDicts(context: PDFContext, value: PDFObject | undefined): PDFDict[] {
  const resolved = value === undefined ? undefined : context.lookup(value);
  if (resolved instanceof PDFDict) return [resolved];
  if (!(resolved instanceof PDFArray)) return [];
  return resolved.asArray().flatMap((item) => {
    const dict = context.lookup(item);
    return dict instanceof PDFDict ? [dict] : [];
  });
}
