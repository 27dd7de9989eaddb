// `huibian compile --format docx` checked by real readers: LibreOffice converts the .docx to PDF (poppler reads that),
// pandoc reads the .docx itself; plus the package's own XML (fields, bookmarks, settings) and reproducible bytes.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { unzipSync } from 'fflate';
import type { Nodes, PhrasingContent, Root } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseMarkdown } from '../src/case/parse.js';
import { buildCompilation } from '../src/compile/group.js';
import { defaultTemplateDir } from '../src/config/load.js';
import { buildDocument } from '../src/docx/index.js';
import { fixPackage, packageParts } from '../src/docx/package.js';
import { lint } from '../src/workflows/lint.js';
import { compile, type CompileResult } from '../src/index.js';
import { pageCssData } from '../src/render/page.js';
import { createEngine } from '../src/render/templates.js';
import { fonts, pageTexts, squash } from './helpers/pdf.js';

const fixture = fileURLToPath(new URL('./fixtures/compile/book/', import.meta.url));
const epoch = '1780000000';

interface FixtureCase {
  id: string;
  title: string;
  mdast: Root;
}

/** The fixture's published cases (not the draft), read straight from the files. */
function fixtureCases(root: string): FixtureCase[] {
  const dir = join(root, 'cases');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => {
      const mdast = parseMarkdown(readFileSync(join(dir, f), 'utf8'));
      const yaml = mdast.children.find((n) => n.type === 'yaml');
      const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(yaml && 'value' in yaml ? yaml.value : '')?.[1]?.trim();
      return { id: field('id') ?? f.replace(/^.*\/|\.md$/g, ''), title: field('title') ?? '', mdast, draft: field('draft') === 'true' };
    })
    .filter((c) => !c.draft);
}

/** Each paragraph's text in pieces: a footnote reference splits it (Word prints its number there). */
function paragraphPieces(mdast: Root): string[] {
  const pieces: string[] = [];
  const walk = (node: Nodes) => {
    if (node.type === 'footnoteDefinition' || node.type === 'table') return;
    if (node.type === 'paragraph') {
      if (node.children.length === 1 && node.children[0]!.type === 'image') return;
      let piece = '';
      const flush = () => {
        if (squash(piece)) pieces.push(squash(piece));
        piece = '';
      };
      const inline = (n: PhrasingContent) => {
        if (n.type === 'footnoteReference') flush();
        else if (n.type === 'image') piece += '';
        else if ('children' in n) n.children.forEach(inline);
        else piece += toString(n);
      };
      node.children.forEach(inline);
      flush();
      return;
    }
    if ('children' in node) (node.children as Nodes[]).forEach(walk);
  };
  walk(mdast);
  return pieces;
}

function unzipText(docx: Uint8Array): Map<string, string> {
  const files = unzipSync(docx);
  return new Map(Object.entries(files).filter(([n]) => /\.(xml|rels)$/.test(n)).map(([n, d]) => [n, new TextDecoder().decode(d)]));
}

async function buildDocx(root: string): Promise<{ result: CompileResult; path: string; bytes: Buffer }> {
  const result = await compile({ cwd: root, formats: ['docx'], env: { SOURCE_DATE_EPOCH: epoch } });
  const path = join(root, 'out', '测试汇编.docx');
  return { result, path, bytes: readFileSync(path) };
}

