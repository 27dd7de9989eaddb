/** Shared by image-path and link-path: the nodes of a file's tree that they look for, found in one walk per tree. */
import type { Definition, Html, Image, ImageReference, Link, LinkReference, Root } from 'mdast';
import { visit } from 'unist-util-visit';
import { LastFileCache } from './last-file-cache.js';

/** Nodes of some types, each list in document order (a depth-first walk, parents before children). */
export interface NodeIndex {
  images: Image[];
  imageReferences: ImageReference[];
  links: Link[];
  linkReferences: LinkReference[];
  definitions: Definition[];
  html: Html[];
}

const cache = new LastFileCache<Root, NodeIndex>();

export function nodeIndex(mdast: Root): NodeIndex {
  let index = cache.get(mdast);
  if (!index) {
    const found: NodeIndex = { images: [], imageReferences: [], links: [], linkReferences: [], definitions: [], html: [] };
    visit(mdast, (node) => {
      if (node.type === 'image') found.images.push(node);
      else if (node.type === 'imageReference') found.imageReferences.push(node);
      else if (node.type === 'link') found.links.push(node);
      else if (node.type === 'linkReference') found.linkReferences.push(node);
      else if (node.type === 'definition') found.definitions.push(node);
      else if (node.type === 'html') found.html.push(node);
    });
    index = found;
    cache.set(mdast, index);
  }
  return index;
}
