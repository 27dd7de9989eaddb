/**
 * A case's image for Word: read through the HTML side's checks (inside the root, size limit, no remote files), sized
 * to fit the text width, and in a format Word shows. SVG goes in as SVG with a PNG fallback that resvg draws (Word
 * before 2016 and some readers show only the fallback); WebP, which Word cannot show, is drawn to PNG the same way.
 */
import { createRequire } from 'node:module';
import type { Element, Root } from 'hast';
import { imageSize } from 'image-size';
import { embedImages, type ImageContext } from '../render/images.js';

// require, not import(): the bundled CLI runs in a vm script, where a dynamic import() has no loader.
const require = createRequire(import.meta.url);
type ResvgModule = typeof import('@resvg/resvg-js');

export type DocxImage =
  | { ok: true; type: 'png' | 'jpg' | 'gif'; data: Uint8Array; width: number; height: number; svg?: Uint8Array }
  | { ok: false; reason: string };

/** Pixels at 96 dpi (docx's unit for image sizes) per twip. */
const pxPerTwip = 96 / 1440;

/** Load an image for the document, or say why it cannot be embedded. */
export async function loadDocxImage(src: string, context: ImageContext): Promise<DocxImage> {
  // embedImages holds the rules for which files may be read; it works on a hast <img>, so give it one.
  const node: Element = { type: 'element', tagName: 'img', properties: { src }, children: [] };
  const parent: Root = { type: 'root', children: [node] };
  const [problem] = await embedImages([{ node, parent, index: 0 }], context);
  if (problem) return { ok: false, reason: problem.message };
  const uri = String(node.properties.src);
  const m = /^data:([^;]+);base64,(.*)$/s.exec(uri);
  if (!m) return { ok: false, reason: `图片“${src}”无法读取` };
  const mime = m[1]!;
  const bytes = new Uint8Array(Buffer.from(m[2]!, 'base64'));
  try {
    if (mime === 'image/svg+xml') return rasterise(bytes, bytes);
    if (mime === 'image/webp') return rasterise(webpAsSvg(bytes), undefined);
    const size = imageSize(bytes);
    if (!size.width || !size.height) throw new Error('no size');
    const type = mime === 'image/png' ? 'png' : mime === 'image/gif' ? 'gif' : 'jpg';
    return { ok: true, type, data: bytes, width: size.width, height: size.height };
  } catch {
    return { ok: false, reason: `图片“${src}”已损坏或无法识别，未嵌入` };
  }
}

/** Draw SVG to PNG at twice its size (sharp on paper), keeping the SVG itself when there is one. */
function rasterise(svgBytes: Uint8Array, keepSvg: Uint8Array | undefined): DocxImage {
  // Loaded on first use: a native module that only SVG and WebP images need.
  const { Resvg } = require('@resvg/resvg-js') as ResvgModule;
  const text = Buffer.from(svgBytes).toString('utf8');
  const hasText = /<text[\s>]/.test(text);
  const probe = new Resvg(text, { font: { loadSystemFonts: false } });
  const width = Math.max(1, Math.round(probe.width));
  const height = Math.max(1, Math.round(probe.height));
  const resvg = new Resvg(text, {
    fitTo: { mode: 'width', value: Math.min(2400, width * 2) },
    // Only an SVG with text needs the system's fonts (loading them takes a quarter second).
    font: { loadSystemFonts: hasText, defaultFontFamily: 'Noto Sans CJK SC', sansSerifFamily: 'Noto Sans CJK SC', serifFamily: 'Noto Serif CJK SC' },
  });
  const png = new Uint8Array(resvg.render().asPng());
  return { ok: true, type: 'png', data: png, width, height, svg: keepSvg };
}

/** A WebP wrapped in an SVG <image>, so resvg (which decodes WebP) can draw it to PNG. */
function webpAsSvg(bytes: Uint8Array): Uint8Array {
  const size = imageSize(bytes);
  const w = size.width ?? 1;
  const h = size.height ?? 1;
  const href = `data:image/webp;base64,${Buffer.from(bytes).toString('base64')}`;
  return new TextEncoder().encode(
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${w}" height="${h}"><image width="${w}" height="${h}" xlink:href="${href}"/></svg>`,
  );
}

/** The image's size in docx pixels: its own size at 96 dpi, shrunk (never enlarged) to the text width. */
export function fitToWidth(image: { width: number; height: number }, textWidthTwips: number): { width: number; height: number } {
  const max = Math.floor(textWidthTwips * pxPerTwip);
  const scale = image.width > max ? max / image.width : 1;
  return { width: Math.max(1, Math.round(image.width * scale)), height: Math.max(1, Math.round(image.height * scale)) };
}
