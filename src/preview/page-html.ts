/**
 * The preview page: the case exactly as render/ made it for print (same templates, same CSS, the packaged fonts served
 * over HTTP instead of file://), shown as a sheet of the page's width, with a bar of status and diagnostics above it.
 */
import { createHash } from 'node:crypto';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { VFile } from 'vfile';
import type { VFileMessage } from 'vfile-message';
import type { PageParts } from './page-parts.js';
import { previewClient } from './page-script.js';

export type { PageParts } from './page-parts.js';

export interface Sheet {
  /** CSS lengths from huibian.yaml's page settings, e.g. 210mm. */
  width: string;
  margin: { top: string; bottom: string; inside: string; outside: string };
}

/** Everything the page shows at one version. */
export interface ShellView {
  /** This run of the preview (see UpdateEvent). */
  server: string;
  version: number;
  /** For the inline script's Content-Security-Policy. */
  nonce: string;
  /** The case file, as shown to the writer. */
  caseName: string;
  /** The rendered case document (print target, as render/ made it), or undefined when nothing could be rendered yet. */
  document?: string;
  /** `document` is from an earlier version: the current one could not be rendered. */
  stale: boolean;
  /** Why the current version shows no fresh content, in one sentence. */
  problem?: string;
  /** Files with their lint messages (huibian.yaml first, then the case). */
  files: readonly VFile[];
  /** Render warnings (a character no font has, an image that could not be embedded). */
  notes: readonly string[];
  /** The single-case PDF can be asked for. */
  pdf: boolean;
  sheet: Sheet;
  /** For showing file names relative to the compilation. */
  cwd: string;
}

/** What a page builder remembers: the head of the last document, analysed (it holds 400 kB of font CSS that rarely changes). */
interface HeadMemo {
  raw: string;
  chrome: string;
  head: string;
  styles: string[];
  styleKey: string;
}

/**
 * A function that builds the page at one version from a rendered document (print target, file:// font URLs). It
 * remembers the last head it analysed, so a pass in which only the case's body changed does not rewrite and digest
 * the font CSS again.
 */
export function createPageBuilder(fontDirs: ReadonlyMap<string, string>): (view: ShellView) => { html: string; parts: PageParts } {
  let memo: HeadMemo | undefined;
  return (view) => {
    const base = view.document ?? emptyDocument(view.caseName);
    const open = /<body\b([^>]*)>/i.exec(base);
    const closeAt = Math.max(base.lastIndexOf('</body'), base.lastIndexOf('</BODY'));
    const rawHead = open ? base.slice(0, open.index) : '<!doctype html>\n<html lang="zh-Hans">\n<head>\n</head>\n';
    const bodyInner = open ? base.slice(open.index + open[0].length, closeAt < 0 ? undefined : closeAt) : base;
    const tail = open && closeAt >= 0 ? base.slice(closeAt) : '</body>\n</html>\n';
    const chrome = `<style data-huibian-preview>\n${chromeCss(view.sheet)}\n</style>`;
    if (memo?.raw !== rawHead || memo.chrome !== chrome) {
      const head = serveFontUrls(rawHead, fontDirs);
      const styles = [...Array.from(head.matchAll(/<style\b[^>]*>[\s\S]*?<\/style\s*>/gi), (m) => m[0]), chrome];
      const styleKey = createHash('sha1').update(styles.join('\0')).digest('hex').slice(0, 16);
      memo = { raw: rawHead, chrome, head, styles, styleKey };
    }
    const { head, styles, styleKey } = memo;
    const ours =
      `<meta name="huibian-preview-server" content="${view.server}">\n` +
      `<meta name="huibian-preview-version" content="${view.version}">\n` +
      `<meta name="huibian-preview-style" content="${styleKey}">\n` +
      // No favicon request: the server would answer it 404 and the console would say so on every load.
      '<link rel="icon" href="data:,">\n' +
      `${chrome}\n` +
      `<script nonce="${view.nonce}">(${previewClient.toString()})();</script>\n`;
    const body = `\n${statusBar(view)}${bodyInner}`;
    const bodyAttributes = open?.[1] ?? '';
    const html = `${insertBeforeHeadClose(head, ours)}<body${bodyAttributes}>${body}${tail}`;
    const parts: PageParts = {
      styles,
      styleKey,
      title: /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(head)?.[1] ?? '',
      lang: /<html\b[^>]*\blang="([^"]*)"/i.exec(head)?.[1] ?? 'zh-Hans',
      bodyAttributes,
      body,
    };
    return { html, parts };
  };
}

