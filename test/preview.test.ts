// `huibian preview` with the real server, real HTTP, the real events channel and real file changes on a temporary copy
// of a small compilation; one test drives the page's own script in Chromium; `--once --pdf` through the real CLI.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import puppeteer from 'puppeteer';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { locateBrowser } from '../src/pdf/index.js';
import { chromiumArgs } from '../src/pdf/launch.js';
import type { UpdateEvent } from '../src/preview/page-script.js';
import { pathSegments } from '../src/preview/routes.js';
import { preview, type PreviewOptions, type PreviewResult } from '../src/index.js';
import { fonts, info, pageTexts, squash } from './helpers/pdf.js';

const fixture = fileURLToPath(new URL('./fixtures/preview/basic/', import.meta.url));
const bin = fileURLToPath(new URL('../bin/huibian.js', import.meta.url));
const caseRel = 'cases/agency/yibenzhang.md';

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A fresh copy of the fixture compilation (and a sibling folder outside it, for symlinks that leave the root). */
function copyOfFixture(): { dir: string; outside: string } {
  const base = mkdtempSync(join(tmpdir(), 'huibian-preview-'));
  temps.push(base);
  const dir = join(base, 'book');
  cpSync(fixture, dir, { recursive: true });
  const outside = join(base, 'outside');
  cpSync(join(fixture, 'images'), outside, { recursive: true });
  writeFileSync(join(outside, 'secret.css'), '/* 不应被预览服务读出 */');
  return { dir, outside };
}

/** Save the way many editors do: write a temporary file beside the target and rename it over the target. */
function saveByRename(path: string, content: string | Buffer): void {
  writeFileSync(`${path}.tmp~`, content);
  renameSync(`${path}.tmp~`, path);
}

interface Running {
  url: string;
  log: () => string;
  stop: () => Promise<PreviewResult>;
}

const running: Running[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
});

async function start(dir: string, extra: Partial<PreviewOptions> = {}): Promise<Running> {
  let log = '';
  const sink = () =>
    new Writable({
      write(chunk, _enc, done) {
        log += String(chunk);
        done();
      },
    });
  const controller = new AbortController();
  let listening!: (url: string) => void;
  const url = new Promise<string>((resolve) => (listening = resolve));
  const done = preview({
    cwd: dir,
    file: caseRel,
    signal: controller.signal,
    streams: { stdout: sink(), stderr: sink() },
    onListening: (info) => listening(info.url),
    env: {},
    ...extra,
  });
  const first = await Promise.race([url, done]);
  if (typeof first !== 'string') throw new Error(`preview ended before listening: ${log}`);
  let stopped: Promise<PreviewResult> | undefined;
  const handle: Running = {
    url: first,
    log: () => log,
    stop: () => (stopped ??= (controller.abort(), done)),
  };
  running.push(handle);
  return handle;
}

/** The page's version, as its script reads it. */
function versionOf(html: string): number {
  const m = /<meta name="huibian-preview-version" content="(\d+)">/.exec(html);
  expect(m, 'the page carries its version').not.toBeNull();
  return Number(m![1]);
}

/** What the page's script tells /events it has: `<server>.<version>`, from the page's meta tags. */
function knownOf(html: string): string {
  const m = /<meta name="huibian-preview-server" content="([0-9a-f]+)">/.exec(html);
  expect(m, 'the page carries its server').not.toBeNull();
  return `${m![1]}.${versionOf(html)}`;
}

interface SseEvent {
  id?: string;
  event: string;
  data: string;
  /** performance.now() when the event's last byte arrived. */
  at: number;
}

