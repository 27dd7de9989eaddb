/** The allow-list that raw HTML in a case must pass: what a printed case needs, nothing that runs, loads or restyles. */
import { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';

/** Elements dropped together with their content (the rest of the unknown elements are unwrapped, keeping their text). */
const dropWithContent = [
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'svg',
  'math',
  'textarea',
  'select',
  'title',
  'xmp',
  'noembed',
  'noframes',
  'plaintext',
  'head',
];

/**
 * GitHub's schema, narrowed: no form inputs, no `picture`/`source` (srcset would fetch), no `details` (hides text in
 * print), no `longDesc`; and widened by table captions and column groups, `mark`, `figure`.
 * Ids are not prefixed here (clobberPrefix off): `prefixIds` in markdown.ts prefixes ids and the links to them together.
 */
export const caseSchema: SanitizeSchema = {
  ...defaultSchema,
  tagNames: [
    ...(defaultSchema.tagNames ?? []).filter((t) => !['input', 'picture', 'source', 'details', 'summary'].includes(t)),
    'caption',
    'colgroup',
    'col',
    'mark',
    'figure',
    'figcaption',
    'u',
    'small',
    'abbr',
    'cite',
    'center',
  ],
  attributes: {
    ...defaultSchema.attributes,
    img: ['alt', 'src', 'title', 'width', 'height'],
    col: ['span'],
    colgroup: ['span'],
    input: [],
    source: [],
  },
  protocols: {
    ...defaultSchema.protocols,
    href: ['http', 'https', 'mailto'],
    // Relative paths pass (they name files in the compilation); remote ones become placeholders in images.ts.
    src: ['http', 'https'],
    cite: [],
    longDesc: [],
  },
  strip: dropWithContent,
  clobberPrefix: '',
  clobber: [],
};
