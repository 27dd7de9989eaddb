/**
 * Links may point to the web (http, https, mailto) or inside the book (#…). A link to a local file means nothing in a
 * printed book and would put the path of a file on the author's machine into the PDF; one that leaves the
 * compilation root (../../etc/passwd, /abs/path, file://) is refused outright. The renderer drops such links' targets.
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Definition, Nodes } from 'mdast';
import type { Range } from '../../shared/source.js';
import { htmlAttributes } from '../html-attributes.js';
import { nodeIndex, type NodeIndex } from '../nodes.js';
import { defineRule } from '../rule.js';

export default defineRule(
  {
    id: 'link-path',
    group: 'body',
    defaultSeverity: 'error',
    description: '链接应指向网页（http、https、mailto）或书内位置（#…），不能指向本机文件，尤其是汇编根目录之外的文件',
  },
  ({ document, config, report }) => {
    for (const use of linkUses(nodeIndex(document.mdast), document.source.text)) {
      const url = use.url.trim();
      if (url === '' || url.startsWith('#') || /^(https?|mailto):/i.test(url)) continue;
      const shown = url.length > 60 ? `${url.slice(0, 57)}…` : url;
      if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
        report(`链接“${shown}”不是网页地址；书中的链接应为 http、https 或 mailto 地址`, { range: use.range });
        continue;
      }
      const path = resolve(dirname(document.source.path), url.replace(/[?#].*$/s, ''));
      const rel = relative(config.root, path);
      const outside = rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel) || isAbsolute(url);
      report(
        outside
          ? `链接“${shown}”指向汇编根目录之外的本机文件，不予链接`
          : `链接“${shown}”指向本机文件，印成书后无法打开；请改为网页地址，或删去链接只留文字`,
        { range: use.range },
      );
    }
  },
);

interface LinkUse {
  url: string;
  range: Range;
}

/** Markdown links, reference definitions and raw HTML `<a href>`, with the range of each URL as written. */
function linkUses(index: NodeIndex, text: string): LinkUse[] {
  const uses: LinkUse[] = [];
  // A definition counts when a link reference uses it (one used by `![图][甲]` is image-path's).
  const definitions = new Map<string, Definition>();
  for (const node of index.definitions) definitions.set(node.identifier, node);
  const referenced = new Set(index.linkReferences.map((node) => node.identifier));
  // Links and HTML anchors in document order, as one walk over the tree would meet them.
  for (const node of [...index.links, ...index.html].sort((a, b) => (a.position?.start.offset ?? 0) - (b.position?.start.offset ?? 0))) {
    if (node.type === 'link') uses.push({ url: node.url, range: urlRange(text, node, node.url) });
    else for (const href of htmlAttributes(node, text, 'a', 'href')) uses.push({ url: href.value, range: href.range });
  }
  for (const id of referenced) {
    const def = definitions.get(id);
    if (def) uses.push({ url: def.url, range: urlRange(text, def, def.url) });
  }
  return uses.sort((a, b) => a.range.start - b.range.start);
}

function urlRange(text: string, node: Nodes, url: string): Range {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? start;
  const at = url ? text.lastIndexOf(url, end) : -1;
  return at >= start ? { start: at, end: at + url.length } : { start, end };
}