describe('compile --format docx', () => {
  let root: string;
  let docx: { result: CompileResult; path: string; bytes: Buffer };
  let pdfPages: string[];
  let pdfPath: string;
  let pandoc: { blocks: unknown[] };
  let cases: FixtureCase[];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'huibian-docx-'));
    cpSync(fixture, root, { recursive: true });
    cases = fixtureCases(root);
    docx = await buildDocx(root);
    const lo = mkdtempSync(join(tmpdir(), 'huibian-docx-lo-'));
    // A profile of its own: a user's running LibreOffice (or another test) cannot block or change this one.
    execFileSync('soffice', [`-env:UserInstallation=${pathToFileURL(join(lo, 'profile')).href}`, '--headless', '--convert-to', 'pdf', '--outdir', lo, docx.path], {
      stdio: 'ignore',
      timeout: 170_000,
    });
    pdfPath = join(lo, '测试汇编.pdf');
    pdfPages = pageTexts(pdfPath);
    pandoc = JSON.parse(execFileSync('pandoc', ['-f', 'docx', '-t', 'json', docx.path], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  });

  it('writes out/<name>.docx and nothing else', () => {
    expect(docx.result.exitCode).toBe(0);
    expect(docx.result.outputs).toEqual([docx.path]);
    expect(readdirSync(join(root, 'out'))).toEqual(['测试汇编.docx']);
  });

  it('LibreOffice prints every case title and every paragraph', () => {
    const heads = new Set(['测试案例汇编', '附录', '一、国有企业篇', '二、高校篇', '三、机关篇']);
    // Running heads and page numbers sit between the two halves of a paragraph that crosses a page: leave them out.
    const body = squash(
      pdfPages
        .flatMap((p) => p.split('\n'))
        .filter((l) => !heads.has(l.trim()) && !/^\s*(— )?\d+( —)?\s*$/.test(l))
        .join('\n'),
    );
    expect(cases.length).toBe(6);
    for (const c of cases) {
      expect(body, c.title).toContain(squash(c.title));
      const pieces = paragraphPieces(c.mdast);
      expect(pieces.length).toBeGreaterThan(3);
      for (const piece of pieces) expect(body, `${c.id}: ${piece}`).toContain(piece);
    }
  });

  it('the PDF LibreOffice makes has CJK fonts, all embedded', () => {
    const rows = fonts(pdfPath);
    expect(rows.some((r) => /CJK|SC|Song|Hei|Kai|Fang/i.test(r.name))).toBe(true);
    for (const row of rows) expect(row.embedded, row.name).toBe(true);
  });

  it('pandoc finds every heading level, the tables, the images and the footnotes', () => {
    const found = { headers: new Map<number, string[]>(), tables: 0, images: 0, notes: 0 };
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(walk);
      if (!node || typeof node !== 'object') return;
      const { t, c } = node as { t?: string; c?: unknown };
      if (t === 'Header') {
        const [level, , inlines] = c as [number, unknown, unknown[]];
        found.headers.set(level, [...(found.headers.get(level) ?? []), stringify(inlines)]);
      }
      if (t === 'Table') found.tables++;
      if (t === 'Image') found.images++;
      if (t === 'Note') found.notes++;
      if (c !== undefined) walk(c);
    };
    walk(pandoc.blocks);
    expect([...found.headers.keys()].sort()).toEqual(expect.arrayContaining([1, 2, 3, 4]));
    expect(found.headers.get(1)).toEqual(['一、国有企业篇', '二、高校篇', '三、机关篇', '附录']);
    for (const c of cases) expect(found.headers.get(2)!.map(squash)).toContain(squash(c.title));
    const all = cases.map((c) => c.mdast);
    const count = (type: string) => all.reduce((n, m) => n + countNodes(m, type), 0);
    // The cases' tables, and the appendix's count table.
    expect(found.tables).toBe(count('table') + 1);
    expect(found.images).toBe(count('image'));
    expect(found.images).toBeGreaterThan(0);
    expect(found.notes).toBe(count('footnoteReference'));
    expect(found.notes).toBeGreaterThan(0);
  });

  it('has a case-<id> bookmark and a metadata line on each case, a TOC field that updates on open, PAGEREFs in the index', () => {
    const parts = unzipText(docx.bytes);
    const document = parts.get('word/document.xml')!;
    for (const c of cases) expect(document).toContain(`w:name="case-${c.id}"`);
    expect(document.match(/<w:pStyle w:val="HuibianCaseMeta"\/>/g)).toHaveLength(cases.length);
    expect(document).toMatch(/<w:instrText[^>]*>TOC \\h \\o &quot;1-2&quot;<\/w:instrText>/);
    for (const c of cases) expect(document).toMatch(new RegExp(`PAGEREF case-${c.id}\\b`));
    expect(parts.get('word/settings.xml')).toContain('<w:updateFields');
    expect(parts.get('word/settings.xml')).toContain('<w:mirrorMargins/>');
    expect(parts.get('word/settings.xml')).toContain('<w:evenAndOddHeaders/>');
    const styles = parts.get('word/styles.xml')!;
    expect(styles).toMatch(/w:styleId="Heading1"><w:name w:val="[Hh]eading 1"\/><w:aliases w:val="标题 1"\/>/);
    expect(styles).toContain('w:firstLineChars="200"');
    // Without lineRule LibreOffice takes a line height as exact, and an image in the paragraph is clipped to one line.
    for (const spacing of styles.match(/<w:spacing\b[^>]*\bw:line="[^>]*>/g) ?? []) expect(spacing).toContain('w:lineRule="auto"');
    const core = parts.get('docProps/core.xml')!;
    expect(core).toContain('<dc:title>测试案例汇编</dc:title>');
    expect(core).toContain('<dc:creator>测试编印单位</dc:creator>');
    expect(core).toContain('<dc:language>zh-CN</dc:language>');
    expect(core).toContain(`<dcterms:created xsi:type="dcterms:W3CDTF">${new Date(Number(epoch) * 1000).toISOString().replace('.000', '')}</dcterms:created>`);
  });

  it('page numbers start at 1 on the first part; the front matter has none', () => {
    const numbered = pdfPages.map((p) => /^\s*(\d+)\s*$/m.exec(p.trimEnd().split('\n').at(-1) ?? '')?.[1]);
    // The first case's page: the one with its metadata line (the 目录 and the index name the title too).
    const firstCase = pdfPages.findIndex((p) => squash(p).includes('工作机制：四融四促（市国资系统）'));
    expect(numbered.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    // The part's title page is page 1 (counted, not printed); its first case is page 2.
    expect(numbered[firstCase - 1]).toBeUndefined();
    expect(numbered[firstCase]).toBe('2');
  });

  it('gives the same bytes for the same input, in the same process and in a fresh copy', async () => {
    const again = await buildDocx(root);
    expect(Buffer.compare(again.bytes, docx.bytes)).toBe(0);
    const other = mkdtempSync(join(tmpdir(), 'huibian-docx-'));
    cpSync(fixture, other, { recursive: true });
    expect(Buffer.compare((await buildDocx(other)).bytes, docx.bytes)).toBe(0);
  });

  it('page.numberStyle: gongwen numbers the pages — 1 —', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huibian-docx-'));
    cpSync(fixture, dir, { recursive: true });
    const config = join(dir, 'huibian.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('  partsOnRight: true', '  partsOnRight: true\n  numberStyle: gongwen'));
    const built = await buildDocx(dir);
    expect(built.result.exitCode).toBe(0);
    const footers = [...unzipText(built.bytes)].filter(([n]) => /^word\/footer\d+\.xml$/.test(n)).map(([, x]) => x);
    const numbered = footers.filter((x) => x.includes('PAGE'));
    expect(numbered.length).toBeGreaterThan(0);
    for (const x of numbered) expect(x).toMatch(/— <\/w:t>.*PAGE.*<w:t[^>]*> —/s);
  });
});

function countNodes(node: Nodes, type: string): number {
  let n = node.type === type ? 1 : 0;
  if ('children' in node) for (const child of node.children as Nodes[]) n += countNodes(child, type);
  return n;
}

function stringify(inlines: unknown[]): string {
  return inlines
    .map((i) => {
      const { t, c } = i as { t: string; c?: unknown };
      if (t === 'Str') return c as string;
      if (t === 'Space' || t === 'SoftBreak') return ' ';
      if (Array.isArray(c)) return stringify(c.flat(2).filter((x) => x && typeof x === 'object' && 't' in (x as object)));
      return '';
    })
    .join('');
}

describe('page.numberStyle in the PDF', () => {
  it('prints — 1 — for gongwen and the bare number otherwise', () => {
    const css = (numberStyle: 'plain' | 'gongwen') =>
      createEngine([defaultTemplateDir]).renderFileSync(
        'page.css.liquid',
        pageCssData({ title: '书', fonts: { body: [], heading: [] }, page: { size: 'A4', margin: {}, partsOnRight: true, numberStyle } }, []),
      ) as string;
    expect(css('gongwen')).toContain('@bottom-center { content: "— " counter(page) " —";');
    expect(css('plain')).toContain('@bottom-center { content: counter(page);');
  });
});

describe('packaging', () => {
  it("gives the same bytes from docx's compiler as from unzipping what its Packer writes", async () => {
    const root = mkdtempSync(join(tmpdir(), 'huibian-docx-'));
    cpSync(fixture, root, { recursive: true });
    const linted = await lint({ cwd: root });
    const compilation = buildCompilation(linted.linted.flatMap((l) => (l.case ? [l.case] : [])), linted.config!);
    const metadata = { title: '书', keywords: [], language: 'zh-Hans', date: new Date(Number(epoch) * 1000) };
    const fixes = { date: metadata.date, language: 'zh-CN' };
    const fast = fixPackage(await packageParts((await buildDocument(compilation, { metadata })).document), fixes);
    const slow = fixPackage(await packageParts((await buildDocument(compilation, { metadata })).document, { viaZip: true }), fixes);
    expect(fast.length).toBeGreaterThan(10_000);
    expect(Buffer.compare(Buffer.from(fast), Buffer.from(slow))).toBe(0);
  });
});

describe('huibian compile --format docx (the CLI as a user runs it)', () => {
  it('writes the .docx, SVG images embedded, no warning', () => {
    const root = mkdtempSync(join(tmpdir(), 'huibian-docx-'));
    cpSync(fixture, root, { recursive: true });
    const bin = fileURLToPath(new URL('../bin/huibian.js', import.meta.url));
    // The bundled CLI runs in a vm script: what loads lazily there (the SVG renderer) must load by require.
    const run = spawnSync(process.execPath, [bin, 'compile', '--format', 'docx'], { cwd: root, encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: epoch } });
    expect(run.stderr).not.toContain('警告');
    expect(run.status).toBe(0);
    const parts = Object.keys(unzipSync(readFileSync(join(root, 'out', '测试汇编.docx'))));
    expect(parts.filter((p) => p.startsWith('word/media/') && p.endsWith('.svg')).length).toBe(3);
    expect(parts.filter((p) => p.startsWith('word/media/') && p.endsWith('.png')).length).toBe(3);
  });
});

