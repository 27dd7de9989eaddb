/**
 * Fix-ups of the package the docx library writes, so the same book gives the same bytes and Word sees what docx has
 * no option for. docx stamps the zip entries and core properties with the current time, names relationships with
 * random ids, and numbers drawings and bookmarks from counters that live as long as the process; each is replaced
 * here with a value that depends only on the content. Also added: mirrored margins, the core language, and the
 * Chinese names of the built-in styles.
 */
import { Packer, type Document } from 'docx';
import { unzipSync, zipSync, type Zippable } from 'fflate';

/** The package's parts by path: XML as text, media as bytes. */
export type Parts = Map<string, string | Uint8Array>;

/**
 * The parts docx makes for a document. docx's Packer deflates them into a zip, which fixPackage would only inflate
 * again: that round trip was a third of the export's time, so the parts are taken from Packer's compiler, which is
 * not public API. Where it is not there (another docx version), the public way: unzip what Packer makes.
 */
export async function packageParts(document: Document, options: { viaZip?: boolean } = {}): Promise<Parts> {
  const compiler = (Packer as unknown as { compiler?: { compile?: (file: Document) => Map<string, unknown> } }).compiler;
  if (!options.viaZip && typeof compiler?.compile === 'function') {
    const parts: Parts = new Map();
    for (const [path, data] of compiler.compile(document)) {
      parts.set(path, typeof data === 'string' ? data : data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBuffer));
    }
    return parts;
  }
  const decoder = new TextDecoder();
  const files = unzipSync(new Uint8Array(await Packer.toBuffer(document)));
  return new Map(Object.entries(files).map(([name, data]) => [name, /\.(xml|rels)$/.test(name) ? decoder.decode(data) : data]));
}

export interface PackageFixes {
  /** The book's date (SOURCE_DATE_EPOCH, else the config's date): core properties and zip entry times. */
  date: Date;
  /** BCP 47, e.g. zh-CN. */
  language: string;
}

/** Chinese names Word shows for the built-in styles (Word localises these itself; others read the alias). */
const chineseNames: Record<string, string> = {
  Normal: '正文',
  Title: '标题',
  Heading1: '标题 1',
  Heading2: '标题 2',
  Heading3: '标题 3',
  Heading4: '标题 4',
  Heading5: '标题 5',
  Heading6: '标题 6',
  Caption: '题注',
  FootnoteText: '脚注文本',
  ListParagraph: '列表段落',
  TOC1: '目录 1',
  TOC2: '目录 2',
  TOC3: '目录 3',
  Hyperlink: '超链接',
};

