// `huibian import` against Word files that the `docx` package did not write: pandoc (its own and Chinese style
// names), LibreOffice (from HTML, through .odt, and as a Word 97 .doc) and 公文 pages typed with direct formatting
// (scripts/make-foreign-inbox.js). Each imported case is compared with the sample case it came from: title, unit and
// roster values, headings and paragraphs exactly, tables, images and footnotes kept — the thresholds of issue 11.
import { existsSync, mkdirSync, mkdtempSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { importCases, type ImportResult } from '../src/workflows/import.js';
import { makeForeignInbox, writers } from '../scripts/make-foreign-inbox.js';
import { writeRosters } from '../scripts/make-inbox.js';
import { compareCase, type Comparison } from './helpers/compare-case.js';
import { findSoffice } from '../src/import/libreoffice.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const soffice = findSoffice(undefined, process.env);
const hasPandoc = ['/usr/bin/pandoc', '/usr/local/bin/pandoc'].some((p) => existsSync(p));

type Doc = Awaited<ReturnType<typeof makeForeignInbox>>[number];

// No skipping: without LibreOffice or pandoc this fails and says what to install (scripts/setup.sh installs both).
describe('Word files from other writers', () => {
  let docs: Doc[];
  let dir: string;
  let result: ImportResult;
  const compared = new Map<Doc, Comparison>();

  beforeAll(async () => {
    expect(soffice, 'LibreOffice（soffice）未安装：运行 bash scripts/setup.sh').toBeTruthy();
    expect(hasPandoc, 'pandoc 未安装：运行 bash scripts/setup.sh').toBe(true);
    // FOREIGN_INBOX=DIR measures a whole inbox made by `node scripts/make-foreign-inbox.js DIR` (every case by every
    // writer); by default two cases per writer keep this to five LibreOffice starts (four to write, one to read .doc).
    const given = process.env.FOREIGN_INBOX;
    const inbox = given ?? mkdtempSync(join(tmpdir(), 'foreign-inbox-'));
    docs = given ? (JSON.parse(readFileSync(join(given, 'docs.json'), 'utf8')) as Doc[]) : await makeForeignInbox(inbox, { perWriter: 2 });
    await writeRosters(inbox, docs.map((d) => ({ ...d, name: d.name.replace(/\.doc$/, '.docx') })), { csv: '汇总表.csv' });
    dir = mkdtempSync(join(tmpdir(), 'foreign-book-'));
    copyFileSync(join(repo, 'huibian.yaml'), join(dir, 'huibian.yaml'));
    mkdirSync(join(dir, 'cases'));
    result = await importCases({ cwd: dir, inputs: [inbox], roster: join(inbox, '汇总表.csv'), writeReport: false });
    for (const d of docs) {
      const s = result.submissions.find((x) => basename(x.source) === d.name);
      const text = s?.output ? readFileSync(join(dir, s.output), 'utf8') : '';
      compared.set(d, compareCase(readFileSync(join(repo, d.source), 'utf8'), text));
    }
    const lines = writers.map((w) => {
      const rows = docs.filter((d) => d.writer === w).map((d) => compared.get(d)!);
      const sum = (k: keyof Comparison['counts']) => rows.reduce((n, r) => n + r.counts[k], 0);
      const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %（${a}/${b}）` : '—');
      return `${w.padEnd(16)} 标题/单位/汇总表 ${pct(sum('frontRight'), sum('front'))}  标题层级 ${pct(sum('headingsRight'), sum('headings'))}  段落 ${pct(sum('paragraphsRight'), sum('paragraphs'))}  表/图/注 ${sum('tablesKept')}/${sum('tables')} ${sum('imagesKept')}/${sum('images')} ${sum('footnotesKept')}/${sum('footnotes')}`;
    });
    if (process.env.FOREIGN_DETAIL) writeFileSync(process.env.FOREIGN_DETAIL, [...compared].map(([d, c]) => [d.writer, d.name, ...c.frontWrong, ...c.wrong].join('\n  ')).join('\n'));
    process.stdout.write(`${lines.join('\n')}\n`);
  }, 600_000);

  it('imports every file, from every writer', () => {
    expect(new Set(docs.map((d) => d.writer))).toEqual(new Set(writers));
    expect(result.submissions.filter((s) => s.status !== 'imported').map((s) => `${s.source}: ${s.reason}`)).toEqual([]);
  });

  it('gets every title, unit and roster value right', () => {
    for (const [d, c] of compared) expect(c.frontWrong, `${d.name}`).toEqual([]);
  });

  it('gets ≥ 98 % of headings and ≥ 97 % of paragraphs exactly right, and every table, image and footnote', () => {
    const all = [...compared.values()];
    const sum = (k: keyof Comparison['counts']) => all.reduce((n, r) => n + r.counts[k], 0);
    const wrong = [...compared].flatMap(([d, c]) => c.wrong.map((w) => `${d.writer} ${d.name}: ${w}`));
    expect(sum('headingsRight') / sum('headings'), wrong.join('\n')).toBeGreaterThanOrEqual(0.98);
    expect(sum('paragraphsRight') / sum('paragraphs'), wrong.join('\n')).toBeGreaterThanOrEqual(0.97);
    expect([sum('tablesKept'), sum('imagesKept'), sum('footnotesKept')]).toEqual([sum('tables'), sum('images'), sum('footnotes')]);
  });
});

describe('the comparison itself', () => {
  const source = readFileSync(join(repo, 'cases/agency/kewei-zgc.md'), 'utf8');

  it('finds a case equal to itself', () => {
    const c = compareCase(source, source);
    expect(c.wrong).toEqual([]);
    expect(c.frontWrong).toEqual([]);
    expect(c.counts.headingsRight).toBe(c.counts.headings);
    expect(c.counts.paragraphsRight).toBe(c.counts.paragraphs);
    expect(c.counts.tablesKept).toBe(1);
    expect(c.counts.imagesKept).toBe(0); // the sample's image is an SVG beside the case, not an imported PNG/JPEG
  });

  it('counts a heading at the wrong level, a lost list marker, a changed paragraph, a lost table and a wrong unit', () => {
    const broken = source
      .replace('unit: 中共北京市科学技术委员会', 'unit: 中共北京市')
      .replace('## 三、工作成效', '### 三、工作成效')
      .replace('1. **对表定账。**', '**对表定账。**')
      .replace('经过几年实践，', '经过几年实践')
      .replace(/^\|.*\n/gm, '')
      .replace('## 一、基本情况', '## 目录\n\n## 一、基本情况');
    const c = compareCase(source, broken);
    expect(c.frontWrong).toEqual(['unit: “中共北京市、中关村科技园区管理委员会机关委员会”，应为“中共北京市科学技术委员会、中关村科技园区管理委员会机关委员会”']);
    // The heading at the wrong level is missing once and extra once; 目录 is extra.
    expect(c.counts.headings - c.counts.headingsRight).toBe(3);
    // The changed paragraph, the item without its marker, and the table's 15 cells (5 rows of 3).
    expect(c.counts.paragraphs - c.counts.paragraphsRight).toBe(17 + 2);
    expect(c.wrong).toContain('多出的标题 ## 目录');
    expect(c.counts.tablesKept).toBe(0);
  });
});
