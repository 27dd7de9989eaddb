/** The Word document's styles, fonts, list numbering and page geometry, from huibian.yaml's `fonts` and `page`. */
import { AlignmentType, LevelFormat, LineRuleType, type INumberingOptions, type IStylesOptions } from 'docx';
import type { ResolvedConfig } from '../config/load.js';
import { paperSizes } from '../render/page.js';

/** The faces Word is told to use. Word needs installed fonts by name, so the fallbacks are the system Noto CJK faces. */
export interface DocxFonts {
  body: string;
  heading: string;
  /** 标题 3 (the case's 一、 sections): 黑体 when the config names it, as 公文 do. */
  section: string;
  /** 标题 4 (the （一） subsections): 楷体 when the config names it. */
  subsection: string;
}

const fallbackBody = 'Noto Serif CJK SC';
const fallbackHeading = 'Noto Sans CJK SC';

export function docxFonts(fonts: ResolvedConfig['fonts']): DocxFonts {
  const named = [...fonts.heading, ...fonts.body];
  const heading = fonts.heading[0] ?? fallbackHeading;
  return {
    body: fonts.body[0] ?? fallbackBody,
    heading,
    section: named.find((f) => f === '黑体' || f === 'SimHei') ?? heading,
    subsection: named.find((f) => /^楷体/.test(f) || f === 'KaiTi') ?? heading,
  };
}

/** Page geometry in twips (1/20 pt): Word's unit for sizes and margins. */
export interface PageGeometry {
  width: number;
  height: number;
  top: number;
  bottom: number;
  inside: number;
  outside: number;
  /** Width of the text column: what images are scaled to and tab stops are set at. */
  textWidth: number;
}

const defaultMargin = { top: '25mm', bottom: '22mm', inside: '25mm', outside: '20mm' };
const twipsPer: Record<string, number> = { mm: 1440 / 25.4, cm: 1440 / 2.54, in: 1440, pt: 20, px: 15 };

/** A config length (`20mm`, `1in`, `12pt`, `96px`) in twips. */
export function twips(length: string): number {
  const m = /^(\d+(?:\.\d+)?)(mm|cm|in|pt|px)$/.exec(length);
  if (!m) throw new Error(`不是长度：${length}`);
  return Math.round(Number(m[1]) * twipsPer[m[2]!]!);
}

export function pageGeometry(page: ResolvedConfig['page']): PageGeometry {
  const size = typeof page.size === 'string' ? paperSizes[page.size]! : page.size;
  const margin = { ...defaultMargin, ...page.margin };
  const g = {
    width: twips(size.width),
    height: twips(size.height),
    top: twips(margin.top),
    bottom: twips(margin.bottom),
    inside: twips(margin.inside),
    outside: twips(margin.outside),
  };
  return { ...g, textWidth: g.width - g.inside - g.outside };
}

/** Sizes in half-points, as Word stores them: 五号 10.5 pt, 四号 14 pt, 三号 16 pt, 二号 22 pt. */
const pt = (points: number) => points * 2;
const lang = { value: 'zh-CN', eastAsia: 'zh-CN' };
const font = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name });
/** Line spacing 1.5 (240 = single), before/after in twips. */
const bodySpacing = { line: 360, lineRule: LineRuleType.AUTO, before: 0, after: 0 };

/**
 * Paragraph styles. Built-in ids and names (Title, Heading1 "Heading 1", Caption …) so Word's navigation pane, outline
 * and TOC know them; package.ts adds the Chinese names (标题 1 …) as aliases. huibian's own styles have Chinese names.
 */
