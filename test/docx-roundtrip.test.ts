// The round trip of a review: the sample book goes out as Word (`compile --format docx`) and comes back through
// `huibian import`, which recognises the book and writes each case back as its own file. The two features test each
// other: the cases' text equals the source paragraph for paragraph, and edits made to the .docx in between (a word
// changed, a paragraph added, tracked changes, a save by LibreOffice) come back in the right case and nowhere else.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Nodes, PhrasingContent } from 'mdast';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseMarkdown } from '../src/case/parse.js';
import { findMechanism, findSector } from '../src/case/taxonomy.js';
import { loadConfig, type ResolvedConfig } from '../src/config/load.js';
import { compile } from '../src/index.js';
import { intakeSummary } from '../src/import/report.js';
import { importCases, type ImportResult } from '../src/workflows/import.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

let root: string;
let config: ResolvedConfig;
let docx: Buffer;
/** The sample's cases by id: the file's path and text. */
const sources = new Map<string, { path: string; text: string }>();

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'roundtrip-book-'));
  for (const f of ['huibian.yaml', 'preface.md', 'cases']) cpSync(join(repo, f), join(root, f), { recursive: true });
  const loaded = await loadConfig({ cwd: root });
  if (!loaded.ok) throw new Error('the sample huibian.yaml does not load');
  config = loaded.config;
  const compiled = await compile({ cwd: root, formats: ['docx'], env: { SOURCE_DATE_EPOCH: '1780000000' } });
  expect(compiled.exitCode).toBe(0);
  docx = readFileSync(join(root, 'out', '案例汇编.docx'));
  for (const f of readdirSync(join(root, 'cases'), { recursive: true, encoding: 'utf8' })) {
    if (!f.endsWith('.md')) continue;
    const path = join(root, 'cases', f);
    const text = readFileSync(path, 'utf8');
    sources.set(String(frontMatter(text).id ?? basename(f, '.md')), { path, text });
  }
}, 120_000);

/** Import `bytes` (saved as `name`) into a new folder; the cases read back by id, and the run's result. */
async function importBook(bytes: Uint8Array, name = '审阅稿.docx'): Promise<{ result: ImportResult; dir: string; cases: Map<string, { path: string; text: string }> }> {
  const dir = mkdtempSync(join(root, 'back-'));
  writeFileSync(join(dir, name), bytes);
  const result = await importCases({ cwd: root, inputs: [join(dir, name)], to: join(dir, 'cases'), writeReport: false });
  const cases = new Map<string, { path: string; text: string }>();
  for (const s of result.submissions) {
    if (s.status !== 'imported') continue;
    const path = join(root, s.output!);
    cases.set(s.id!, { path, text: readFileSync(path, 'utf8') });
  }
  return { result, dir, cases };
}

function relativeToRoot(path: string): string {
  return path.slice(root.length + 1);
}

function frontMatter(text: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  return m ? (parseYaml(m[1]!) as Record<string, unknown>) : {};
}

interface Picture {
  alt: string;
  url: string;
}

/**
 * A case body as a list of blocks, one string each: `h2 text`, `p text`, `li1 text` / `li- text` (with the list's
 * depth), `tr cell | cell`, `img alt`. Bold is kept as `**…**`. Normalised, because the Markdown writer
 * legitimately writes them another way or Word does not keep them:
 * - `#` headings in the body count as `##` (the book sets both in 标题 3);
 * - a footnote reference is replaced by its note's text (the import numbers notes 1, 2 … in citing order);
 * - an image's path is left out (it is extracted beside the case; its bytes are compared separately);
 * - how a table's delimiter row is spelled (`|---|` or `| --- |`) does not show in the blocks.
 */