/** An EventSource as the page opens it (/events?v=<version>), reading the stream the way the browser does. */
function openEvents(url: string, known: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const events: SseEvent[] = [];
  let wake: () => void = () => undefined;
  let ended = false;
  const connected = fetch(`${url}events?v=${known}`, { headers: { Accept: 'text/event-stream', ...headers }, signal: controller.signal }).then(async (response) => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event: SseEvent = { event: 'message', data: '', at: performance.now() };
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) continue;
              const [field, ...rest] = line.split(':');
              const value = rest.join(':').replace(/^ /, '');
              if (field === 'event') event.event = value;
              else if (field === 'data') data.push(value);
              else if (field === 'id') event.id = value;
            }
            if (data.length) {
              event.data = data.join('\n');
              events.push(event);
              wake();
            }
          }
        }
      } catch {
        // Closed by us.
      }
      ended = true;
      wake();
    })();
  });
  return {
    connected,
    events,
    ended: () => ended,
    /** The next `update` event whose page passes `test`, with its data parsed. */
    async update(test: (update: UpdateEvent) => boolean, timeoutMs = 15_000): Promise<UpdateEvent & { at: number; id?: string }> {
      const deadline = performance.now() + timeoutMs;
      let seen = 0;
      for (;;) {
        for (; seen < events.length; seen++) {
          const e = events[seen]!;
          if (e.event !== 'update') continue;
          const data = JSON.parse(e.data) as UpdateEvent;
          if (test(data)) return { ...data, at: e.at, id: e.id };
        }
        if (ended) throw new Error('the events stream ended');
        const left = deadline - performance.now();
        if (left <= 0) throw new Error(`no matching update within ${timeoutMs} ms; got ${events.length} events`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, Math.min(left, 200));
        });
      }
    },
    close: () => controller.abort(),
  };
}

