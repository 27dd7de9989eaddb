/** The schema of `huibian.yaml`: validation, defaults, types and the published JSON Schema all come from here. */
import { z } from 'zod';

const severity = z.enum(['off', 'warn', 'error']).describe('规则的严重程度：off 关闭，warn 警告，error 错误');

export const sectorSchema = z
  .strictObject({
    key: z.string().regex(/^[a-z][a-z0-9-]*$/).describe('领域的英文键，如 agency'),
    label: z.string().min(1).describe('领域的中文名，如 机关；篇名为“机关篇”'),
    aliases: z.array(z.string().min(1)).default([]).describe('别名，如 国企'),
  })
  .describe('领域（汇编中的一篇）');

export const measureSchema = z
  .strictObject({
    number: z.int().min(1).describe('举措编号，如 1'),
    group: z.string().min(1).describe('举措所属的组，如 理念、方法、机制'),
    title: z.string().min(1).describe('举措名称'),
  })
  .describe('“融合10条”中的一条举措');

export const mechanismSchema = z
  .strictObject({
    key: z.string().regex(/^[a-z][a-z0-9-]*$/).describe('机制的英文键，如 six-leads'),
    name: z.string().min(1).describe('机制名称，如 六个引领工作法'),
    system: z.string().min(1).describe('形成该机制的系统，如 市直机关系统'),
    sectors: z.array(z.string()).min(1).describe('该机制适用的领域（领域的 key）'),
  })
  .describe('工作机制');

const length = z.string().regex(/^\d+(\.\d+)?(mm|cm|in|pt|px)$/).describe('长度，如 20mm');

export const pageSchema = z
  .strictObject({
    size: z
      .union([z.enum(['A4', 'A5', '16K', 'B5']), z.strictObject({ width: length, height: length })])
      .default('A4')
      .describe('纸张：A4（默认）、A5、B5、16K（185×260 mm），或 { width, height }'),
    margin: z
      .strictObject({ top: length, bottom: length, inside: length, outside: length })
      .partial()
      .default({})
      .describe('页边距；inside 为订口一侧'),
    partsOnRight: z.boolean().default(true).describe('每篇从右页（奇数页）开始'),
    numberStyle: z
      .enum(['plain', 'gongwen'])
      .default('plain')
      .describe('页码样式：plain 只印数字（默认），gongwen 按公文格式印作“— 1 —”'),
  })
  .describe('版面设置');

export const fontsSchema = z
  .strictObject({
    body: z.array(z.string()).default([]).describe('正文字体（系统字体名，如 仿宋_GB2312），内置的思源宋体作后备'),
    heading: z.array(z.string()).default([]).describe('标题字体（系统字体名，如 方正小标宋简体），内置的思源黑体作后备'),
  })
  .describe('字体');

export const lintSchema = z
  .strictObject({
    sections: z
      .array(z.string().min(1))
      .default(['基本情况', '主要做法', '工作成效', '经验启示'])
      .describe('案例通常应有的小节标题（可带“一、”等序号）'),
    minLength: z.int().min(0).default(800).describe('正文最少字数（不计空白与标记）'),
    maxLength: z.int().min(1).default(8000).describe('正文最多字数'),
    spacing: z
      .enum(['off', 'require', 'forbid'])
      .default('off')
      .describe('中文与拉丁字母、数字之间的空格：off 不检查，require 必须有，forbid 不得有'),
  })
  .describe('检查的参数');

/** Keywords in a unit's name that point to a sector, keyed by the sample taxonomy's sector keys (used only where the key exists). */
export const defaultSectorKeywords: Record<string, string[]> = {
  agency: ['机关', '委员会', '委', '局', '办公室', '办', '厅'],
  soe: ['集团', '公司'],
  university: ['大学', '学院'],
  school: ['中学', '小学', '学校'],
  hospital: ['医院'],
};

export const importSchema = z
  .strictObject({
    sectorKeywords: z
      .record(z.string(), z.array(z.string().min(1)))
      .default(defaultSectorKeywords)
      .describe(
        '没有汇总表时，从单位名称猜领域所用的关键词，按领域的 key 列出，如 { university: [大学, 学院], hospital: [医院] }；领域的中文名和别名也算关键词。单位名称中最靠后的关键词决定领域，两个领域不相上下时不猜。写了这一项就整个代替默认值',
      ),
    soffice: z.string().optional().describe('LibreOffice 的 soffice 程序路径（转换 .doc、.wps 用）；不写则依次查找环境变量 HUIBIAN_SOFFICE、PATH 和常见的安装位置'),
  })
  .describe('收件（huibian import）的设置');

export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('JSON Schema 的地址，供编辑器使用'),
    title: z.string().min(1).describe('汇编的书名'),
    subtitle: z.string().optional().describe('副书名'),
    publisher: z.string().optional().describe('编印单位'),
    date: z
      .union([z.string(), z.date()])
      .optional()
      .describe('编印日期，YYYY-MM 或 YYYY-MM-DD'),
    language: z.enum(['zh-Hans', 'zh-Hant']).default('zh-Hans').describe('语言：zh-Hans 简体（默认）或 zh-Hant 繁体'),
    cases: z.string().default('cases').describe('案例文件夹，相对于根目录'),
    out: z.string().default('out').describe('输出文件夹，相对于根目录'),
    name: z.string().regex(/^[^/\\:*?"<>|]+$/).default('book').describe('输出文件名（不含扩展名）'),
    preface: z.string().optional().describe('前言的 Markdown 文件，相对于根目录'),
    template: z.string().optional().describe('模板文件夹；缺少的文件从默认模板取'),
    browser: z
      .strictObject({
        executablePath: z.string().optional().describe('Chrome/Chromium/Edge 可执行文件的路径'),
        timeout: z.int().min(1000).default(120000).describe('浏览器每一步的时限（毫秒）'),
      })
      .default({ timeout: 120000 })
      .describe('浏览器设置'),
    page: pageSchema.default({ size: 'A4', margin: {}, partsOnRight: true, numberStyle: 'plain' }),
    fonts: fontsSchema.default({ body: [], heading: [] }),
    lint: lintSchema.default({
      sections: ['基本情况', '主要做法', '工作成效', '经验启示'],
      minLength: 800,
      maxLength: 8000,
      spacing: 'off',
    }),
    import: importSchema.default({ sectorKeywords: defaultSectorKeywords }),
    rules: z.record(z.string(), severity).default({}).describe('规则的严重程度，如 { section-missing: off }'),
    sectors: z.array(sectorSchema).min(1).describe('领域，按成书顺序'),
    measures: z.array(measureSchema).min(1).describe('举措（“融合10条”）'),
    mechanisms: z.array(mechanismSchema).default([]).describe('工作机制'),
  })
  .describe('huibian 案例汇编的配置（huibian.yaml）');

/** What `huibian.yaml` holds once validated and defaulted. */
export type RawConfig = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;
export type Sector = z.output<typeof sectorSchema>;
export type Measure = z.output<typeof measureSchema>;
export type Mechanism = z.output<typeof mechanismSchema>;
export type Severity = z.output<typeof severity>;
export type ImportSettings = z.output<typeof importSchema>;
