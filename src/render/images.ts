/** Embed a case's images as data: URIs; anything remote, missing or outside the compilation root becomes a visible placeholder. */
import { readFile, realpath, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Element, ElementContent, Root } from 'hast';
import { formatBytes, limits } from '../case/limits.js';
import { inside } from '../shared/inside.js';

export interface ImageContext {
  /** The Markdown file the image is written in; relative paths start from its folder. */
  filePath: string;
  /** The compilation root: no file outside it is read. */
  root: string;
}

export interface ImageProblem {
  src: string;
  message: string;
}

const mimeByExtension: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
};

/** An `<img>` element and where it sits, so it can be replaced by a placeholder. */
export interface PlacedImage {
  node: Element;
  parent: Element | Root;
  index: number;
}

/** Embed each image (in document order) or put a placeholder in its place; returns what could not be embedded. */
export async function embedImages(images: readonly PlacedImage[], context: ImageContext): Promise<ImageProblem[]> {
  const problems: ImageProblem[] = [];
  for (const { node, parent, index } of images) {
    const src = typeof node.properties.src === 'string' ? node.properties.src : '';
    const result = await loadImage(src, context);
    if (result.ok) {
      node.properties.src = result.dataUri;
      continue;
    }
    problems.push({ src, message: result.reason });
    const alt = typeof node.properties.alt === 'string' && node.properties.alt ? `：${node.properties.alt}` : '';
    parent.children[index] = placeholder(`［图片未能嵌入${alt}。${result.reason}］`);
  }
  return problems;
}

type Loaded = { ok: true; dataUri: string } | { ok: false; reason: string };

async function loadImage(src: string, context: ImageContext): Promise<Loaded> {
  if (!src) return { ok: false, reason: '图片地址为空或不被允许' };
  if (/^[a-z][a-z0-9+.-]*:/i.test(src) || src.startsWith('//')) {
    return { ok: false, reason: `不读取网络图片（${src}）；请把图片存到汇编文件夹中并用相对路径引用` };
  }
  let path: string;
  try {
    path = decodeURIComponent(src.replace(/[?#].*$/, ''));
  } catch {
    path = src.replace(/[?#].*$/, '');
  }
  const absolute = resolve(dirname(context.filePath), path);
  if (isAbsolute(path) || !inside(context.root, absolute)) {
    return { ok: false, reason: `图片“${src}”不在汇编文件夹内，不予读取` };
  }
  const extension = (absolute.split('.').pop() ?? '').toLowerCase();
  const declared = mimeByExtension[extension];
  if (!declared) return { ok: false, reason: `图片“${src}”的格式不支持，应为 png、jpg、gif、webp 或 svg` };
  let bytes: Buffer;
  try {
    // A symlink inside the root may point outside it: check where it really leads.
    const real = await realpath(absolute);
    if (!inside(await realpath(context.root), real)) return { ok: false, reason: `图片“${src}”链接到汇编文件夹以外，不予读取` };
    // image-path reports this too, but a user may have turned that rule off: never embed a huge file.
    const info = await stat(real);
    if (!info.isFile()) return { ok: false, reason: `图片“${src}”不是普通文件，不予读取` };
    if (info.size > limits.imageBytes) return { ok: false, reason: `图片“${src}”有 ${formatBytes(info.size)}，超过上限 ${formatBytes(limits.imageBytes)}，未嵌入` };
    bytes = await readFile(real);
  } catch {
    return { ok: false, reason: `图片“${src}”不存在或无法读取` };
  }
  const mime = sniff(bytes) ?? declared;
  return { ok: true, dataUri: `data:${mime};base64,${bytes.toString('base64')}` };
}

/** The MIME type from the file's first bytes, so a .jpg that is really a PNG still shows. */
function sniff(bytes: Buffer): string | undefined {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return 'image/gif';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return undefined;
}

function placeholder(text: string): ElementContent {
  return { type: 'element', tagName: 'span', properties: { className: ['image-missing'] }, children: [{ type: 'text', value: text }] };
}