/** Rewrite the packaged fonts' file:// URLs (which a page from http:// may not load) to the server's /fonts/<name>/ route. */
export function serveFontUrls(html: string, fontDirs: ReadonlyMap<string, string>): string {
  let out = html;
  for (const [name, dir] of fontDirs) out = out.replaceAll(`${pathToFileURL(dir).href}/`, `/fonts/${name}/`);
  return out;
}

function emptyDocument(caseName: string): string {
  return `<!doctype html>\n<html lang="zh-Hans">\n<head>\n<meta charset="utf-8">\n<title>${escapeHtml(caseName)}</title>\n</head>\n<body class="case-page">\n</body>\n</html>\n`;
}

function insertBeforeHeadClose(html: string, text: string): string {
  const at = html.search(/<\/head\s*>/i);
  return at < 0 ? text + html : html.slice(0, at) + text + html.slice(at);
}

function statusBar(view: ShellView): string {
  const messages = view.files.flatMap((f) => f.messages);
  const errors = messages.filter((m) => m.fatal).length;
  const warnings = messages.length - errors;
  const counts =
    errors + warnings === 0
      ? '<span class="hp-ok">没有问题</span>'
      : [errors ? `<span class="hp-error">${errors} 个错误</span>` : '', warnings ? `<span class="hp-warn">${warnings} 个警告</span>` : '']
          .filter(Boolean)
          .join('，');
  const pdf = view.pdf
    ? '<a class="hp-pdf" href="/case.pdf" target="_blank" rel="noopener">打印效果（PDF）</a>'
    : '<span class="hp-pdf hp-disabled" title="改正错误后才能生成 PDF">打印效果（PDF）</span>';
  const lines = [
    `<div id="huibian-preview" class="${view.stale ? 'hp-broken' : ''}" role="region" aria-label="预览状态">`,
    `<div class="hp-bar"><span class="hp-file">${escapeHtml(view.caseName)}</span><span class="hp-counts">${counts}</span>` +
      `<span id="huibian-preview-time" class="hp-time"></span><span class="hp-offline">与预览服务的连接已断开，正在重连…</span>${pdf}</div>`,
  ];
  if (view.problem) {
    const after = view.stale ? '下面是上一次成功排版的内容。' : '';
    lines.push(`<p class="hp-problem">${escapeHtml(view.problem)}改正并保存后，预览会自动更新。${after}</p>`);
  }
  for (const file of view.files) {
    if (!file.messages.length) continue;
    lines.push(`<section class="hp-file-messages"><h2 class="hp-file-name">${escapeHtml(relative(view.cwd, file.path) || file.path)}</h2><ol class="hp-messages">`);
    const text = typeof file.value === 'string' ? file.value.split(/\r\n?|\n/) : [];
    for (const m of file.messages) {
      const where = m.line ? `第 ${m.line} 行${m.column ? `第 ${m.column} 列` : ''}` : '整个文件';
      const severity = m.fatal ? '<span class="hp-sev hp-error">错误</span>' : '<span class="hp-sev hp-warn">警告</span>';
      const excerpt = m.line && text[m.line - 1] !== undefined ? `<code class="hp-excerpt">${excerptHtml(text[m.line - 1]!, m)}</code>` : '';
      const cause = m.cause instanceof Error ? `<span class="hp-cause">${escapeHtml(m.cause.message)}</span>` : '';
      lines.push(
        `<li class="${m.fatal ? 'hp-is-error' : 'hp-is-warn'}"><span class="hp-where">${where}</span>${severity}` +
          `<span class="hp-reason">${escapeHtml(m.reason)}</span><span class="hp-rule">${escapeHtml(m.ruleId ?? '')}</span>${cause}${excerpt}</li>`,
      );
    }
    lines.push('</ol></section>');
  }
  if (view.notes.length) {
    lines.push('<section class="hp-file-messages"><h2 class="hp-file-name">排版提示</h2><ol class="hp-messages">');
    for (const note of view.notes) lines.push(`<li class="hp-is-warn"><span class="hp-sev hp-warn">提示</span><span class="hp-reason">${escapeHtml(note)}</span></li>`);
    lines.push('</ol></section>');
  }
  lines.push('</div>');
  return lines.join('\n') + '\n';
}

/**
 * The message's source line, the part it points at marked, cut to about 80 characters around that part so a long
 * paragraph does not fill the bar. Columns count code points, as everywhere in huibian.
 */
