/**
 * The script of the preview page. It runs in the browser, so it may use only the DOM: it is inlined into the page by
 * its source text (see page-html.ts). It listens on /events and, for each new version, puts the new title and body in
 * place, and the new styles only when they changed (re-parsing the fonts' CSS would cost time and flash the text),
 * keeping the scroll position. No reload: the page stays the same page.
 */
import type { PageParts } from './page-parts.js';

/**
 * The data of each `update` event. `styles` is left out when they are the same as in the version before, which the
 * page then already has: a page gets the full styles when it connects, and every event after that in order.
 */
export type UpdateEvent = {
  /** Which run of the preview made the page: versions count from 1 again after a restart. */
  server: string;
  version: number;
} & Omit<PageParts, 'styles'> & { styles?: string[] };

export function previewClient(): void {
  const root = document.documentElement;
  const metaContent = (name: string) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';
  let version = Number(metaContent('huibian-preview-version'));
  let server = metaContent('huibian-preview-server');
  let styleKey = metaContent('huibian-preview-style');
  root.dataset.huibianVersion = String(version);

  const source = new EventSource(`/events?v=${server}.${version}`);
  source.addEventListener('open', () => delete root.dataset.huibianOffline);
  source.addEventListener('error', () => {
    root.dataset.huibianOffline = '';
  });
  source.addEventListener('update', (event) => {
    const data = JSON.parse((event as MessageEvent<string>).data) as UpdateEvent;
    if (data.server === server && data.version <= version) return;
    // Marks for the browser's performance panel and for the bench: event in → new content in the DOM.
    performance.mark(`huibian-update-${data.version}`);
    if ((data.styleKey !== styleKey || data.server !== server) && !data.styles) {
      // Cannot happen while events arrive in order; if it does, the whole page is the safe answer.
      location.reload();
      return;
    }
    version = data.version;
    server = data.server;
    void apply(data);
  });

  function fragment(html: string): DocumentFragment {
    const template = document.createElement('template');
    template.innerHTML = html;
    return document.importNode(template.content, true);
  }

  async function apply(data: UpdateEvent): Promise<void> {
    const x = window.scrollX;
    const y = window.scrollY;
    // Hold the old height while images in the new body decode, so the scroll position is not clamped meanwhile.
    root.style.minHeight = `${root.scrollHeight}px`;
    if (data.styles && (data.styleKey !== styleKey || !document.head.querySelector('style'))) {
      for (const style of Array.from(document.head.querySelectorAll('style'))) style.remove();
      document.head.append(fragment(data.styles.join('')));
      styleKey = data.styleKey;
    }
    document.title = fragment(data.title).textContent ?? '';
    root.lang = data.lang;
    const attributes = fragment(`<div${data.bodyAttributes}></div>`).firstElementChild!.attributes;
    for (const a of Array.from(document.body.attributes)) document.body.removeAttribute(a.name);
    for (const a of Array.from(attributes)) document.body.setAttribute(a.name, a.value);
    document.body.replaceChildren(fragment(data.body));
    window.scrollTo(x, y);
    root.dataset.huibianVersion = String(data.version);
    performance.measure(`huibian-swap-${data.version}`, `huibian-update-${data.version}`);
    const time = document.getElementById('huibian-preview-time');
    if (time) time.textContent = `已更新 ${new Date().toLocaleTimeString('zh-CN', { hour12: false })}`;
    await Promise.all(Array.from(document.images).map((img) => img.decode().catch(() => undefined)));
    root.style.minHeight = '';
    window.scrollTo(x, y);
  }
}