/** The parts, fixed up as the module header says, zipped with fixed times in a fixed order. */
export function fixPackage(parts: Parts, fixes: PackageFixes): Uint8Array {
  const encoder = new TextEncoder();
  const names = [...parts.keys()].sort(partOrder);
  const text = new Map<string, string>();
  for (const name of names) {
    const data = parts.get(name)!;
    if (typeof data === 'string') text.set(name, data);
  }

  // Relationship ids: the random ones become rIdH1, rIdH2 … in the order the .rels files list them.
  const relIds = new Map<string, string>();
  for (const [name, xml] of text) {
    if (!name.endsWith('.rels')) continue;
    for (const m of xml.matchAll(/\bId="([^"]+)"/g)) {
      const id = m[1]!;
      if (!/^rId\d+$/.test(id) && !relIds.has(id)) relIds.set(id, `rIdH${relIds.size + 1}`);
    }
  }
  // Drawing ids (unique in the document) and bookmark ids (one per start/end pair), numbered in reading order.
  let drawing = 0;
  const bookmarks = new Map<string, string>();
  for (const [name, xml] of text) {
    let fixed = xml;
    if (relIds.size) fixed = fixed.replace(/"([A-Za-z0-9_-]{21})"/g, (all, id: string) => (relIds.has(id) ? `"${relIds.get(id)}"` : all));
    if (name.startsWith('word/') && name.endsWith('.xml')) {
      fixed = fixed.replace(/(<wp:docPr\b[^>]*?\bid=")\d+"/g, (_, head: string) => `${head}${++drawing}"`);
      fixed = fixed.replace(/(<w:bookmark(?:Start|End)\b[^>]*?\bw:id=")(\d+)"/g, (_, head: string, id: string) => {
        const key = `${name}:${id}`;
        if (!bookmarks.has(key)) bookmarks.set(key, String(bookmarks.size + 1));
        return `${head}${bookmarks.get(key)}"`;
      });
    }
    text.set(name, fixed);
  }

  const iso = fixes.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const core = text.get('docProps/core.xml');
  if (core !== undefined) {
    let fixed = core
      .replace(/(<dcterms:created\b[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${iso}$2`)
      .replace(/(<dcterms:modified\b[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${iso}$2`);
    if (!fixed.includes('<dc:language>')) fixed = fixed.replace('</cp:coreProperties>', `<dc:language>${fixes.language}</dc:language></cp:coreProperties>`);
    text.set('docProps/core.xml', fixed);
  }
  const settings = text.get('word/settings.xml');
  if (settings !== undefined && !settings.includes('<w:mirrorMargins')) {
    // CT_Settings is a sequence: mirrorMargins comes before evenAndOddHeaders and the elements after it.
    const before = /<w:(alignBordersAndEdges|bordersDoNotSurroundHeader|bordersDoNotSurroundFooter|gutterAtTop|hideSpellingErrors|hideGrammaticalErrors|activeWritingStyle|proofState|formsDesign|attachedTemplate|linkStyles|stylePaneFormatFilter|stylePaneSortMethod|documentType|mailMerge|revisionView|trackRevisions|doNotTrackMoves|doNotTrackFormatting|documentProtection|autoFormatOverride|styleLockTheme|styleLockQFSet|defaultTabStop|autoHyphenation|consecutiveHyphenLimit|hyphenationZone|doNotHyphenateCaps|showEnvelope|summaryLength|clickAndTypeStyle|defaultTableStyle|evenAndOddHeaders|bookFoldRevPrinting|bookFoldPrinting|bookFoldPrintingSheets|drawingGridHorizontalSpacing|drawingGridVerticalSpacing|displayHorizontalDrawingGridEvery|displayVerticalDrawingGridEvery|doNotUseMarginsForDrawingGridOrigin|drawingGridHorizontalOrigin|drawingGridVerticalOrigin|doNotShadeFormData|noPunctuationKerning|characterSpacingControl|printTwoOnOne|strictFirstAndLastChars|noLineBreaksAfter|noLineBreaksBefore|savePreviewPicture|doNotValidateAgainstSchema|saveInvalidXml|ignoreMixedContent|alwaysShowPlaceholderText|doNotDemarcateInvalidXml|saveXmlDataOnly|useXSLTWhenSaving|saveThroughXslt|showXMLTags|alwaysMergeEmptyNamespace|updateFields|hdrShapeDefaults|footnotePr|endnotePr|compat|docVars|rsids|attachedSchema|themeFontLang|clrSchemeMapping|doNotIncludeSubdocsInStats|doNotAutoCompressPictures|forceUpgrade|captions|readModeInkLockDown|smartTagType|schemaLibrary|shapeDefaults|doNotEmbedSmartTags|decimalSymbol|listSeparator)\b/.exec(settings);
    const at = before ? before.index : settings.lastIndexOf('</w:settings>');
    text.set('word/settings.xml', settings.slice(0, at) + '<w:mirrorMargins/>' + settings.slice(at));
  }
  const styles = text.get('word/styles.xml');
  if (styles !== undefined) {
    text.set(
      'word/styles.xml',
      styles.replace(/(<w:style\b[^>]*\bw:styleId="([^"]+)"[^>]*>\s*<w:name\b[^>]*\/>)(?!\s*<w:aliases)/g, (all, head: string, id: string) =>
        chineseNames[id] ? `${head}<w:aliases w:val="${chineseNames[id]}"/>` : all,
      ),
    );
  }

  // Zip times are DOS times, local and from 1980: the book's date as written, never before 1980.
  const mtime = new Date(Math.max(fixes.date.getTime(), Date.UTC(1980, 0, 2)));
  const zipTime = new Date(mtime.getUTCFullYear(), mtime.getUTCMonth(), mtime.getUTCDate(), mtime.getUTCHours(), mtime.getUTCMinutes(), mtime.getUTCSeconds());
  const out: Zippable = {};
  for (const name of names) {
    const data = text.has(name) ? encoder.encode(text.get(name)) : (parts.get(name) as Uint8Array);
    // Images are already compressed; everything else deflates well.
    out[name] = [data, { mtime: zipTime, level: /\.(png|jpe?g|gif)$/i.test(name) ? 0 : 1 }];
  }
  return zipSync(out);
}

/** [Content_Types].xml first (some readers sniff it), then _rels, then the rest by name: an order that never changes. */
function partOrder(a: string, b: string): number {
  const rank = (n: string) => (n === '[Content_Types].xml' ? 0 : n.startsWith('_rels/') ? 1 : 2);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}