export function docxStyles(fonts: DocxFonts): IStylesOptions {
  const noIndent = { firstLine: 0, firstLineChars: 0 };
  const heading = (size: number, face: string, extra: object = {}) => ({
    basedOn: 'Normal',
    next: 'Normal',
    quickFormat: true,
    run: { font: font(face), size: pt(size), bold: true, color: '000000', italics: false },
    paragraph: { alignment: AlignmentType.LEFT, indent: noIndent, keepNext: true, keepLines: true, ...extra },
  });
  return {
    default: {
      document: {
        run: { font: font(fonts.body), size: pt(10.5), language: lang },
        paragraph: { spacing: bodySpacing },
      },
      title: {
        ...heading(26, fonts.heading),
        paragraph: { alignment: AlignmentType.CENTER, indent: noIndent, spacing: { before: 2400, after: 600 } },
      },
      heading1: heading(22, fonts.heading, { alignment: AlignmentType.CENTER, spacing: { before: 2400, after: 600 }, outlineLevel: 0 }),
      heading2: heading(16, fonts.heading, { alignment: AlignmentType.CENTER, spacing: { before: 240, after: 240 }, outlineLevel: 1 }),
      heading3: heading(12, fonts.section, { spacing: { before: 240, after: 120 }, outlineLevel: 2 }),
      heading4: heading(10.5, fonts.subsection, { spacing: { before: 120, after: 60 }, outlineLevel: 3 }),
      heading5: heading(10.5, fonts.body, { spacing: { before: 120, after: 60 }, outlineLevel: 4 }),
      heading6: heading(10.5, fonts.body, { spacing: { before: 120, after: 60 }, outlineLevel: 5 }),
      caption: {
        basedOn: 'Normal',
        next: 'Normal',
        run: { font: font(fonts.heading), size: pt(9), italics: false, color: '333333' },
        paragraph: { alignment: AlignmentType.CENTER, indent: noIndent, spacing: { before: 60, after: 240 } },
      },
      listParagraph: { basedOn: 'Normal', paragraph: { indent: { firstLineChars: 0 } } },
    },
    paragraphStyles: [
      {
        // 正文: justified, first line indented two characters; every other style starts from this one and resets the indent.
        id: 'Normal',
        name: 'Normal',
        quickFormat: true,
        run: { font: font(fonts.body), size: pt(10.5), language: lang },
        paragraph: { alignment: AlignmentType.JUSTIFIED, indent: { firstLineChars: 200 }, spacing: bodySpacing },
      },
      {
        id: 'HuibianCaseUnit',
        name: '案例单位',
        basedOn: 'Normal',
        next: 'HuibianCaseMeta',
        run: { font: font(fonts.subsection), size: pt(12) },
        paragraph: { alignment: AlignmentType.CENTER, indent: noIndent, spacing: { after: 120 }, keepNext: true },
      },
      {
        id: 'HuibianCaseMeta',
        name: '案例信息',
        basedOn: 'Normal',
        next: 'Normal',
        run: { font: font(fonts.heading), size: pt(9), color: '555555' },
        paragraph: { alignment: AlignmentType.CENTER, indent: noIndent, spacing: { after: 360 }, keepNext: true },
      },
      {
        id: 'HuibianTableText',
        name: '表格文字',
        basedOn: 'Normal',
        run: { size: pt(9) },
        paragraph: { alignment: AlignmentType.LEFT, indent: noIndent, spacing: { line: 276, lineRule: LineRuleType.AUTO, before: 40, after: 40 } },
      },
      {
        id: 'FootnoteText',
        name: 'footnote text',
        basedOn: 'Normal',
        run: { size: pt(9) },
        paragraph: { alignment: AlignmentType.JUSTIFIED, indent: noIndent, spacing: { line: 240, lineRule: LineRuleType.AUTO } },
      },
      {
        id: 'HuibianFigure',
        name: '图片',
        basedOn: 'Normal',
        next: 'Caption',
        paragraph: { alignment: AlignmentType.CENTER, indent: noIndent, keepNext: true, spacing: { before: 120, line: 240, lineRule: LineRuleType.AUTO } },
      },
      {
        id: 'HuibianQuote',
        name: '引文',
        basedOn: 'Normal',
        run: { font: font(fonts.subsection) },
        paragraph: { indent: { left: 480, right: 480, firstLineChars: 200 } },
      },
      {
        id: 'HuibianCode',
        name: '代码',
        basedOn: 'Normal',
        run: { font: { ascii: 'Noto Sans Mono CJK SC', hAnsi: 'Noto Sans Mono CJK SC', eastAsia: fonts.body }, size: pt(9) },
        paragraph: { alignment: AlignmentType.LEFT, indent: { left: 240, firstLineChars: 0 }, spacing: { line: 240, lineRule: LineRuleType.AUTO } },
      },
      {
        id: 'HuibianFrontHeading',
        name: '前置标题',
        basedOn: 'Normal',
        next: 'Normal',
        run: { font: font(fonts.heading), size: pt(18), bold: true },
        paragraph: { alignment: AlignmentType.CENTER, indent: noIndent, spacing: { before: 600, after: 600 } },
      },
      {
        id: 'HuibianCoverLine',
        name: '封面文字',
        basedOn: 'Normal',
        run: { font: font(fonts.heading), size: pt(14) },
        paragraph: { alignment: AlignmentType.CENTER, indent: noIndent, spacing: { before: 240, after: 240 } },
      },
      {
        id: 'HuibianIndexHeading',
        name: '索引标题',
        basedOn: 'Normal',
        next: 'Normal',
        run: { font: font(fonts.heading), bold: true },
        paragraph: { indent: noIndent, spacing: { before: 240, after: 60 }, keepNext: true },
      },
      {
        id: 'HuibianHeader',
        name: '页眉文字',
        basedOn: 'Normal',
        run: { font: font(fonts.heading), size: pt(9) },
        paragraph: { indent: noIndent, spacing: { line: 240, lineRule: LineRuleType.AUTO } },
      },
      {
        id: 'HuibianIndexEntry',
        name: '索引条目',
        basedOn: 'Normal',
        paragraph: {
          alignment: AlignmentType.LEFT,
          indent: { left: 420, firstLine: 0, firstLineChars: 0 },
        },
      },
      ...[1, 2, 3].map((level) => ({
        id: `TOC${level}`,
        name: `toc ${level}`,
        basedOn: 'Normal',
        next: 'Normal',
        run: level === 1 ? { font: font(fonts.heading), bold: true } : {},
        paragraph: {
          alignment: AlignmentType.LEFT,
          indent: { left: (level - 1) * 420, firstLine: 0, firstLineChars: 0 },
          spacing: { before: level === 1 ? 120 : 0 },
        },
      })),
    ],
    characterStyles: [
      { id: 'Hyperlink', name: 'Hyperlink', basedOn: 'DefaultParagraphFont', run: { color: '1F4E79', underline: {} } },
      { id: 'HuibianInlineCode', name: '行内代码', basedOn: 'DefaultParagraphFont', run: { font: 'Noto Sans Mono CJK SC' } },
    ],
  };
}

