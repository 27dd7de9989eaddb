// Hostile content stays inert and files stay confined: one compile of test/fixtures/hostile/content to HTML and PDF,
// every hostile URL pointing at a loopback HTTP server that must see no request, and a secret file outside the
// root that must not reach the output by any path (relative, absolute, symlink, file://).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile, lint, type CompileResult } from '../src/index.js';

const fixture = fileURLToPath(new URL('./fixtures/hostile/content/', import.meta.url));
const marker = 'SECRET-MARKER-5b1e0c';
// A real PNG would be embedded as base64: the file's bytes are the marker, so the check covers both forms.
const secretBytes = Buffer.from(`${marker} this file lies outside the compilation root`);

let base: string;
let root: string;
let server: Server;
let port: number;
const hits: string[] = [];
let linted: Awaited<ReturnType<typeof lint>>;
let result: CompileResult;
let html: string;
let pdf: Buffer;
let pdfText: string;

/** Copy the fixture with the port and the secret folder filled in. */
function prepare(): void {
  cpSync(fixture, root, { recursive: true });
  for (const rel of ['huibian.yaml', 'preface.md', 'cases/agency/hostile.md']) {
    const path = join(root, rel);
    writeFileSync(path, readFileSync(path, 'utf8').replaceAll('{{PORT}}', String(port)).replaceAll('{{SECRET}}', base));
  }
  writeFileSync(join(base, 'secret.png'), secretBytes);
  writeFileSync(join(base, 'secret.txt'), secretBytes);
  symlinkSync(join(base, 'secret.png'), join(root, 'cases', 'images', 'link.png'));
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'huibian-security-'));
  root = join(base, 'book');
  // Loopback only: the server exists to count requests the book must never make.
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.end('x');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  prepare();
  linted = await lint({ cwd: root });
  result = await compile({ cwd: root, env: { SOURCE_DATE_EPOCH: '1790000000' } });
  html = readFileSync(join(root, 'out', 'book.html'), 'utf8');
  pdf = readFileSync(join(root, 'out', 'book.pdf'));
  pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', join(root, 'out', 'book.pdf'), '-'], { encoding: 'utf8' });
}, 240_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(base, { recursive: true, force: true });
});

