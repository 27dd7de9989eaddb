// The .docx reader and the Markdown writer on small documents made with the docx package: Word numbering rendered,
// heading styles, 公文 run-in headings, title/subtitle/unit/date lines, soft breaks, runs, indents, lists, footnotes,
// a 目录 left out, bullets typed as characters.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AlignmentType, Document, FootnoteReferenceRun, HeadingLevel, ImageRun, LevelFormat, Packer, Paragraph, TextRun, type IParagraphOptions } from 'docx';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ResolvedConfig } from '../src/config/load.js';
import { readDocx } from '../src/import/docx.js';
import { chineseCounting, formatNumber } from '../src/import/numbering.js';
import { idFor, uniqueIds } from '../src/import/names.js';
import { caseFrom } from '../src/import/submission.js';
import { readMetaLine } from '../src/import/book.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
let config: ResolvedConfig;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-docx-'));
  copyFileSync(join(repo, 'huibian.yaml'), join(dir, 'huibian.yaml'));
  const loaded = await loadConfig({ cwd: dir });
  if (!loaded.ok) throw new Error('config');
  config = loaded.config;
});

const song = { eastAsia: '仿宋_GB2312' };
const hei = { eastAsia: '黑体' };
const kai = { eastAsia: '楷体_GB2312' };

/** Import paragraphs as a case; returns its text. */
async function imported(children: Paragraph[], extra: Partial<ConstructorParameters<typeof Document>[0]> = {}): Promise<string> {
  const data = await Packer.toBuffer(new Document({ ...extra, sections: [{ children }] }));
  return caseFrom(await readDocx(data), '来稿.docx', 'case', config).text;
}

const title = () => [
  new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: '融合案例的标题', size: 44 })] }),
  new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: '（某某大学党委）', size: 32 })] }),
];
const p = (text: string, opts: Partial<IParagraphOptions> = {}) => new Paragraph({ ...opts, children: [new TextRun({ text, font: song, size: 32 })] });

