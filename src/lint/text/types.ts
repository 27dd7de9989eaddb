/**
 * The data the text rules' helpers hand each other (blocks.ts makes TextBlocks, marks.ts and mojibake.ts fill their caches):
 * a module of its own so that those helpers import it rather than each other.
 */
import type { SourceText } from '../../shared/source.js';
import type { Script } from './script.js';

/** A stretch of a block's text that is a verbatim copy of the file at `src` (or has no place in the file: `src` = -1). */
export interface Piece {
  /** Index in the block's text. */
  at: number;
  src: number;
  len: number;
}

/** One paragraph, heading, table cell or image caption as the author's text, with inline code and HTML replaced by U+FFFC. */
export interface TextBlock {
  text: string;
  /** What the text is: deliberate spacing is common in headings and table cells, and a caption is a block of its own. */
  kind: 'paragraph' | 'heading' | 'tableCell' | 'caption';
  pieces: Piece[];
  source: SourceText;
  /** Cache of `marksOf` (marks.ts): which kinds of character `text` holds, for the script in `marksScript`. */
  marks?: number;
  marksScript?: Script;
  /** Cache of `misdecodesIn` (mojibake.ts). */
  misdecodes?: Misdecode[];
}

export interface Misdecode {
  /** Index range in the scanned text. */
  from: number;
  to: number;
  /** What the bytes say as UTF-8: the likely original. */
  original: string;
  /** The code page the text was wrongly read with. */
  readAs: 'GBK' | 'Windows-1252';
}
