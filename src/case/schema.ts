/** The schema of a case file's front-matter. Taxonomy values (sector, measure, mechanism) are checked against huibian.yaml by lint rules. */
import { z } from 'zod';

export const caseFrontMatterSchema = z
  .strictObject({
    title: z.string().min(1).describe('案例标题'),
    unit: z.string().min(1).describe('报送单位，如 北京朝阳医院党委'),
    sector: z.string().min(1).describe('领域：huibian.yaml 中领域的 key、中文名或别名，如 公立医院'),
    measure: z
      .union([z.int().min(1), z.array(z.int().min(1)).min(1)])
      .describe('所对应的举措编号（1–10），一个或一组，如 [1, 5]'),
    mechanism: z.string().min(1).describe('工作机制：huibian.yaml 中机制的 key 或名称，如 六聚焦六强化'),
    id: z
      .string()
      .regex(/^[\p{L}\p{N}_-]+$/u)
      .optional()
      .describe('案例的编号，默认为文件名（不含 .md）；在汇编中唯一'),
    order: z.number().optional().describe('在本篇中的顺序；相同时按 id'),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}(-\d{2})?$/)
      .optional()
      .describe('日期，YYYY-MM 或 YYYY-MM-DD'),
    summary: z.string().optional().describe('摘要'),
    tags: z.array(z.string()).optional().describe('标签'),
    draft: z.boolean().optional().describe('草稿：检查但不收入汇编'),
    source: z.string().min(1).optional().describe('来稿的原文件名（huibian import 填写），用来追溯到报送的 Word 文件'),
  })
  .describe('huibian 案例文件的前置元数据（front-matter）');

/** The field names a case's front-matter may hold, in documentation order. */
export const caseFields = Object.keys(caseFrontMatterSchema.shape) as (keyof typeof caseFrontMatterSchema.shape)[];
export const requiredCaseFields = ['title', 'unit', 'sector', 'measure', 'mechanism'] as const;