describe('hostile content', () => {
  it('compiles (the hostile parts only cost warnings)', () => {
    expect(result.exitCode).toBe(0);
    expect(result.pages).toBeGreaterThan(0);
  });

  it('leaves no script, handler, frame, object, meta, base, link, form or remote style in the HTML', () => {
    // The book's content: nothing of these at all.
    const content = html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    for (const bad of [/<script/i, /\son[a-z]+\s*=/i, /javascript:/i, /data:text\/html/i, /<iframe/i, /<object/i, /<embed/i, /<meta http-equiv/i, /<base/i, /<link/i, /<form/i, /<input/i, /<video/i, /<audio/i, /<picture/i, /<source/i, /<svg/i, /srcset/i, /@import/i, /url\(\s*["']?http/i, /\sstyle=/i, /\sbackground=/i, /\sposter=/i]) {
      expect(content, String(bad)).not.toMatch(bad);
    }
    // The web edition around it (issue 16): its own search form and filter boxes, and its own two scripts — the
    // data as JSON (not run) and web.js, the only script the page's Content-Security-Policy lets run, by its hash.
    const body = html.slice(html.indexOf('<body'));
    for (const bad of [/\son[a-z]+\s*=/i, /javascript:/i, /data:text\/html/i, /<iframe/i, /<object/i, /<embed/i, /<meta/i, /<base/i, /<link/i, /<video/i, /<audio/i, /<picture/i, /<source/i, /<svg/i, /srcset/i, /@import/i, /url\(\s*["']?http/i, /\sstyle=/i, /\sbackground=/i, /\sposter=/i]) {
      expect(body, String(bad)).not.toMatch(bad);
    }
    expect(body.match(/<script[^>]*>/gi)).toEqual(['<script type="application/json" id="huibian-data">', '<script>']);
    expect(body.match(/<form[^>]*>/gi)).toEqual(['<form class="search" role="search" id="search-form" action="#">']);
    expect(new Set(body.match(/<input type="[a-z]+"/gi))).toEqual(new Set(['<input type="search"', '<input type="checkbox"']));
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; img-src data:; style-src &#39;unsafe-inline&#39;; script-src &#39;sha256-[A-Za-z0-9+/=]+&#39;;/);
    // The head holds only our own <style>; nothing from the config escaped its string.
    const head = html.slice(0, html.indexOf('<body'));
    expect(head).not.toMatch(/<script|<img/i);
    expect((head.match(/<style/g) ?? []).length).toBe(1);
    expect((head.match(/<meta http-equiv/g) ?? []).length).toBe(1);
  });

  it('names the test server only as text, in the one plain link, or inside a CSS string', () => {
    const attributes = [...html.matchAll(new RegExp(`\\s[a-z-]+\\s*=\\s*["']?http://127\\.0\\.0\\.1:${port}[^"'\\s>]*`, 'gi'))].map((m) => m[0].trim());
    expect(attributes).toEqual([`href="http://127.0.0.1:${port}/plain-link`]);
    // The hostile font name keeps its quotes escaped, so its @import stays text inside the CSS string.
    expect(html).toContain(`"宋体\\22 );} @import url(http://127.0.0.1:${port}/font.css); x{font-family:(\\22 "`);
    expect(html.match(/url\(\s*["']?http/gi)).toHaveLength(1);
    expect(html).toContain('<title>敌意内容测试&lt;/title&gt;&lt;script&gt;');
  });

  it('makes no network request while printing the PDF', () => {
    expect(hits).toEqual([]);
  });

  it('has no JavaScript action in the PDF', () => {
    expect(pdf.includes('/JavaScript')).toBe(false);
    expect(pdf.includes('/JS ')).toBe(false);
    expect(pdf.toString('latin1')).not.toMatch(/javascript:/i);
  });
});

describe('confinement to the compilation root', () => {
  it('lint refuses every image path that leaves the root, with a position', () => {
    const file = linted.files.find((f) => f.path.endsWith('hostile.md'))!;
    const images = file.messages.filter((m) => m.ruleId === 'image-path').map((m) => `${m.place && 'start' in m.place ? m.place.start.line : 0} ${m.reason}`);
    expect(images).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\d+ 图片“\.\.\/\.\.\/\.\.\/secret\.png”在汇编根目录之外/),
        expect.stringMatching(/^\d+ 图片“\/.*\/secret\.png”在汇编根目录之外/),
        expect.stringMatching(/^\d+ 图片“\.\.\/images\/link\.png”是指向汇编根目录之外的链接/),
        expect.stringMatching(/^\d+ 图片路径“file:\/\/.*”不是本地文件/),
        expect.stringMatching(/^\d+ 图片“(\.\.\/)+etc\/passwd”在汇编根目录之外/),
      ]),
    );
    expect(images.every((m) => !m.startsWith('0 '))).toBe(true);
    // The Markdown image and an <img> whose src is written with character references, after a `>` in a quoted alt.
    expect(images.filter((m) => /^\d+ 图片“\.\.\/\.\.\/\.\.\/secret\.png”在汇编根目录之外/.test(m))).toHaveLength(2);
  });

  it('lint refuses links that leave the root or name a local file', () => {
    const file = linted.files.find((f) => f.path.endsWith('hostile.md'))!;
    const links = file.messages.filter((m) => m.ruleId === 'link-path').map((m) => m.reason);
    expect(links).toEqual(
      expect.arrayContaining([
        '链接“../../../secret.txt”指向汇编根目录之外的本机文件，不予链接',
        expect.stringMatching(/^链接“file:\/\/.*secret\.txt”不是网页地址/),
        expect.stringMatching(/^链接“javascript:fetch/),
        expect.stringMatching(/^链接“data:text\/html/),
      ]),
    );
    // The Markdown link and an <a> whose href follows a `>` in a quoted title.
    expect(links.filter((m) => /^链接“file:\/\/.*secret\.txt”不是网页地址/.test(m))).toHaveLength(2);
  });

  it('never reads the secret into the HTML or the PDF', () => {
    for (const text of [html, pdf.toString('latin1'), pdfText]) {
      expect(text).not.toContain(marker);
      expect(text).not.toContain(secretBytes.toString('base64').slice(0, 24));
    }
    expect(html).not.toMatch(/root:x:0:0/);
    expect(pdfText).not.toMatch(/root:x:0:0/);
  });

  it('keeps no link to a local file in the HTML or the PDF', () => {
    expect(html).not.toMatch(/href="(\.\.\/|file:|\/)/);
    expect(pdf.toString('latin1')).not.toMatch(/\/URI\s*\(file:/);
    expect(pdf.toString('latin1')).not.toContain('secret.txt');
  });

  it('the PDF still shows the text around the refused images', () => {
    const flat = pdfText.replace(/\s+/g, '');
    expect(flat).toContain('正文开头');
    expect(flat).toContain('正文结尾');
    expect(readdirSync(join(root, 'out')).sort()).toEqual(['book.html', 'book.pdf']);
  });
});