describe('numbering', () => {
  it('renders Chinese counting as Word shows it', () => {
    expect([1, 9, 10, 11, 19, 20, 21, 99, 100, 101, 110].map(chineseCounting)).toEqual(['一', '九', '十', '十一', '十九', '二十', '二十一', '九十九', '一百', '一百零一', '一百一十']);
    expect(formatNumber(3, 'decimalEnclosedCircle')).toBe('③');
    expect(formatNumber(4, 'upperRoman')).toBe('IV');
    expect(formatNumber(2, 'lowerLetter')).toBe('b');
  });

  it('puts 一、 and （一） from numbering.xml into the headings, restarting the inner level', async () => {
    const heads = {
      reference: 'h',
      levels: [
        { level: 0, format: LevelFormat.CHINESE_COUNTING, text: '%1、' },
        { level: 1, format: LevelFormat.CHINESE_COUNTING, text: '（%2）' },
      ],
    };
    const h = (text: string, level: number) => new Paragraph({ numbering: { reference: 'h', level }, children: [new TextRun({ text, font: level ? kai : hei })] });
    const text = await imported([...title(), h('基本情况', 0), p('正文。'), h('主要做法', 0), h('第一项', 1), p('正文。'), h('第二项', 1), h('工作成效', 0), h('再一项', 1)], { numbering: { config: [heads] } });
    expect(text.replace(/^---[\s\S]*?---\n\n/, '')).toBe('## 一、基本情况\n\n正文。\n\n## 二、主要做法\n\n### （一）第一项\n\n正文。\n\n### （二）第二项\n\n## 三、工作成效\n\n### （一）再一项\n');
  });

  it('a numbered list starts where its level sets, as Word shows it', async () => {
    const list = { reference: 'l', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', start: 3 }] };
    const text = await imported([...title(), p('正文。'), new Paragraph({ numbering: { reference: 'l', level: 0 }, text: '第三项内容较长，是一句完整的话。' })], { numbering: { config: [list] } });
    expect(text).toContain('\n3. 第三项内容较长，是一句完整的话。\n');
  });
});

describe('structure', () => {
  it('heading styles map to ## and ###, with the title style as the title', async () => {
    const text = await imported([
      new Paragraph({ heading: HeadingLevel.TITLE, text: '标题样式的标题' }),
      p('某某医院党委'),
      new Paragraph({ heading: HeadingLevel.HEADING_1, text: '基本情况' }),
      p('正文。'),
      new Paragraph({ heading: HeadingLevel.HEADING_2, text: '小标题' }),
    ]);
    expect(text).toMatch(/^title: 标题样式的标题\nunit: 某某医院党委\nsector: hospital\n/m);
    expect(text).toContain('\n## 基本情况\n\n正文。\n\n### 小标题\n');
  });

  it('a 公文 run-in heading: （一）加强领导。 in 楷体 becomes a heading, the rest a paragraph', async () => {
    const text = await imported([
      ...title(),
      new Paragraph({ children: [new TextRun({ text: '\u3000\u3000（一）加强领导。', font: kai }), new TextRun({ text: '学校党委把融合工作列入年度要点，书记亲自抓、负总责，班子成员各负其责。', font: song })] }),
    ]);
    expect(text).toContain('\n### （一）加强领导。\n\n学校党委把融合工作列入年度要点，书记亲自抓、负总责，班子成员各负其责。\n');
  });

  it('a bold line named like a usual section is a section heading, a bold sentence is not', async () => {
    const b = (text: string) => new Paragraph({ children: [new TextRun({ text, bold: true })] });
    const big = (text: string) => new Paragraph({ children: [new TextRun({ text, size: 36 })] });
    const text = await imported([...title(), b('基本情况'), p('正文。'), b('工作成效：'), b('这是一句加粗的话。'), big('经验启示')]);
    expect(text.replace(/^---[\s\S]*?---\n\n/, '')).toBe('## 基本情况\n\n正文。\n\n## 工作成效：\n\n**这是一句加粗的话。**\n\n## 经验启示\n');
  });

  it('typed items ending with ；stay text; a short typed ordinal line is a heading', async () => {
    const text = await imported([...title(), p('（一）加强理论学习；'), p('（二）健全工作制度。'), p('（三）组织保障')]);
    expect(text.replace(/^---[\s\S]*?---\n\n/, '')).toBe('（一）加强理论学习；\n\n### （二）健全工作制度。\n\n### （三）组织保障\n');
  });

  it('the run-in heading\'s full stop may be in the body font', async () => {
    const text = await imported([
      ...title(),
      new Paragraph({ children: [new TextRun({ text: '（二）强化考核', font: kai }), new TextRun({ text: '。把融合成效纳入年度考核，考核结果与评先评优挂钩。', font: song })] }),
    ]);
    expect(text).toContain('\n### （二）强化考核。\n\n把融合成效纳入年度考核，考核结果与评先评优挂钩。\n');
  });

  it('附件 above the title is dropped; Heading 1 used once for the title is the title', async () => {
    const text = await imported([
      p('附件2'),
      new Paragraph({ heading: HeadingLevel.HEADING_1, text: '只用一次的一级标题' }),
      p('某某小学党支部'),
      new Paragraph({ heading: HeadingLevel.HEADING_2, text: '一、基本情况' }),
      p('正文。'),
    ]);
    expect(text).toMatch(/^title: 只用一次的一级标题\nunit: 某某小学党支部\nsector: school\n/m);
    expect(text.replace(/^---[\s\S]*?---\n\n/, '')).toBe('## 一、基本情况\n\n正文。\n');
  });

  it('a picture and its 图N caption in one paragraph: the caption becomes the picture\'s', async () => {
    const { png } = await import('../scripts/make-inbox.js');
    const text = await imported([
      ...title(),
      p('正文。'),
      new Paragraph({ children: [new ImageRun({ type: 'png', data: png(40, 30), transformation: { width: 40, height: 30 } }), new TextRun({ text: '图1 工作流程', break: 1 })] }),
    ]);
    expect(text).toContain('\n正文。\n\n![图1 工作流程](images/case-1.png)\n');
  });

  it('decimal outline numbering on heading styles keeps the style\'s level', async () => {
    const outline = { reference: 'o', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.' }, { level: 1, format: LevelFormat.DECIMAL, text: '%1.%2' }] };
    const text = await imported(
      [...title(), new Paragraph({ heading: HeadingLevel.HEADING_1, numbering: { reference: 'o', level: 0 }, text: '基本情况' }), p('正文。'), new Paragraph({ heading: HeadingLevel.HEADING_2, numbering: { reference: 'o', level: 1 }, text: '背景' })],
      { numbering: { config: [outline] } },
    );
    expect(text.replace(/^---[\s\S]*?---\n\n/, '')).toBe('## 1.基本情况\n\n正文。\n\n### 1.1 背景\n');
  });

  it('a unit signed at the end (落款: right-aligned, above the date) when none is under the title', async () => {
    const text = await imported([
      new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: '没有单位行的标题', size: 44 })] }),
      p('正文第一段，写了一些做法。'),
      p('正文第二段，写了一些成效。'),
      new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun('中共某某区卫生健康委员会委员会')] }),
      new Paragraph({ alignment: AlignmentType.RIGHT, children: [new TextRun('二〇二四年十二月五日')] }),
    ]);
    expect(text).toMatch(/^unit: 中共某某区卫生健康委员会委员会\n/m);
    expect(text.replace(/^---[\s\S]*?---\n\n/, '')).toBe('正文第一段，写了一些做法。\n\n正文第二段，写了一些成效。\n');
  });

  it('a two-line title, a unit with 报送单位：, and a date line', async () => {
    const text = await imported([
      new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: '党建引领 融合发展', size: 44 })] }),
      new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: '——某某集团的实践', size: 44 })] }),
      new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: '报送单位：某某集团有限公司党委', size: 32 })] }),
      new Paragraph({ alignment: AlignmentType.CENTER, children: [new TextRun({ text: '2024年12月', size: 32 })] }),
      p('\u3000\u3000正文第一段。'),
    ]);
    expect(text).toMatch(/^title: 党建引领 融合发展——某某集团的实践\nunit: 某某集团有限公司党委\nsector: soe\n/m);
    expect(text.replace(/^---[\s\S]*?---\n\n/, '')).toBe('正文第一段。\n');
  });

  it('soft breaks inside Chinese are joined without a space; runs split mid-word merge; bold kept', async () => {
    const text = await imported([
      ...title(),
      new Paragraph({
        indent: { firstLineChars: 200 },
        children: [
          new TextRun({ text: '支部', font: song }),
          new TextRun({ text: '书记', font: song }),
          new TextRun({ text: '带头', font: song, bold: true }),
          new TextRun({ text: '讲党课，', font: song }),
          new TextRun({ text: '每月一次。', font: song, break: 1 }),
          new TextRun({ text: 'Party', break: 1 }),
          new TextRun({ text: 'school 2024', break: 1 }),
        ],
      }),
    ]);
    expect(text).toContain('\n支部书记**带头**讲党课，每月一次。Party school 2024\n');
  });

  it('bullets become a list; footnotes become Markdown footnotes in citation order', async () => {
    const text = await imported(
      [
        ...title(),
        new Paragraph({ numbering: { reference: 'b', level: 0 }, text: '第一点' }),
        new Paragraph({ numbering: { reference: 'b', level: 0 }, text: '第二点' }),
        new Paragraph({ children: [new TextRun('见注'), new FootnoteReferenceRun(2), new TextRun('和注'), new FootnoteReferenceRun(1), new TextRun('。')] }),
      ],
      {
        numbering: { config: [{ reference: 'b', levels: [{ level: 0, format: LevelFormat.BULLET, text: '•' }] }] },
        footnotes: { 1: { children: [new Paragraph('注一的文字。')] }, 2: { children: [new Paragraph('注二的文字。')] } },
      },
    );
    expect(text).toContain('\n- 第一点\n- 第二点\n\n见注[^1]和注[^2]。\n\n[^1]: 注二的文字。\n[^2]: 注一的文字。\n');
  });

  it('text in a text box and endnotes (尾注) are kept', async () => {
    const { Textbox, EndnoteReferenceRun } = await import('docx');
    const text = await imported(
      [
        ...title(),
        p('正文第一段。'),
        new Textbox({ style: { width: '200pt', height: '60pt' }, children: [new Paragraph('文本框里的一段话。')] }),
        new Paragraph({ children: [new TextRun('正文第二段'), new EndnoteReferenceRun(1), new TextRun('。')] }),
      ],
      { endnotes: { 1: { children: [new Paragraph('尾注的文字。')] } } },
    );
    expect(text.replace(/^---[\s\S]*?---\n\n/, '')).toBe('正文第一段。\n\n文本框里的一段话。\n\n正文第二段[^1]。\n\n[^1]: 尾注的文字。\n');
  });

  it('text that looks like Markdown stays text', async () => {
    const text = await imported([...title(), p('# 不是标题'), p('1. 不是列表，这是一句完整的话，只是以数字开头。'), p('a*b*c 和 [方括号] 与 <标签>')]);
    expect(text).toContain('\n\\# 不是标题\n\n1\\. 不是列表，这是一句完整的话，只是以数字开头。\n\na\\*b\\*c 和 \\[方括号\\] 与 \\<标签>\n');
  });
});

