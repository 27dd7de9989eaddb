/** Shared by image-path and link-path: the nodes of a file's tree that they look for, found in one walk per tree. */
import type { Definition, Html, Image, ImageReference, Link, LinkReference, Nodes, Root } from 'mdast';
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
    index = { images: [], imageReferences: [], links: [], linkReferences: [], definitions: [], html: [] };
    for (const child of mdast.children) walk(child, index);
    cache.set(mdast, index);
  }
  return index;
}

function walk(node: Nodes, index: NodeIndex): void {
  switch (node.type) {
    case 'image':
      index.images.push(node);
      break;
    case 'imageReference':
      index.imageReferences.push(node);
      break;
    case 'link':
      index.links.push(node);
      break;
    case 'linkReference':
      index.linkReferences.push(node);
      break;
    case 'definition':
      index.definitions.push(node);
      break;
    case 'html':
      index.html.push(node);
      break;
  }
  if ('children' in node) for (const child of node.children) walk(child as Nodes, index);
}
