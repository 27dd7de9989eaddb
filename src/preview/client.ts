/**
 * The script of the preview page. It runs in the browser, so it may use only the DOM: it is inlined into the page by
 * its source text (see shell.ts). It listens on /events and, for each new version, swaps the page's styles (only when
 * they changed, so the fonts do not flash) and its body in place, keeping the scroll position.
 */

/** What the server sends as the data of each `update` event: the whole new page, which the script takes apart. */
export interface UpdateEvent {
  version: number;
  html: string;
}

export function previewClient(): void {
  const root = document.documentElement;
  const meta = document.querySelector('meta[name="huibian-preview-version"]');
  let version = Number(meta?.getAttribute('content') ?? 0);
  root.dataset.huibianVersion = String(version);

  const source = new EventSource(`/events?v=${version}`);
  source.addEventListener('open', () => delete root.dataset.huibianOffline);
  source.addEventListener('error', () => {
    root.dataset.huibianOffline = '';
  });
  source.addEventListener('update', (event) => {
    const data = JSON.parse((event as MessageEvent<string>).data) as UpdateEvent;
    if (data.version <= version) return;
    version = data.version;
    void apply(data.html, version);
  });

  async function apply(html: string, shown: number): Promise<void> {
    const next = new DOMParser().parseFromString(html, 'text/html');
    const x = window.scrollX;
    const y = window.scrollY;
    // Hold the old height while images in the new body decode, so the scroll position is not clamped meanwhile.
    root.style.minHeight = `${root.scrollHeight}px`;
    const ours = document.head.querySelector('style[data-huibian-preview]');
    const oldStyles = Array.from(document.head.querySelectorAll('style:not([data-huibian-preview])'));
    const newStyles = Array.from(next.head.querySelectorAll('style:not([data-huibian-preview])'));
    const sameStyles = oldStyles.length === newStyles.length && oldStyles.every((s, i) => s.textContent === newStyles[i]!.textContent);
    if (!sameStyles) {
      for (const s of oldStyles) s.remove();
      for (const s of newStyles) document.head.insertBefore(document.importNode(s, true), ours);
    }
    const nextOurs = next.head.querySelector('style[data-huibian-preview]');
    if (ours && nextOurs && ours.textContent !== nextOurs.textContent) ours.textContent = nextOurs.textContent;
    document.title = next.title;
    root.lang = next.documentElement.lang;
    for (const a of Array.from(document.body.attributes)) document.body.removeAttribute(a.name);
    for (const a of Array.from(next.body.attributes)) document.body.setAttribute(a.name, a.value);
    document.body.replaceChildren(...Array.from(next.body.childNodes).map((n) => document.importNode(n, true)));
    window.scrollTo(x, y);
    root.dataset.huibianVersion = String(shown);
    const time = document.getElementById('huibian-preview-time');
    if (time) time.textContent = `已更新 ${new Date().toLocaleTimeString('zh-CN', { hour12: false })}`;
    await Promise.all(Array.from(document.images).map((img) => img.decode().catch(() => undefined)));
    root.style.minHeight = '';
    window.scrollTo(x, y);
  }
}