describe('names', () => {
  it('are safe on every system, unique (case-insensitively) and stable', () => {
    expect(idFor('/in/某某大学 党委（终稿）.docx')).toBe('某某大学-党委-终稿');
    expect(idFor('CON.docx')).toBe('CON-case');
    expect(idFor('..\\..\\a:b*?.docx')).toMatch(/^[\p{L}\p{N}_-]+$/u);
    expect(idFor('！！！.docx')).toBe('case');
    expect(uniqueIds(['/a/Case.docx', '/b/case.doc', '/c/case.wps'])).toEqual(['Case', 'case-2', 'case-3']);
    // macOS gives decomposed names; the id is the same as for the composed one.
    expect(idFor('e\u0301cole.docx')).toBe(idFor('\u00e9cole.docx'));
  });
});

describe('what other writers leave', () => {
  it('leaves out a 目录 (a Table of Contents content control and TOC-styled lines), still counting its paragraphs', async () => {
    const { TableOfContents } = await import('docx');
    const data = await Packer.toBuffer(
      new Document({
        features: { updateFields: true },
        sections: [{ children: [...title(), new TableOfContents('目录', { hyperlink: true, headingStyleRange: '1-2' }), p('目录 一、基本情况 1', { style: 'TOC1' }), new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('一、基本情况')] }), p('正文。')] }],
        styles: { paragraphStyles: [{ id: 'TOC1', name: 'toc 1', run: { size: 28 } }] },
      }),
    );
    const model = await readDocx(data);
    const text = caseFrom(model, '来稿.docx', 'case', config).text;
    expect(text.replace(/^---[\s\S]*?---\n\n/, '')).toBe('## 一、基本情况\n\n正文。\n');
    // 第 N 段 still counts the 目录's lines, as Word's reader sees them: title, unit, the control's line, the toc 1
    // line, then the heading (5) and the body paragraph (6).
    const last = model.blocks.at(-1)!;
    expect(last.type === 'paragraph' && last.index).toBe(6);
  });

  it('makes a bullet typed as a character (• then a tab, ● straight on) a list item', async () => {
    const text = await imported([...title(), p('做法如下：'), p('•\t第一项。'), p('●第二项。'), p('■ 第三项。'), p('正文。')]);
    expect(text.replace(/^---[\s\S]*?---\n\n/, '')).toBe('做法如下：\n\n- 第一项。\n- 第二项。\n- 第三项。\n\n正文。\n');
  });
});