/** GET a raw request target (no URL normalisation, unlike fetch), returning status and body. */
function rawGet(url: string, target: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: Buffer; type?: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path: target, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks), type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('preview server', () => {
  it('serves the case with the book’s templates and CSS, its diagnostics with line numbers, and a link to its PDF', async () => {
    const { dir } = copyOfFixture();
    const server = await start(dir);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const response = await fetch(server.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    // The case's opening and body, as the book's case template writes them.
    expect(html).toContain('<article class="case" id="case-yibenzhang">');
    expect(html).toContain('<h2 class="case-title">党建业务“一本账”</h2>');
    expect(html).toContain('<p class="case-unit">某区政务服务管理局机关党委</p>');
    expect(html).toContain('举措1\u3000围绕中心抓党建；举措2\u3000找准结合点');
    expect(html).toContain('工作机制：六个引领工作法');
    expect(html).toMatch(/<h3[^>]*>一、基本情况<\/h3>/);
    expect(html).toContain('每季度对账一次');
    expect(html).toMatch(/<img src="data:image\/svg\+xml;base64,[^"]+" alt="图1 “一本账”示意"/);
    // The print CSS of the book, with the packaged fonts served over HTTP instead of file://.
    expect(html).toContain('.case { break-before: page; }');
    expect(html).not.toContain('file://');
    const font = /url\("(\/fonts\/subset\/NotoSerifSC_400Regular-[0-9a-f]{16}\.ttf)"\)/.exec(html);
    expect(font).not.toBeNull();
    const fontResponse = await fetch(new URL(font![1]!, server.url));
    expect(fontResponse.status).toBe(200);
    expect(fontResponse.headers.get('content-type')).toBe('font/ttf');
    // The sheet is the 16K page's width with its margins.
    expect(html).toContain('width: 185mm');
    // Lint diagnostics above the content, in Chinese, with line numbers and the line itself.
    const bar = html.slice(html.indexOf('<div id="huibian-preview"'), html.indexOf('<main'));
    expect(bar).toContain('2 个警告');
    expect(bar).toContain('<h2 class="hp-file-name">cases/agency/yibenzhang.md</h2>');
    expect(bar).toContain('<span class="hp-where">第 10 行第 1 列</span><span class="hp-sev hp-warn">警告</span><span class="hp-reason">缺少小节“经验启示”');
    expect(bar).toContain('<code class="hp-excerpt"><mark>## 一、基本情况</mark></code>');
    expect(bar).toContain('<a class="hp-pdf" href="/case.pdf"');
    expect(html.indexOf('<div id="huibian-preview"')).toBeLessThan(html.indexOf('<main'));
  });

  it('pushes a saved change over /events exactly as the page’s script receives it, and fast', async () => {
    const { dir } = copyOfFixture();
    const server = await start(dir, { debounceMs: 10 });
    const page = await (await fetch(server.url)).text();
    const version = versionOf(page);
    const known = knownOf(page);
    const serverId = known.split('.')[0]!;
    const events = openEvents(server.url, known);
    await events.connected;
    const path = join(dir, caseRel);
    const original = readFileSync(path, 'utf8');
    const latencies: number[] = [];
    let last = version;
    for (const [i, word] of ['第一次修改', '第二次修改', '第三次修改'].entries()) {
      const saved = performance.now();
      saveByRename(path, original.replace('每季度对账一次', `每季度对账一次（${word}）`));
      const update = await events.update((e) => e.body.includes(`（${word}）`));
      latencies.push(update.at - saved);
      expect(update.version).toBe(last + 1);
      expect(update.server).toBe(serverId);
      expect(update.id).toBe(`${serverId}.${update.version}`);
      // The styles did not change, so they are not sent again (the page keeps its parsed CSS and loaded fonts).
      expect(update.styles).toBeUndefined();
      last = update.version;
      if (i === 0) expect(events.events).toHaveLength(1); // nothing was sent on connecting: the page was current
    }
    // The page served now is the same version the channel announced.
    expect(versionOf(await (await fetch(server.url)).text())).toBe(last);
    console.log(`preview: save → update event ${latencies.map((ms) => `${Math.round(ms)} ms`).join(', ')}`);
    // The issue's target (≤ 200 ms to the page on a quiet machine) is measured by `npm run bench`; on a shared test
    // machine this only rules out polling or a lost event.
    expect(Math.min(...latencies)).toBeLessThan(2000);
    // A page that reconnects with an old Last-Event-ID gets the current version at once.
    const late = openEvents(server.url, known, { 'Last-Event-ID': known });
    const caughtUp = await late.update(() => true, 5000);
    expect(caughtUp.version).toBe(last);
    expect(caughtUp.styles?.join('')).toContain('.case { break-before: page; }');
    // A page left open from an earlier run of the preview (same version number, other server) gets this run's page.
    const earlier = openEvents(server.url, `ffffffffffff.${last}`);
    expect((await earlier.update(() => true, 5000)).server).toBe(serverId);
    earlier.close();
    late.close();
    events.close();
  });

  it('shows a broken case as an error view, keeps running, and recovers when the file is fixed', async () => {
    const { dir } = copyOfFixture();
    const server = await start(dir, { debounceMs: 10 });
    const events = openEvents(server.url, knownOf(await (await fetch(server.url)).text()));
    await events.connected;
    const path = join(dir, caseRel);
    const original = readFileSync(path, 'utf8');
    const broken: [string, string | Buffer, string][] = [
      ['YAML error', original.replace('unit: 某区', 'unit: "某区'), '<span class="hp-reason">YAML 语法错误：缺少字符（如引号、括号没有闭合）</span>'],
      ['missing field', original.replace(/^unit: .*\n/m, ''), '缺少'],
      ['unknown sector', original.replace('sector: agency', 'sector: 国营企业'), '未知的领域“国营企业”'],
      ['not UTF-8', iconv.encode(original, 'gb18030'), '不是 UTF-8 编码'],
    ];
    for (const [what, content, message] of broken) {
      saveByRename(path, content);
      const update = await events.update((e) => e.body.includes(message) && e.body.includes('class="hp-problem"'));
      expect(update.body, what).toContain('案例有错误，无法排版。改正并保存后，预览会自动更新。下面是上一次成功排版的内容。');
      expect(update.body, what).toContain('<div id="huibian-preview" class="hp-broken"');
      expect(update.body, what).toContain('<span class="hp-sev hp-error">错误</span>');
      // The last good content stays visible (dimmed) under the messages.
      expect(update.body, what).toContain('<h2 class="case-title">党建业务“一本账”</h2>');
      expect(update.body, what).toContain('hp-pdf hp-disabled');
      const page = await fetch(server.url);
      expect(page.status, `${what}: the server is still up`).toBe(200);
      const pdf = await fetch(new URL('/case.pdf', server.url));
      expect(pdf.status, `${what}: no PDF of a broken case`).toBe(409);
      expect(await pdf.text()).toContain('案例现在有错误，无法生成 PDF');
    }
    saveByRename(path, original.replace('每季度对账一次', '每季度对账一次（已改正）'));
    const fixed = await events.update((e) => e.body.includes('（已改正）'));
    expect(fixed.body).not.toContain('class="hp-problem"');
    expect(fixed.body).not.toContain('class="hp-broken"');
    expect(fixed.body).toContain('<span class="hp-counts"><span class="hp-warn">2 个警告</span></span>');
    expect(server.log()).toContain('无法排版（1 个错误');
    events.close();
  });

  it('starts on a case that is broken from the beginning, and shows it once it is fixed', async () => {
    const { dir } = copyOfFixture();
    const path = join(dir, caseRel);
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, original.replace(/^mechanism: .*\n/m, ''));
    const server = await start(dir, { debounceMs: 10 });
    const html = await (await fetch(server.url)).text();
    expect(html).toContain('<p class="hp-problem">案例有错误，无法排版。改正并保存后，预览会自动更新。</p>');
    expect(html).toContain('缺少必填字段“mechanism”');
    expect(html).not.toContain('<main');
    const events = openEvents(server.url, knownOf(html));
    await events.connected;
    saveByRename(path, original);
    const fixed = await events.update((e) => e.body.includes('<h2 class="case-title">'));
    expect(fixed.body).not.toContain('class="hp-problem"');
    // The first page had no rendered case, so its styles were only the preview's own: the book's CSS comes now.
    expect(fixed.styles?.join('')).toContain('.case { break-before: page; }');
    events.close();
  });

  it('shows a broken huibian.yaml, and recovers when it is fixed', async () => {
    const { dir } = copyOfFixture();
    const server = await start(dir, { debounceMs: 10 });
    const events = openEvents(server.url, knownOf(await (await fetch(server.url)).text()));
    await events.connected;
    const configPath = join(dir, 'huibian.yaml');
    const original = readFileSync(configPath, 'utf8');
    saveByRename(configPath, original.replace('sectors: [school]', 'sectors: [schools]'));
    const broken = await events.update((e) => e.body.includes('huibian.yaml 有错误'));
    expect(broken.body).toContain('<h2 class="hp-file-name">huibian.yaml</h2>');
    expect(broken.body).toContain('<span class="hp-where">第 16 行第 60 列</span>');
    // The line, cut to the part around the value, with the value marked.
    expect(broken.body).toContain('<code class="hp-excerpt">…m: 市教育系统, sectors: [<mark>schools</mark>] }</code>');
    // The last good rendering of the case stays under the message.
    expect(broken.body).toContain('<h2 class="case-title">党建业务“一本账”</h2>');
    expect(broken.body).toContain('所属的领域“schools”不存在，应为：agency、school');
    expect((await fetch(server.url)).status).toBe(200);
    writeFileSync(configPath, original.replace('title: 预览测试汇编', 'title: 预览测试汇编（改）'));
    const fixed = await events.update((e) => !e.body.includes('class="hp-problem"'));
    expect(fixed.title).toBe('党建业务“一本账” · 预览测试汇编（改）');
    events.close();
  });

  it('re-renders when an image of the case or a template file changes', async () => {
    const { dir } = copyOfFixture();
    const server = await start(dir, { debounceMs: 10 });
    const events = openEvents(server.url, knownOf(await (await fetch(server.url)).text()));
    await events.connected;
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><circle cx="10" cy="10" r="9"/></svg>\n';
    saveByRename(join(dir, 'images', 'zhang.svg'), svg);
    const image = await events.update((e) => e.body.includes(Buffer.from(svg).toString('base64')));
    expect(image.body).toContain('data:image/svg+xml;base64,');
    // A print.css in the user's template folder replaces the default one from then on.
    const defaultPrint = readFileSync(fileURLToPath(new URL('../templates/default/print.css', import.meta.url)), 'utf8');
    writeFileSync(join(dir, 'template', 'print.css'), `/* 模板已改 */\n${defaultPrint}`);
    const template = await events.update((e) => (e.styles ?? []).join('').includes('/* 模板已改 */'));
    expect(template.version).toBe(image.version + 1);
    // A template being edited may be broken for a while: the page says so and the server keeps going.
    writeFileSync(join(dir, 'template', 'case.liquid'), '<article>{{ case.nosuch }}</article>\n');
    const broken = await events.update((e) => e.body.includes('class="hp-problem"'));
    expect(broken.body).toContain('模板出错，无法排版：undefined variable: case.nosuch, line:1, col:13。');
    rmSync(join(dir, 'template', 'case.liquid'));
    const back = await events.update((e) => !e.body.includes('class="hp-problem"'));
    expect(back.body).toContain('<h2 class="case-title">党建业务“一本账”</h2>');
    events.close();
  });

  it('answers 404 to every path outside the page, its events, its PDF, its images, the template and the fonts', async () => {
    const { dir, outside } = copyOfFixture();
    symlinkSync(join(outside, 'secret.css'), join(dir, 'template', 'leak.css'));
    symlinkSync(join(outside, 'zhang.svg'), join(dir, 'images', 'link.svg'));
    const path = join(dir, caseRel);
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n![链接到外面的图](../../images/link.svg)\n`);
    const server = await start(dir);
    const font = /url\("(\/fonts\/subset\/NotoSansSC_500Medium-[0-9a-f]{16}\.ttf)"\)/.exec(await (await fetch(server.url)).text());
    const ok = ['/', '/files/images/zhang.svg', '/template/screen.css', '/template/book.css', font![1]!];
    for (const target of ok) expect((await rawGet(server.url, target)).status, target).toBe(200);
    const denied = [
      '/../huibian.yaml',
      '/%2e%2e/huibian.yaml',
      '/%2E%2E%2Fhuibian.yaml',
      '/files/../huibian.yaml',
      '/files/..%2fhuibian.yaml',
      '/files/images%2fzhang.svg',
      '/files/images/./zhang.svg',
      '/files//images/zhang.svg',
      '/files/huibian.yaml',
      `/files/${caseRel}`,
      '/files/images/link.svg', // referenced by the case, but a symlink out of the root
      '/files/images/missing.svg',
      '/template/leak.css', // a symlink out of the template folder
      '/template/book.liquid', // templates are not assets
      '/template/..%5c..%5chuibian.yaml',
      '/template/%2e%2e/%2e%2e/huibian.yaml',
      '/fonts/subset/../../package.json',
      '/fonts/subset/%2e%2e%2f%2e%2e%2fpackage.json',
      '/fonts/subset/%2e%2e/package.json',
      '/fonts/unknown/x.woff2',
      `/${join(dir, 'huibian.yaml')}`,
      `/${encodeURIComponent(join(dir, 'huibian.yaml'))}`,
      '//etc/passwd',
      '/etc/passwd',
      '/huibian.yaml',
      `/${caseRel}`,
      '/events/',
      '/case.pdf/x',
      '/%00',
      '/%zz',
      `http://127.0.0.1/../huibian.yaml`,
      '*',
    ];
    for (const target of denied) {
      const answer = await rawGet(server.url, target);
      expect(answer.status, target).toBe(404);
      expect(answer.body.toString(), target).not.toContain('不应被预览服务读出');
    }
    // Another host name pointing at 127.0.0.1 (DNS rebinding) is not answered; nor is anything but GET and HEAD.
    expect((await rawGet(server.url, '/', { Host: 'evil.example' })).status).toBe(404);
    expect((await rawGet(server.url, '/', {}, 'POST')).status).toBe(405);
    expect((await rawGet(server.url, '/', {}, 'HEAD')).status).toBe(200);
  });

  it('refuses suspicious request paths before looking at the disk', () => {
    expect(pathSegments('/')).toEqual([]);
    expect(pathSegments('/files/images/%E5%9B%BE.png?v=3')).toEqual(['files', 'images', '图.png']);
    for (const target of ['', 'files/x', '/a/../b', '/a/%2E%2e/b', '/a%2fb', '/a%5Cb', '/a\\b', '/a//b', '/./a', '/a/%00', '/%E5%9B']) {
      expect(pathSegments(target), target).toBeUndefined();
    }
  });

  it('stops cleanly when its signal aborts: open event streams end and the port is closed', async () => {
    const { dir } = copyOfFixture();
    const server = await start(dir);
    const port = Number(new URL(server.url).port);
    const events = openEvents(server.url, 'x.0');
    await events.connected;
    await events.update(() => true, 5000); // an old version is caught up at once
    const result = await server.stop();
    expect(result.exitCode).toBe(0);
    expect(server.log()).toContain('预览已停止。');
    await expect.poll(() => events.ended(), { timeout: 2000 }).toBe(true);
    await expect(fetch(server.url)).rejects.toThrow();
    // The port is free again.
    await new Promise<void>((resolve, reject) => {
      const probe = createServer().once('error', reject);
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });

  it('reports a port in use, a missing file and a missing config with exit code 2', async () => {
    const { dir } = copyOfFixture();
    const first = await start(dir);
    const port = Number(new URL(first.url).port);
    const sink = () => new Writable({ write: (_c, _e, done) => done() });
    const streams = { stdout: sink(), stderr: sink() };
    const busy = await preview({ cwd: dir, file: caseRel, port, streams, signal: AbortSignal.timeout(10_000) });
    expect(busy.exitCode).toBe(2);
    expect(busy.problem).toBe(`端口 ${port} 已被占用；请换一个端口（--port），或不指定端口，由 huibian 自选一个空闲端口`);
    const missing = await preview({ cwd: dir, file: 'cases/nope.md', streams });
    expect(missing).toMatchObject({ exitCode: 2, problem: '案例文件“cases/nope.md”不存在' });
    const orphan = mkdtempSync(join(tmpdir(), 'huibian-preview-orphan-'));
    temps.push(orphan);
    writeFileSync(join(orphan, 'x.md'), '# x\n');
    const noConfig = await preview({ cwd: orphan, file: 'x.md', streams });
    expect(noConfig.exitCode).toBe(2);
    expect(noConfig.problem).toMatch(/^未找到 huibian\.yaml/);
  });
  it('prints /case.pdf through the same print path as compile, cached until the next change', async () => {
    const { dir } = copyOfFixture();
    const server = await start(dir, { debounceMs: 10 });
    const pdfUrl = new URL('/case.pdf', server.url);
    const t0 = performance.now();
    const first = await fetch(pdfUrl);
    const firstMs = performance.now() - t0;
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/pdf');
    expect(first.headers.get('content-disposition')).toBe("inline; filename*=UTF-8''yibenzhang.pdf");
    const bytes = Buffer.from(await first.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const file = join(dir, 'first.pdf');
    writeFileSync(file, bytes);
    expect(squash(pageTexts(file).join(''))).toContain(squash('党建业务“一本账”'));
    expect(fonts(file).filter((r) => r.type === 'Type 3')).toEqual([]);
    // Asked again before any change: the cached print, not a new browser run.
    const t1 = performance.now();
    const again = Buffer.from(await (await fetch(pdfUrl)).arrayBuffer());
    expect(performance.now() - t1).toBeLessThan(Math.min(1000, firstMs / 2));
    expect(again.equals(bytes)).toBe(true);
    // After a save the next request prints the new text.
    const events = openEvents(server.url, knownOf(await (await fetch(server.url)).text()));
    await events.connected;
    const path = join(dir, caseRel);
    saveByRename(path, readFileSync(path, 'utf8').replace('每季度对账一次', '每月对账一次'));
    await events.update((e) => e.body.includes('每月对账一次'));
    writeFileSync(file, Buffer.from(await (await fetch(pdfUrl)).arrayBuffer()));
    expect(squash(pageTexts(file).join(''))).toContain('每月对账一次');
    events.close();
  });
});

describe('preview page in Chromium', () => {
  it('swaps the new content in place, without reloading, keeping the scroll position', async () => {
    const lookup = locateBrowser(undefined, process.env);
    expect(lookup.found, 'Chromium is installed on this machine').toBe(true);
    if (!lookup.found) return;
    const { dir } = copyOfFixture();
    const path = join(dir, caseRel);
    // Long enough to scroll.
    const filler = Array.from({ length: 40 }, (_, i) => `第 ${i + 1} 段：党员在重点任务中带头攻坚，群众满意度逐年提高。`).join('\n\n');
    writeFileSync(path, `${readFileSync(path, 'utf8')}\n${filler}\n`);
    const server = await start(dir, { debounceMs: 10 });
    const browser = await puppeteer.launch({ executablePath: lookup.executablePath, headless: true, args: chromiumArgs, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (e) => problems.push(String(e)));
      page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
      await page.setViewport({ width: 1000, height: 700 });
      await page.goto(server.url, { waitUntil: 'load' });
      await page.waitForFunction(() => document.documentElement.dataset.huibianVersion === '1');
      await page.evaluate(() => {
        (window as unknown as { marker: string }).marker = 'same page';
        window.scrollTo(0, 900);
      });
      const before = await page.evaluate(() => window.scrollY);
      expect(before).toBe(900);
      saveByRename(path, readFileSync(path, 'utf8').replace('第 30 段：', '第 30 段（已修改）：'));
      await page.waitForFunction(() => document.body.textContent!.includes('第 30 段（已修改）'), { timeout: 15_000 });
      const after = await page.evaluate(() => ({
        scrollY: window.scrollY,
        marker: (window as unknown as { marker?: string }).marker,
        version: document.documentElement.dataset.huibianVersion,
        time: document.getElementById('huibian-preview-time')?.textContent,
      }));
      expect(after).toMatchObject({ scrollY: 900, marker: 'same page', version: '2' });
      expect(after.time).toMatch(/^已更新 \d{2}:\d{2}:\d{2}$/);
      // Break the file: the error view replaces the bar, the page stays the same page.
      saveByRename(path, readFileSync(path, 'utf8').replace('sector: agency', 'sector: 国营企业'));
      await page.waitForSelector('#huibian-preview.hp-broken .hp-problem', { timeout: 15_000 });
      expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same page');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('huibian preview (CLI)', () => {
  it('prints the URL, opens it with the system opener, and stops on Ctrl-C with exit code 0, closing the PDF browser', async () => {
    const { dir } = copyOfFixture();
    // A stand-in for xdg-open that records the URL it was asked to open. It writes a temporary file and renames it,
    // so the file appears with its content (a shell's `>` creates it empty first, which a poll can catch).
    const binDir = join(dir, '..', 'bin');
    mkdirSync(binDir);
    const opened = join(dir, '..', 'opened.txt');
    writeFileSync(join(binDir, 'xdg-open'), `#!/bin/sh\necho "$1" > "${opened}.tmp" && mv "${opened}.tmp" "${opened}"\n`, { mode: 0o755 });
    const child = spawn(process.execPath, [bin, 'preview', caseRel, '--open'], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: '1', PATH: `${binDir}:${process.env.PATH}` },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => /预览地址：(http:\/\/127\.0\.0\.1:\d+\/)/.exec(stdout)?.[1], { timeout: 30_000 }).toBeTruthy();
    const url = /预览地址：(\S+)/.exec(stdout)![1]!;
    expect(stdout).toBe(`预览地址：${url}\n按 Ctrl-C 停止。\n`);
    await expect.poll(() => existsSync(join(dir, '..', 'opened.txt')), { timeout: 10_000 }).toBe(true);
    expect(readFileSync(join(dir, '..', 'opened.txt'), 'utf8')).toBe(`${url}\n`);
    // Ask for the PDF, and interrupt while Chromium is printing it.
    void fetch(new URL('/case.pdf', url)).catch(() => undefined);
    await expect.poll(() => browsersUnder(child.pid!).length, { timeout: 30_000 }).toBeGreaterThan(0);
    const browsers = browsersUnder(child.pid!);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toContain('预览已停止。\n');
    for (const pid of browsers) expect(alive(pid), `Chromium ${pid} was closed`).toBe(false);
  });

  it('warns, and keeps serving, when the system opener is missing', async () => {
    const { dir } = copyOfFixture();
    const server = await start(dir, { open: true, platform: 'linux' });
    await expect.poll(() => server.log(), { timeout: 10_000 }).toContain('警告：无法打开浏览器（');
    expect((await fetch(server.url)).status).toBe(200);
  });
});

/** Chromium processes descended from `root` (the CLI), read from /proc. */
function browsersUnder(root: number): number[] {
  const parent = new Map<number, number>();
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  for (const pid of parent.keys()) {
    let p: number | undefined = pid;
    while (p && p !== root && p !== 1) p = parent.get(p);
    if (p !== root || pid === root || !alive(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('chrom')) found.push(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    // A zombie has exited; only its parent's bookkeeping remains.
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('huibian preview --once (CLI)', () => {
  function huibian(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, 'preview', ...args], { cwd, env: { ...process.env, NO_COLOR: '1', SOURCE_DATE_EPOCH: '1780000000' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += c));
      child.stderr.on('data', (c) => (stderr += c));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('writes the case’s HTML and a PDF that poppler reads: text present, fonts embedded, no Type 3', async () => {
    const { dir } = copyOfFixture();
    const run = await huibian(dir, [caseRel, '--once', '--out', 'preview-out', '--pdf']);
    expect(run.stderr).toContain('已写出：\n  preview-out/yibenzhang.html\n  preview-out/yibenzhang.pdf\n');
    expect(run.code).toBe(0);
    const html = readFileSync(join(dir, 'preview-out', 'yibenzhang.html'), 'utf8');
    expect(html).toContain('<h2 class="case-title">党建业务“一本账”</h2>');
    // The web target, like compile's HTML: self-contained, with the template folder's screen.css.
    expect(html).toContain('.case-title { letter-spacing: .05em; }');
    expect(html).not.toContain('file://');
    const pdf = join(dir, 'preview-out', 'yibenzhang.pdf');
    const text = squash(pageTexts(pdf).join('\n'));
    for (const expected of ['党建业务“一本账”', '某区政务服务管理局机关党委', '工作机制：六个引领工作法', '三、工作成效', '群众满意度逐年提高']) {
      expect(text).toContain(squash(expected));
    }
    const rows = fonts(pdf);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.type === 'Type 3')).toEqual([]);
    expect(rows.every((r) => r.embedded)).toBe(true);
    const meta = info(pdf);
    expect(meta.Title).toBe('党建业务“一本账”');
    expect(meta['Page size']).toMatch(/^524\.4\d* x 737\.0\d* pts/);
  });

  it('exits 1 and writes nothing for a case that cannot be rendered; 2 for flags that need --once', async () => {
    const { dir } = copyOfFixture();
    const path = join(dir, caseRel);
    writeFileSync(path, readFileSync(path, 'utf8').replace('sector: agency', 'sector: 国营企业'));
    const broken = await huibian(dir, [caseRel, '--once', '--out', 'preview-out']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('未知的领域“国营企业”');
    expect(broken.stderr).toContain('huibian：案例有错误，无法排版，未写出文件');
    expect(existsSync(join(dir, 'preview-out'))).toBe(false);
    const usage = await huibian(dir, [caseRel, '--pdf']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('huibian：--out 和 --pdf 只能与 --once 一起使用\n');
  });
});