describe('a picture that cannot be embedded', () => {
  it('leaves a visible placeholder, warns with the file, and the .docx is still written', async () => {
    const root = mkdtempSync(join(tmpdir(), 'huibian-docx-'));
    cpSync(fixture, root, { recursive: true });
    const file = join(root, 'cases', 'soe', 'shougang.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('## 二、主要做法', '![图9 不存在的图](../images/missing.png)\n\n## 二、主要做法'));
    // lint's image-path would stop the compile first; a user may have turned it off.
    writeFileSync(join(root, 'huibian.yaml'), `${readFileSync(join(root, 'huibian.yaml'), 'utf8')}rules:\n  image-path: off\n`);
    const built = await buildDocx(root);
    expect(built.result.exitCode).toBe(0);
    expect(built.result.warnings.join('\n')).toMatch(/shougang\.md：图片“\.\.\/images\/missing\.png”不存在或无法读取/);
    expect(unzipText(built.bytes).get('word/document.xml')).toContain('［图片未能嵌入：图9 不存在的图。图片“../images/missing.png”不存在或无法读取］');
  });
});

describe('fonts from huibian.yaml', () => {
  it('sets the configured faces for Latin and Chinese text, with 黑体 and 楷体 on the section headings as in 公文', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huibian-docx-'));
    cpSync(fixture, dir, { recursive: true });
    const config = join(dir, 'huibian.yaml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}fonts:\n  body: [仿宋_GB2312]\n  heading: [方正小标宋简体, 黑体, 楷体_GB2312]\n`);
    const built = await buildDocx(dir);
    expect(built.result.exitCode).toBe(0);
    const styles = unzipText(built.bytes).get('word/styles.xml')!;
    // The style's own rFonts, not the next style's.
    const fontsOf = (id: string) => new RegExp(`w:styleId="${id}"[^>]*>(?:(?!</w:style>).)*?<w:rFonts ([^>]*)/>`).exec(styles)?.[1];
    const faces = (face: string) => `w:ascii="${face}" w:cs="${face}" w:eastAsia="${face}" w:hAnsi="${face}"`;
    expect(fontsOf('Normal')).toBe(faces('仿宋_GB2312'));
    expect(fontsOf('Heading2')).toBe(faces('方正小标宋简体'));
    expect(fontsOf('Heading3')).toBe(faces('黑体'));
    expect(fontsOf('Heading4')).toBe(faces('楷体_GB2312'));
  });
});
