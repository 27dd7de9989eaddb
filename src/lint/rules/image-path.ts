/**
 * Images must be local files inside the compilation's root, so the book prints the same on any machine:
 * missing files, paths leaving the root (also through symlinks), remote http(s) images and formats Chromium cannot show are errors.
 */
import { realpathSync, statSync } from 'node:fs';
import { dirname, extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Definition, Nodes } from 'mdast';
import { formatBytes, limits } from '../../case/limits.js';
import type { ResolvedConfig } from '../../config/load.js';
import type { Range } from '../../shared/source.js';
import { htmlAttributes } from '../html-attributes.js';
import { nodeIndex, type NodeIndex } from '../nodes.js';
import { defineRule } from '../rule.js';

/** Formats a browser cannot draw in a PDF (often pasted from Word or design tools). */
const unsupported = new Set(['.tif', '.tiff', '.emf', '.wmf', '.heic', '.psd', '.ai', '.eps', '.pdf']);

interface ImageUse {
  url: string;
  range: Range;
}

export default defineRule(
  {
    id: 'image-path',
    group: 'body',
    defaultSeverity: 'error',
    description: '图片应是汇编根目录之内、确实存在的本地文件（不能用网络图片）',
  },
  ({ document, config, report }) => {
    const text = document.source.text;
    for (const use of imageUses(nodeIndex(document.mdast), text)) {
      const problem = checkImage(use.url, dirname(document.source.path), config);
      if (problem) report(problem, { range: use.range });
    }
  },
);

/** Why an image URL is not usable, or undefined when it is fine. */
export function checkImage(url: string, caseDir: string, config: Pick<ResolvedConfig, 'root'>): string | undefined {
  const shown = url.length > 60 ? `${url.slice(0, 57)}…` : url;
  if (url.trim() === '') return '图片路径是空的，应为相对于案例文件的路径，如 images/图1.png';
  if (/^data:image\//i.test(url)) return undefined;
  if (/^(https?:)?\/\//i.test(url)) {
    return `不能使用网络图片“${shown}”：付印时不会下载，请把图片存到汇编文件夹中（如 cases/images/），再用相对路径引用`;
  }
  if (/^[a-z][a-z0-9+.-]+:/i.test(url)) return `图片路径“${shown}”不是本地文件，应为相对于案例文件的路径，如 images/图1.png`;
  const written = url.replace(/[?#].*$/s, '');
  let path = resolve(caseDir, written);
  let info = statOf(path);
  if (!info) {
    // Markdown editors often percent-encode non-ASCII names: images/%E5%9B%BE.png.
    const decoded = safeDecode(written);
    if (decoded !== written) {
      path = resolve(caseDir, decoded);
      info = statOf(path);
    }
  }
  if (outside(config.root, path)) return `图片“${shown}”在汇编根目录之外；请把它移到根目录（huibian.yaml 所在的文件夹）之内`;
  if (!info) return `图片“${shown}”不存在（找的是 ${relative(config.root, path).split('\\').join('/')}）`;
  if (!info.isFile()) return `图片路径“${shown}”是一个文件夹，应为图片文件`;
  if (info.size > limits.imageBytes) {
    return `图片“${shown}”有 ${formatBytes(info.size)}，超过上限 ${formatBytes(limits.imageBytes)}；请压缩或缩小后再用`;
  }
  // The native call resolves the path in one system call; the JavaScript one looks up every component of it.
  if (outside(realRoot(config), realpathSync.native(path))) {
    return `图片“${shown}”是指向汇编根目录之外的链接；请把图片本身复制到根目录之内`;
  }
  const ext = extname(path).toLowerCase();
  if (unsupported.has(ext)) return `图片“${shown}”的格式 ${ext} 无法在 PDF 中显示，请转为 PNG、JPEG 或 SVG`;
  return undefined;
}

function statOf(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function outside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '..' || rel.startsWith('..' + sep) || isAbsolute(rel);
}

const realRoots = new WeakMap<object, string>();

/** The root with symlinks resolved; looked up once per loaded config, since every image of every case compares against it. */
function realRoot(config: Pick<ResolvedConfig, 'root'>): string {
  let real = realRoots.get(config);
  if (real === undefined) {
    real = realpathSync(config.root);
    realRoots.set(config, real);
  }
  return real;
}

/** Every image the file uses: Markdown images, reference images (through their definitions) and HTML <img src>. */
function imageUses(index: NodeIndex, text: string): ImageUse[] {
  const { images, imageReferences: references } = index;
  const definitions = new Map<string, Definition>();
  for (const node of index.definitions) definitions.set(node.identifier, node);
  const uses: ImageUse[] = images.map((n) => ({ url: n.url, range: urlRange(text, n, n.url) }));
  // A definition used by several references is reported once, where its URL is written.
  const used = new Set<Definition>();
  for (const ref of references) {
    const def = definitions.get(ref.identifier);
    if (def && !used.has(def)) {
      used.add(def);
      uses.push({ url: def.url, range: urlRange(text, def, def.url) });
    }
  }
  for (const node of index.html) {
    for (const src of htmlAttributes(node, text, 'img', 'src')) uses.push({ url: src.value, range: src.range });
  }
  return uses;
}

/** The range of the URL inside a node's source text, or of the whole node when it cannot be found as written. */
function urlRange(text: string, node: Nodes, url: string): Range {
  const start = node.position?.start.offset ?? 0;
  const end = node.position?.end.offset ?? start;
  const at = url ? text.lastIndexOf(url, end) : -1;
  return at >= start ? { start: at, end: at + url.length } : { start, end };
}