function excerptHtml(line: string, m: VFileMessage): string {
  const chars = Array.from(line);
  const start = Math.max(0, (m.column ?? 1) - 1);
  const endPoint = m.place && 'end' in m.place ? m.place.end : undefined;
  const end = endPoint && endPoint.line === m.line && endPoint.column > start + 1 ? Math.min(chars.length, endPoint.column - 1) : Math.min(chars.length, start + 1);
  const from = start > 30 ? start - 20 : 0;
  const to = Math.min(chars.length, Math.max(end, from + 80));
  const piece = (a: number, b: number) => escapeHtml(chars.slice(a, b).join(''));
  const marked = m.column && start < chars.length ? `<mark>${piece(start, end)}</mark>` : '';
  return `${from > 0 ? '…' : ''}${piece(from, m.column ? start : to)}${marked}${m.column ? piece(end, to) : ''}${to < chars.length ? '…' : ''}`;
}

/**
 * The preview's own look. Pixel sizes and its own font stack, because the book's CSS sets the root font size in pt and
 * styles bare elements (p, li, h2) for print. The case itself is the book's `main`, given the page's width and margins
 * (right-hand page), so lines break where they will in the PDF.
 */
function chromeCss(sheet: Sheet): string {
  const m = sheet.margin;
  return `html { background: #e9e7e2; }
body { margin: 0; padding: 0 0 48px; }
body > main { box-sizing: border-box; width: ${sheet.width}; max-width: 100%; min-height: 120px; margin: 16px auto 0; padding: ${m.top} ${m.outside} ${m.bottom} ${m.inside}; background: #fff; box-shadow: 0 1px 6px rgba(0, 0, 0, .18); }
#huibian-preview.hp-broken ~ main { opacity: .45; }
#huibian-preview { font: 14px/1.6 system-ui, "Noto Sans SC", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #222; text-indent: 0; text-align: left; }
#huibian-preview .hp-bar { position: sticky; top: 0; z-index: 10; display: flex; flex-wrap: wrap; gap: 4px 16px; align-items: baseline; padding: 8px 16px; background: #2f2d2a; color: #f2f0eb; }
#huibian-preview .hp-file { font-weight: 600; }
#huibian-preview .hp-time { color: #bdb8ad; }
#huibian-preview .hp-offline { display: none; color: #ffb4a8; }
html[data-huibian-offline] #huibian-preview .hp-offline { display: inline; }
#huibian-preview .hp-pdf { margin-left: auto; color: #fff; }
#huibian-preview .hp-disabled { color: #8d877c; cursor: not-allowed; }
#huibian-preview .hp-ok { color: #9fd59a; }
#huibian-preview .hp-bar .hp-error { color: #ff9c8f; }
#huibian-preview .hp-bar .hp-warn { color: #f4cf73; }
#huibian-preview .hp-problem { margin: 12px auto 0; max-width: 960px; padding: 8px 12px; background: #fde8e4; border-left: 4px solid #c0392b; text-indent: 0; }
#huibian-preview .hp-file-messages { max-width: 960px; margin: 12px auto 0; padding: 8px 12px; background: #fff; border: 1px solid #d8d4cc; }
#huibian-preview .hp-file-name { margin: 0 0 4px; font: inherit; font-weight: 600; text-align: left; }
#huibian-preview .hp-messages { margin: 0; padding: 0; list-style: none; }
#huibian-preview .hp-messages li { display: grid; grid-template-columns: max-content max-content 1fr max-content; gap: 0 10px; padding: 3px 0; border-top: 1px solid #eee; line-break: auto; }
#huibian-preview .hp-where { color: #555; font-variant-numeric: tabular-nums; }
#huibian-preview .hp-sev { font-weight: 600; }
#huibian-preview .hp-messages .hp-error { color: #b3261e; }
#huibian-preview .hp-messages .hp-warn { color: #8a5a00; }
#huibian-preview .hp-rule { color: #888; font-family: ui-monospace, monospace; font-size: 12px; }
#huibian-preview .hp-cause, #huibian-preview .hp-excerpt { grid-column: 3 / 5; color: #555; }
#huibian-preview .hp-excerpt mark { background: #ffd7cf; color: #111; outline: 1px solid #e0806f; }
#huibian-preview .hp-excerpt { font-family: ui-monospace, "Noto Sans Mono CJK SC", monospace; font-size: 12px; white-space: pre-wrap; background: #f6f5f2; padding: 1px 6px; }
@media print { #huibian-preview { display: none; } html { background: none; } body > main { box-shadow: none; padding: 0; margin: 0; width: auto; } }`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.codePointAt(0)};`);
}