function blocksOf(text: string): { blocks: string[]; pictures: Picture[] } {
  const tree = parseMarkdown(text);
  const notes = new Map<string, string>();
  const pictures: Picture[] = [];
  const inline = (nodes: readonly PhrasingContent[] | readonly Nodes[]): string =>
    nodes
      .map((n: Nodes): string => {
        switch (n.type) {
          case 'text':
            return n.value;
          case 'strong':
            return `**${inline(n.children)}**`;
          case 'break':
            return '\n';
          case 'footnoteReference':
            return `[^${notes.get(n.identifier) ?? '?'}]`;
          case 'image':
            pictures.push({ alt: n.alt ?? '', url: n.url });
            return `![${n.alt ?? ''}]`;
          case 'inlineCode':
            return n.value;
          default:
            return 'children' in n ? inline(n.children as Nodes[]) : 'value' in n ? String(n.value) : '';
        }
      })
      .join('');
  for (const n of tree.children) if (n.type === 'footnoteDefinition') notes.set(n.identifier, inline(n.children));
  const out: string[] = [];
  const walk = (n: Nodes, depth: number): void => {
    if (n.type === 'heading') out.push(`h${Math.max(2, n.depth)} ${inline(n.children)}`);
    else if (n.type === 'paragraph') out.push(`p ${inline(n.children)}`);
    else if (n.type === 'list') {
      n.children.forEach((item, i) => {
        for (const c of item.children) {
          if (c.type === 'paragraph') out.push(`li${depth}:${n.ordered ? (n.start ?? 1) + i : '-'} ${inline(c.children)}`);
          else walk(c, depth + 1);
        }
      });
    } else if (n.type === 'table') for (const row of n.children) out.push(`tr ${row.children.map((c) => inline(c.children)).join(' | ')}`);
    else if (n.type === 'yaml' || n.type === 'footnoteDefinition' || n.type === 'definition') return;
    else if ('children' in n) for (const c of n.children as Nodes[]) walk(c, depth);
  };
  walk(tree, 0);
  return { blocks: out.map((b) => b.replace(/^p !\[(.*)\]$/s, 'img $1')), pictures };
}

/** The front-matter values the book carries, as keys: what a case and its imported copy must agree on. */
function bookFields(text: string, fileId: string) {
  const f = frontMatter(text);
  return {
    title: f.title,
    unit: f.unit,
    sector: findSector(config, f.sector)?.key,
    measure: [f.measure].flat().map(Number),
    mechanism: findMechanism(config, f.mechanism)?.key,
    id: f.id ?? fileId,
  };
}

