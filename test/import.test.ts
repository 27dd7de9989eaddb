// `huibian import` on the sample inbox (built from cases/ by scripts/make-inbox.js with the docx package): the cases
// lint with 0 errors and compile, the text equals what was written into Word paragraph for paragraph, every
// front-matter value says where it came from, re-import is byte-identical and nothing is overwritten without --force.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { importCases, type ImportResult } from '../src/workflows/import.js';
import { lint } from '../src/workflows/lint.js';
import { compile } from '../src/index.js';
import { makeInbox, readCase, sampleCases } from '../scripts/make-inbox.js';
import { findSoffice } from '../src/import/libreoffice.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** The sample cases write some sectors by label or alias; an imported case writes the key. */
const sectorKey: Record<string, string> = { 机关: 'agency', 国企: 'soe', 普通高等学校: 'university', 中小学校: 'school', 公立医院: 'hospital' };

type Doc = Awaited<ReturnType<typeof makeInbox>>[number];

let inbox: string;
let docs: Doc[];

/** A new book folder: the repository's huibian.yaml and an empty cases/. */
function book(): string {
  const dir = mkdtempSync(join(tmpdir(), 'import-book-'));
  copyFileSync(join(repo, 'huibian.yaml'), join(dir, 'huibian.yaml'));
  mkdirSync(join(dir, 'cases'));
  return dir;
}

function caseFor(dir: string, result: ImportResult, doc: Doc): string {
  const s = result.submissions.find((x) => basename(x.source) === doc.name)!;
  expect(s, doc.name).toBeDefined();
  return readFileSync(join(dir, s.output!), 'utf8');
}