export const bulletReference = 'huibian-bullet';
/** A list that starts at 3 (`3. …`) needs numbering of its own that starts there. */
export function orderedReferenceFor(start: number): string {
  return start === 1 ? 'huibian-ordered' : `huibian-ordered-${start}`;
}

/** Lists as real Word numbering: bullets, and 1. 2. 3. (each list restarts through its own instance). */
export function docxNumbering(starts: readonly number[]): INumberingOptions {
  const levels = (ordered: boolean, start = 1) =>
    Array.from({ length: 9 }, (_, level) => ({
      level,
      start: level === 0 ? start : 1,
      format: ordered ? [LevelFormat.DECIMAL, LevelFormat.DECIMAL_ENCLOSED_PARENTHESES, LevelFormat.LOWER_LETTER][level % 3]! : LevelFormat.BULLET,
      text: ordered ? (level % 3 === 0 ? `%${level + 1}.` : level % 3 === 1 ? `%${level + 1}` : `%${level + 1})`) : ['●', '○', '■'][level % 3]!,
      alignment: AlignmentType.LEFT,
      style: { paragraph: { indent: { left: 420 * (level + 1) + 420, hanging: 420, firstLineChars: 0 } } },
    }));
  return {
    config: [
      { reference: bulletReference, levels: levels(false) },
      ...[...new Set([1, ...starts])].map((start) => ({ reference: orderedReferenceFor(start), levels: levels(true, start) })),
    ],
  };
}