describe('export, then import: the book comes back as its cases', () => {
  let back: Awaited<ReturnType<typeof importBook>>;
  beforeAll(async () => {
    back = await importBook(docx);
  }, 60_000);

  it('writes one file per case, in its sector folder, and nothing for the cover, 前言, 目录 or 附录', () => {
    expect(back.result.exitCode).toBe(0);
    expect([...back.cases.keys()].sort()).toEqual([...sources.keys()].sort());
    for (const [id, c] of back.cases) expect(c.path).toBe(join(back.dir, 'cases', String(frontMatter(c.text).sector), `${id}.md`));
    const all = [...back.cases.values()].map((c) => c.text).join('\n');
    for (const notCase of ['前言', '目录', '按举措索引', '各领域案例数统计', config.title]) expect(all).not.toContain(notCase);
     expect(intakeSummary(back.result)).toContain(`共 1 个文件、${sources.size} 个案例：导入 ${sources.size} 个，跳过 0 个，失败 0 个。`);
  });

  it('gives each case its front-matter back: title, unit, sector, measures, mechanism, id', () => {
    for (const [id, source] of sources) {
      const imported = back.cases.get(id)!;
      expect(bookFields(imported.text, id), id).toEqual(bookFields(source.text, basename(source.path, '.md')));
      expect(frontMatter(imported.text).source).toBe('审阅稿.docx');
    }
  });

  it('gives each case its body back paragraph for paragraph: headings, bold, lists, tables, captions, footnotes', () => {
    let blocks = 0;
    for (const [id, source] of sources) {
      const expected = blocksOf(source.text).blocks;
      expect(blocksOf(back.cases.get(id)!.text).blocks, id).toEqual(expected);
      blocks += expected.length;
    }
    // The sample has every kind of block; make sure they were all there to compare.
    const kinds = new Set([...sources.values()].flatMap((s) => blocksOf(s.text).blocks.map((b) => b.replace(/[ :].*$/s, ''))));
    expect([...kinds].sort()).toEqual(['h2', 'h3', 'img', 'li0', 'p', 'tr']);
    expect(blocks).toBeGreaterThan(300);
    expect([...sources.values()].some((s) => /\[\^\w+\]/.test(s.text))).toBe(true);
  });

  it('extracts each picture as the original file (the SVG, not Word’s PNG stand-in)', () => {
    let n = 0;
    for (const [id, source] of sources) {
      const theirs = blocksOf(source.text).pictures;
      const ours = blocksOf(back.cases.get(id)!.text).pictures;
      expect(ours.map((p) => p.alt), id).toEqual(theirs.map((p) => p.alt));
      for (const [i, p] of ours.entries()) {
        expect(p.url).toBe(`images/${id}-${i + 1}.svg`);
        const original = readFileSync(resolve(dirname(source.path), theirs[i]!.url));
        expect(readFileSync(join(dirname(back.cases.get(id)!.path), p.url)).equals(original), `${id}: ${p.url}`).toBe(true);
        n++;
      }
    }
    expect(n).toBeGreaterThanOrEqual(5);
  });

  it('without --to writes the book to out/<its name>/, never into cases/', async () => {
    const result = await importCases({ cwd: root, inputs: [join(back.dir, '审阅稿.docx')], writeReport: false });
    expect(result.submissions.map((s) => s.output!.split('/').slice(0, 2).join('/'))).toEqual(Array(sources.size).fill('out/审阅稿'));
    for (const [id, source] of sources) expect(readFileSync(source.path, 'utf8'), id).toBe(readFileSync(join(repo, relativeToRoot(source.path)), 'utf8'));
    expect(readdirSync(join(root, 'cases'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'))).toHaveLength(sources.size);
  });

  it('is byte-identical when imported again, and does not overwrite a case without --force', async () => {
    const again = await importBook(docx);
    for (const [id, c] of back.cases) expect(again.cases.get(id)?.text, id).toBe(c.text);
    const third = await importCases({ cwd: root, inputs: [join(back.dir, '审阅稿.docx')], to: join(back.dir, 'cases'), writeReport: false });
    expect(third.submissions.every((s) => s.status === 'skipped')).toBe(true);
    expect(third.submissions[0]!.reason).toMatch(/已存在，未覆盖（确认要覆盖请加 --force）/);
  });
});

describe('a reviewed draft padded with spaces', () => {
  // Word users pad lines with spaces. The book reader took trailing whitespace off a title, unit or metadata line with
  // /\s+$/, which tries a long run from each of its spaces (quadratic), and the mechanism's name with worse.
  it('reads a title and a metadata line with 200,000 spaces in them, in seconds', async () => {
    // Before the fix this took 141 s here (42 s with 100,000).
    const run = ' '.repeat(200_000);
    const bytes = editDocument(docx, (xml) => {
      // The case's heading (the 目录 and the index name it too), and its metadata line.
      const title = /(w:name="case-reli-jituan"[^>]*\/><w:r><w:t xml:space="preserve">党员突击队)(守护万家温暖)/;
      expect(title.test(xml)).toBe(true);
      const meta = '">举措5　找准结合点、融入中心工作；举措7　组建党员先锋队、开展“揭榜挂帅”　工作机制：四融四促';
      expect(xml.split(meta).length).toBe(2);
      return xml.replace(title, `$1${run}$2`).replace(meta, meta.replace('工作机制：四融四促', `工作机制：${run}四融四促${run}`));
    });
    const started = performance.now();
    const back = await importBook(bytes);
    // The bound tells "linear" (under a second) from quadratic (minutes); the machine is often shared.
    expect(performance.now() - started).toBeLessThan(60_000);
    const meta = frontMatter(back.cases.get('reli-jituan')!.text);
    expect(meta.title).toBe(`党员突击队${run}守护万家温暖——某市属热力集团党委以“四融四促”保障冬季供热`);
    expect(meta.mechanism).toBe('四融四促');
  }, 120_000);
});

/** The document part of a .docx, edited by `edit`, packed again. */
function editDocument(bytes: Uint8Array, edit: (xml: string) => string): Uint8Array {
  const files = unzipSync(bytes);
  const before = strFromU8(files['word/document.xml']!);
  const after = edit(before);
  expect(after).not.toBe(before);
  files['word/document.xml'] = strToU8(after);
  return zipSync(files);
}

/** Replace `text` inside one w:t by `replacement` (runs or revision marks), splitting its run around it. */
function spliceRun(xml: string, text: string, replacement: string): string {
  expect(xml.split(text).length, text).toBe(2);
  const at = xml.indexOf(text);
  const runStart = xml.lastIndexOf('<w:r>', at);
  const tStart = xml.lastIndexOf('<w:t', at);
  expect(runStart).toBeGreaterThan(-1);
  const head = xml.slice(runStart, tStart); // <w:r> and its w:rPr, to repeat on the part after
  return `${xml.slice(0, at)}</w:t></w:r>${replacement}${head}<w:t xml:space="preserve">${xml.slice(at + text.length)}`;
}

const revision = (id: number) => `w:id="${id}" w:author="审稿人" w:date="2026-12-01T09:00:00Z"`;

describe('a reviewed draft: edits come back in the right case and nothing else changes', () => {
  let plain: Awaited<ReturnType<typeof importBook>>;
  let edited: Awaited<ReturnType<typeof importBook>>;
  const added = '审稿时补充：项目党支部每月向集团党委报告一次工作进展。';
  beforeAll(async () => {
    plain = await importBook(docx);
    const bytes = editDocument(docx, (xml) => {
      // A word changed in reli-jituan.
      let out = xml.replace('供热事关千家万户，', '供热关系千家万户，');
      // A paragraph added in jiangong-xiangmu, after its first body paragraph.
      const first = '人员流动性大。过去，一些项目存在党组织“建在公司、管不到项目”的问题：项目部党员隶属关系分散，组织生活难以正常开展，党建工作和施工生产“两张皮”。</w:t></w:r></w:p>';
      expect(out.split(first).length).toBe(2);
      out = out.replace(first, `${first}<w:p><w:r><w:t>${added}</w:t></w:r></w:p>`);
      // Tracked changes in uibe: a phrase deleted and another inserted, and a paragraph mark deleted (two paragraphs become one).
      out = spliceRun(
        out,
        '学校党委把这一思路写入学校的事业发展规划，',
        `<w:del ${revision(9001)}><w:r><w:delText>学校党委把这一思路写入学校的事业发展规划，</w:delText></w:r></w:del><w:ins ${revision(9002)}><w:r><w:t>学校党委据此修订了事业发展规划，</w:t></w:r></w:ins>`,
      );
      // A comment on uibe's first heading: not imported, counted.
      const heading = '一、基本情况</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">对外经济贸易大学';
      expect(out.split(heading).length).toBe(2);
      out = out.replace(heading, heading.replace('</w:t></w:r></w:p>', '</w:t></w:r><w:r><w:commentReference w:id="0"/></w:r></w:p>'));
      const merged = '对外经济贸易大学是一所以经济、管理、法律、外语等学科见长的高校';
      const p = out.lastIndexOf('<w:p>', out.indexOf(merged));
      out = `${out.slice(0, p)}<w:p><w:pPr><w:rPr><w:del ${revision(9003)}/></w:rPr></w:pPr>${out.slice(p + '<w:p>'.length)}`;
      return out;
    });
    edited = await importBook(bytes);
  }, 60_000);

  it('changes the word in reli-jituan, and only that paragraph', () => {
    const before = blocksOf(plain.cases.get('reli-jituan')!.text).blocks;
    const after = blocksOf(edited.cases.get('reli-jituan')!.text).blocks;
    const changed = after.flatMap((b, i) => (b !== before[i] ? [i] : []));
    expect(changed).toHaveLength(1);
    expect(after[changed[0]!]).toBe(before[changed[0]!]!.replace('供热事关千家万户', '供热关系千家万户'));
  });

  it('adds the paragraph in jiangong-xiangmu, after the paragraph it follows in Word', () => {
    const before = blocksOf(plain.cases.get('jiangong-xiangmu')!.text).blocks;
    const after = blocksOf(edited.cases.get('jiangong-xiangmu')!.text).blocks;
    const at = before.findIndex((b) => b.includes('“两张皮”。'));
    expect(after).toEqual([...before.slice(0, at + 1), `p ${added}`, ...before.slice(at + 1)]);
  });

  it('reads tracked changes as accepted (insertions kept, deletions dropped, a deleted paragraph mark joins) and says so', () => {
    const before = blocksOf(plain.cases.get('uibe')!.text).blocks;
    const after = blocksOf(edited.cases.get('uibe')!.text).blocks;
    const i = before.findIndex((b) => b.startsWith('p 对外经济贸易大学'));
    const joined = `${before[i]!}${before[i + 1]!.slice(2)}`.replace('学校党委把这一思路写入学校的事业发展规划，', '学校党委据此修订了事业发展规划，');
    expect(after).toEqual([...before.slice(0, i), joined, ...before.slice(i + 2)]);
    expect(after.join('\n')).not.toContain('学校党委把这一思路');
    const report = edited.result.submissions.find((s) => s.id === 'uibe')!;
    // Three: the deletion, the insertion and the deleted paragraph mark.
    expect(report.warnings).toContainEqual('本案例中有 3 处未处理的修订（插入、删除或移动），已按“接受全部修订”后的文字导入，请核对');
    expect(report.warnings).toContainEqual('本案例中有 1 条批注，批注不导入，请在 Word 中查看');
    // The other cases have no tracked changes and say nothing about them.
    for (const s of edited.result.submissions) if (s.id !== 'uibe') expect(s.warnings?.join() ?? '', s.id).not.toMatch(/修订|批注/);
  });

  it('leaves every other case byte for byte as it was', () => {
    for (const [id, c] of plain.cases) {
      if (['reli-jituan', 'jiangong-xiangmu', 'uibe'].includes(id)) continue;
      expect(edited.cases.get(id)?.text, id).toBe(c.text);
    }
  });

  it('leaves out a case whose title was deleted, and says so on the case before it, which stays as it was', async () => {
    const title = '党员突击队守护万家温暖——某市属热力集团党委以“四融四促”保障冬季供热';
    const bytes = editDocument(docx, (xml) => {
      const at = xml.indexOf('w:name="case-reli-jituan"');
      const start = xml.lastIndexOf('<w:p>', at);
      const end = xml.indexOf('</w:p>', at) + '</w:p>'.length;
      expect(xml.slice(start, end)).toContain(title);
      return xml.slice(0, start) + xml.slice(end);
    });
    const cut = await importBook(bytes);
    expect(cut.cases.has('reli-jituan')).toBe(false);
    expect(cut.cases.size).toBe(sources.size - 1);
    // In the book, reli-jituan follows shougang: shougang comes back whole and alone, with the warning.
    expect(cut.cases.get('shougang')!.text).toBe(plain.cases.get('shougang')!.text);
    const warning = cut.result.submissions.find((s) => s.id === 'shougang')!.warnings!.join('\n');
    expect(warning).toMatch(/第 \d+ 段“某市属热力集团党委”是另一个案例的单位一行，但它上面没有带书签（case-<id>）的案例标题/);
  });

  it('reads a document that only looks like a book (no 案例信息 line) as one submission, tracked changes accepted there too', async () => {
    const bytes = editDocument(docx, (xml) =>
      spliceRun(xml.replaceAll('<w:pStyle w:val="HuibianCaseMeta"/>', '<w:pStyle w:val="Normal"/>'), '供热事关千家万户，', `<w:del ${revision(9101)}><w:r><w:delText>供热事关千家万户，</w:delText></w:r></w:del>`),
    );
    const one = await importBook(bytes, '普通来稿.docx');
    expect(one.result.submissions).toHaveLength(1);
    const [s] = one.result.submissions;
    expect(s!.id).toBe('普通来稿');
    expect(s!.warnings).toContain('文档中有 1 处未处理的修订（插入、删除或移动），已按“接受全部修订”后的文字导入，请核对');
    const text = readFileSync(join(root, s!.output!), 'utf8');
    expect(text).not.toContain('供热事关千家万户');
    expect(text).toContain('是冬季最重要的民生工作之一');
  });
});

describe('saved by another program: LibreOffice opens the book and saves it again (docx → odt → docx)', () => {
  let saved: Awaited<ReturnType<typeof importBook>>;
  beforeAll(async () => {
    const lo = mkdtempSync(join(root, 'lo-'));
    const profile = `-env:UserInstallation=${pathToFileURL(join(lo, 'profile')).href}`;
    writeFileSync(join(lo, '案例汇编.docx'), docx);
    const run = (to: string, input: string, outDir: string) =>
      execFileSync('soffice', [profile, '--headless', '--convert-to', to, '--outdir', outDir, input], { stdio: 'pipe', timeout: 120_000 });
    run('odt', join(lo, '案例汇编.docx'), lo);
    mkdirSync(join(lo, 'again'));
    run('docx', join(lo, '案例汇编.odt'), join(lo, 'again'));
    saved = await importBook(readFileSync(join(lo, 'again', '案例汇编.docx')));
  }, 240_000);

  it('still finds every case (LibreOffice renames the style ids: found by their names) with its front-matter', () => {
    expect([...saved.cases.keys()].sort()).toEqual([...sources.keys()].sort());
    for (const [id, source] of sources) expect(bookFields(saved.cases.get(id)!.text, id), id).toEqual(bookFields(source.text, basename(source.path, '.md')));
  });

  it('gives the same paragraphs back (ordered lists LibreOffice restarts count on; pictures come back as its PNGs)', () => {
    for (const [id, source] of sources) {
      const c = saved.cases.get(id)!;
      expect(blocksOf(c.text).blocks, id).toEqual(blocksOf(source.text).blocks);
      for (const p of blocksOf(c.text).pictures) expect(readFileSync(join(dirname(c.path), p.url)).subarray(1, 4).toString()).toBe('PNG');
    }
  });
});