/** The text of each paragraph-like line of a case body: headings, paragraphs, list items, table cells, image captions. */
function paragraphsOf(markdown: string): string[] {
  const body = markdown.replace(/^---\n[\s\S]*?\n---\n/, '');
  const out: string[] = [];
  for (const line of body.split('\n')) {
    if (!line.trim() || /^\[\^\w+\]: /.test(line) || /^\|[\s|:-]+\|$/.test(line)) continue;
    const image = /^!\[(.*)\]\(.*\)$/.exec(line);
    if (image) {
      out.push(image[1]!.replace(/\\([[\]\\])/g, '$1'));
      continue;
    }
    const cells = line.startsWith('|') ? line.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()) : [line.replace(/^#{1,6} |^- |^\d+\. /, '')];
    for (const c of cells) {
      out.push(
        c
          .replace(/\*\*/g, '')
          .replace(/\[\^\w+\]/g, '')
          .replace(/\[([^\]]*)\]\(<[^>]*>\)/g, '$1')
          .replace(/\\([\\`*_[\]<|.#>+-])/g, '$1'),
      );
    }
  }
  return out;
}

beforeAll(async () => {
  inbox = mkdtempSync(join(tmpdir(), 'import-inbox-'));
  docs = await makeInbox(inbox);
});

describe('the sample inbox, with a roster', () => {
  let dir: string;
  let result: ImportResult;
  beforeAll(async () => {
    dir = book();
    result = await importCases({ cwd: dir, inputs: [inbox], roster: join(inbox, '汇总表.csv') });
  });

  it('imports every document, covering the five submission styles', () => {
    expect(new Set(docs.map((d) => d.style))).toEqual(new Set(['gongwen', 'headings', 'wps', 'autonumber', 'halfwidth']));
    expect(result.submissions.map((s) => [basename(s.source), s.status, s.reason])).toEqual(docs.map((d) => [d.name, 'imported', undefined]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
    expect(result.exitCode).toBe(0);
    expect(result.roster?.messages).toEqual([]);
  });

  it('gives cases that lint with 0 errors', async () => {
    const linted = await lint({ cwd: dir });
    const errors = linted.files.flatMap((f) => f.messages.filter((m) => m.fatal).map((m) => `${f.path}:${m.line}: ${m.reason}`));
    expect(errors).toEqual([]);
    expect(linted.files).toHaveLength(docs.length);
  });

  it('keeps the text paragraph for paragraph, title and unit in the front-matter, not the body', () => {
    for (const doc of docs) {
      const text = caseFor(dir, result, doc);
      const [title, unit, ...body] = doc.expected;
      expect(text, doc.name).toContain(`title: ${title}\n`);
      expect(text, doc.name).toContain(`unit: ${unit}\n`);
      expect(paragraphsOf(text), `${doc.name} (${doc.style})`).toEqual(body);
    }
  });

  it('keeps the sample cases themselves: only the half-width paste differs from cases/', () => {
    for (const [i, path] of sampleCases().entries()) {
      const doc = docs[i]!;
      const source = readFileSync(path, 'utf8');
      const expected = paragraphsOf(source);
      const imported = paragraphsOf(caseFor(dir, result, doc));
      if (doc.style === 'halfwidth') {
        // Exactly one paragraph was pasted "from the web" with ASCII commas; putting them back gives the source.
        const differing = imported.filter((p, j) => p !== expected[j]);
        expect(differing).toHaveLength(1);
        expect(imported.map((p) => p.replace(/,(?=\p{Script=Han})/gu, '，').replace(/;(?=\p{Script=Han})/gu, '；').replace(/:(?=\p{Script=Han})/gu, '：'))).toEqual(expected);
      } else if (doc.style === 'gongwen') {
        // Typed list numbers stay in the text (1.对表定账…): they are the Word paragraph's own characters.
        expect(imported.map((p) => p.replace(/^\d+\./, ''))).toEqual(expected);
      } else expect(imported, doc.name).toEqual(expected);
    }
  });

  it('writes the roster values and the source file name into the front-matter', () => {
    for (const doc of docs) {
      const text = caseFor(dir, result, doc);
      const measures = ([] as number[]).concat(doc.front.measure);
      expect(text).toContain(`sector: ${sectorKey[doc.front.sector] ?? doc.front.sector}\n`);
      expect(text).toContain(`measure: ${measures.length === 1 ? measures[0] : `[${measures.join(', ')}]`}\n`);
      expect(text).toContain(`mechanism: ${doc.front.mechanism}\n`);
      expect(text).toContain(`source: ${doc.name}\n`);
      const s = result.submissions.find((x) => basename(x.source) === doc.name)!;
      expect(s.fields!.sector!.from).toBe('roster');
      expect(s.fields!.title!.from).toBe('document');
    }
  });

  it('keeps headings, footnotes, tables and images with their captions', () => {
    for (const [i, path] of sampleCases().entries()) {
      const source = readFileSync(path, 'utf8');
      const text = caseFor(dir, result, docs[i]!);
      const count = (t: string, re: RegExp) => (t.match(re) ?? []).length;
      expect(count(text, /^## /gm), docs[i]!.name).toBe(count(source, /^## /gm));
      expect(count(text, /^### /gm), docs[i]!.name).toBe(count(source, /^### /gm));
      expect(count(text, /^\[\^\d+\]: /gm)).toBe(count(source, /^\[\^\w+\]: /gm));
      expect(count(text, /^\|( --- \|)+$/gm)).toBe(count(source, /^\|(-+\|)+$/gm));
      const images = [...text.matchAll(/^!\[(图\d[^\]]*)\]\((images\/[^)]+\.(png|jpg))\)$/gm)];
      expect(images.length).toBe(count(source, /^!\[/gm));
      for (const m of images) expect(statSync(join(dir, 'cases', m[2]!)).size).toBeGreaterThan(100);
    }
  });

  it('maps every lint message back to the Word paragraph, and writes the intake report', () => {
    const half = result.submissions.find((s) => s.diagnostics?.some((d) => d.ruleId === 'text-punctuation-width'))!;
    const d = half.diagnostics!.find((x) => x.ruleId === 'text-punctuation-width')!;
    expect(d.paragraph).toBeGreaterThan(2);
    expect(d.paragraphText).toMatch(/,/);
    expect(d.line).toBeGreaterThan(8);
    const html = readFileSync(join(dir, 'out', '收件报告.html'), 'utf8');
    expect(html).toContain(`第 ${d.paragraph} 段`);
    expect(html).not.toMatch(/<script|src="http|href="http/);
    for (const doc of docs) expect(html).toContain(doc.front.unit.replace(/&/g, '&amp;'));
    expect(half.length).toBeGreaterThan(800);
    expect(half.sections?.missing).toEqual([]);
  });

  it('compiles to HTML and PDF unchanged', async () => {
    const compiled = await compile({ cwd: dir, formats: ['html', 'pdf'] });
    expect(compiled.exitCode).toBe(0);
    const html = readFileSync(join(dir, 'out', '案例汇编.html'), 'utf8');
    for (const doc of docs) expect(html).toContain(doc.expected[0]!.slice(0, 8));
    // The printed book, read back by poppler: every case's title, and the figures with their captions.
    const text = execFileSync('pdftotext', [join(dir, 'out', '案例汇编.pdf'), '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).replace(/\s+/g, '');
    for (const doc of docs) expect(text).toContain(doc.expected[0]!.replace(/\s+/g, '').slice(0, 8));
    expect((text.match(/图1/g) ?? []).length).toBeGreaterThanOrEqual(docs.filter((d) => d.expected.some((p) => p.startsWith('图1'))).length);
  });

  it('re-imports byte for byte, and skips existing cases without --force', async () => {
    const before = new Map(readdirSync(join(dir, 'cases')).filter((f) => f.endsWith('.md')).map((f) => [f, readFileSync(join(dir, 'cases', f))]));
    const again = await importCases({ cwd: dir, inputs: [inbox], roster: join(inbox, '汇总表.csv'), writeReport: false });
    expect(again.submissions.every((s) => s.status === 'skipped' && /已存在，未覆盖.*--force/.test(s.reason ?? ''))).toBe(true);
    expect(again.exitCode).toBe(0);
    // An edit the editor made survives a plain re-import.
    const first = [...before.keys()][0]!;
    writeFileSync(join(dir, 'cases', first), '编辑改过的文字\n');
    await importCases({ cwd: dir, inputs: [inbox], roster: join(inbox, '汇总表.csv'), writeReport: false });
    expect(readFileSync(join(dir, 'cases', first), 'utf8')).toBe('编辑改过的文字\n');
    const forced = await importCases({ cwd: dir, inputs: [inbox], roster: join(inbox, '汇总表.csv'), force: true, writeReport: false });
    expect(forced.submissions.every((s) => s.status === 'imported')).toBe(true);
    for (const [f, bytes] of before) expect(readFileSync(join(dir, 'cases', f)).equals(bytes), f).toBe(true);
  });
});

describe('front-matter sources', () => {
  it('takes sector, measure and mechanism from an .xlsx roster', async () => {
    const dir = book();
    const result = await importCases({ cwd: dir, inputs: [inbox], roster: join(inbox, '汇总表.xlsx'), writeReport: false });
    expect(result.exitCode).toBe(0);
    for (const s of result.submissions) {
      expect(s.fields!.measure!.from).toBe('roster');
      expect(s.fields!.mechanism!.from).toBe('roster');
      expect(s.fields!.unit!.from).toBe('roster');
    }
  });

  it('reports a file with no roster row and a roster row with no file', async () => {
    const dir = book();
    const { writeRosters } = await import('../scripts/make-inbox.js');
    const [first, ...rest] = docs;
    await writeRosters(join(dir), [...rest, { ...first!, name: '不存在的来稿.docx', front: { ...first!.front, unit: '不存在的单位' } }], { csv: '部分.csv' });
    const result = await importCases({ cwd: dir, inputs: [inbox], roster: join(dir, '部分.csv'), writeReport: false });
    const unmatched = result.submissions.find((s) => s.source.endsWith(first!.name))!;
    expect(unmatched.warnings!.join('\n')).toMatch(/汇总表中没有这个文件的行/);
    expect(unmatched.fields!.measure).toEqual({ from: 'missing' });
    expect(result.roster!.messages.map((m) => m.message).join('\n')).toMatch(/不存在的来稿.*没有对应的来稿文件/);
  });

  it('without a roster guesses the sector from the unit and leaves measure and mechanism for lint to ask', async () => {
    const dir = book();
    const result = await importCases({ cwd: dir, inputs: [inbox], writeReport: false });
    expect(result.exitCode).toBe(0);
    const hospital = result.submissions.find((s) => /朝阳医院/.test(s.source))!;
    expect(hospital.fields!.sector).toMatchObject({ value: 'hospital', from: 'guessed' });
    expect(hospital.fields!.sector!.because).toMatch(/医院/);
    expect(hospital.fields!.unit).toMatchObject({ from: 'document' });
    expect(hospital.fields!.measure).toEqual({ from: 'missing' });
    const text = readFileSync(join(dir, hospital.output!), 'utf8');
    expect(text).not.toMatch(/^measure:|^mechanism:/m);
    const linted = await lint({ cwd: dir, paths: [hospital.output!] });
    expect(linted.files[0]!.messages.filter((m) => m.ruleId === 'field-required').map((m) => m.reason).join('\n')).toMatch(/measure[\s\S]*mechanism|mechanism[\s\S]*measure/);
  });

  it('falls back to the file name for the unit, and reports a title it cannot find as missing', async () => {
    const dir = book();
    const { buildDocx } = await import('../scripts/make-inbox.js');
    const kase = readCase(sampleCases()[0]!);
    const { data } = await buildDocx(kase, 'gongwen');
    // The same document with its title and unit lines taken out: a paragraph-only file.
    const { Document, Packer, Paragraph, TextRun } = await import('docx');
    const plain = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun('这是一段没有标题的正文，只有一句话。')] })] }] }));
    mkdirSync(join(dir, 'in'));
    writeFileSync(join(dir, 'in', '某某街道工委.docx'), plain);
    writeFileSync(join(dir, 'in', 'full.docx'), data);
    const result = await importCases({ cwd: dir, inputs: ['in'], writeReport: false });
    const s = result.submissions.find((x) => x.source.endsWith('某某街道工委.docx'))!;
    expect(s.fields!.unit).toMatchObject({ value: '某某街道工委', from: 'file name' });
    expect(s.fields!.title).toEqual({ from: 'missing' });
    expect(s.fields!.sector).toMatchObject({ from: 'guessed' });
  });
});

describe('old formats through LibreOffice', () => {
  const soffice = findSoffice(undefined, process.env);
  it('imports a .doc that LibreOffice made from a sample .docx', async () => {
    expect(soffice, 'LibreOffice（soffice）未安装：运行 bash scripts/setup.sh').toBeTruthy();
    const dir = book();
    const doc = docs.find((d) => d.style === 'headings')!;
    const work = mkdtempSync(join(tmpdir(), 'import-doc-'));
    copyFileSync(join(inbox, doc.name), join(work, 'case.docx'));
    execFileSync(soffice!, ['--headless', `-env:UserInstallation=file://${work}/profile`, '--convert-to', 'doc', '--outdir', join(work, 'out'), join(work, 'case.docx')], { stdio: 'ignore', timeout: 120_000 });
    const result = await importCases({ cwd: dir, inputs: [join(work, 'out', 'case.doc')], writeReport: false });
    expect(result.submissions[0]).toMatchObject({ status: 'imported' });
    const text = readFileSync(join(dir, result.submissions[0]!.output!), 'utf8');
    const [title, unit, ...body] = doc.expected;
    expect(text).toContain(`title: ${title}`);
    expect(text).toContain(`unit: ${unit}`);
    expect(paragraphsOf(text)).toEqual(body);
  });

  it('says what to install when LibreOffice is not there', async () => {
    const dir = book();
    writeFileSync(join(dir, 'huibian.yaml'), `${readFileSync(join(dir, 'huibian.yaml'), 'utf8')}\nimport:\n  soffice: ${join(dir, 'no-such-soffice')}\n`);
    const ole = Buffer.alloc(1024);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    Buffer.from('WordDocument', 'utf16le').copy(ole, 600);
    writeFileSync(join(dir, 'old.doc'), ole);
    const result = await importCases({ cwd: dir, inputs: ['old.doc'], writeReport: false, env: { PATH: '' } });
    expect(result.exitCode).toBe(1);
    expect(result.submissions[0]!.reason).toMatch(/LibreOffice/);
  });
});