describe('long runs of spaces (Word users pad lines with them)', () => {
  // Each regular expression that stripped a trailing run (`\s+$`, a lazy name before `\s*$`) retried the run from
  // each of its spaces: quadratic, and for the metadata line worse (5,000 spaces took 22 s). The runs here would take
  // those minutes to hours; linear, they take milliseconds.
  const run = ' '.repeat(200_000);

  it('reads the metadata line\'s mechanism with a long run of spaces in it', () => {
    const mechanism = config.mechanisms[0]!.name;
    expect(readMetaLine(`举措1${run}工作机制：${mechanism}${run}（试行）${run}`, config)).toEqual({ measure: [1], mechanism, problems: [] });
    expect(readMetaLine(`举措1 工作机制：${mechanism}${run}x`, config).problems).toEqual([`案例信息一行中的工作机制“${mechanism}${run}x”不在 huibian.yaml 中，未填入 mechanism`]);
    // A note in brackets at the end is not the name; alone, it is.
    expect(readMetaLine(`举措1 工作机制：${mechanism}（试行）`, config).mechanism).toBe(mechanism);
    expect(readMetaLine('举措1 工作机制：（试行）', config).problems).toEqual(['案例信息一行中的工作机制“（试行）”不在 huibian.yaml 中，未填入 mechanism']);
    expect(readMetaLine('举措1 工作机制：  ', config).problems).toEqual(['案例信息一行“举措1 工作机制：  ”中没有“工作机制：”，mechanism 未能填写']);
  });

  it('imports paragraphs and headings with long runs of spaces, bold ones too', async () => {
    const bold = new Paragraph({ children: [new TextRun({ text: `加粗${run}的句子${run}`, bold: true, font: song, size: 32 })] });
    // A heading this long is one for its number (一、), not its style alone.
    const started = performance.now();
    const text = await imported([...title(), p(`一、基本情况${run}（一）`, { heading: HeadingLevel.HEADING_1 }), p(`正文${run}继续。${run}`), bold]);
    // 0.3 s here. Each quadratic step alone made it slower by 15–25 s (the heading's and the bold run's trailing
    // spaces), about 80 s (a paragraph's) and over two minutes (the section-name check); the bound leaves a shared
    // machine 30 times the time.
    expect(performance.now() - started).toBeLessThan(10_000);
    const body = text.replace(/^---[\s\S]*?---\n\n/, '');
    expect(body.startsWith(`## 一、基本情况${run}（一）\n\n正文${run}继续。\n`)).toBe(true);
    expect(body).toContain(`**加粗${run}的句子**`);
  });
});
