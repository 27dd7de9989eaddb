/** The preview page in the parts its script swaps on each update: made by page-html.ts, read by page-script.ts. */

/** The page split into what the script swaps: the styles (only sent when they change), the title, and the body. */
export interface PageParts {
  /** The `<style>` elements of the head, in order, as HTML. */
  styles: string[];
  /** A digest of `styles`, so the script knows whether the styles it has are current. */
  styleKey: string;
  /** The title element's content, as HTML (escaped text). */
  title: string;
  lang: string;
  /** The attributes of the body element, as HTML (e.g. ` class="case-page target-print"`). */
  bodyAttributes: string;
  body: string;
}
