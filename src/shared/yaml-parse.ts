/** Parse YAML with positions, turning syntax errors into Chinese messages at their real place. */
import { parseDocument, type Document } from 'yaml';
import type { Range } from './source.js';

export interface YamlProblem {
  /** Offsets relative to the YAML text. */
  range: Range;
  message: string;
}

export type YamlResult =
  | { ok: true; doc: Document; value: unknown }
  | { ok: false; problems: YamlProblem[] };

const codeMessages: Record<string, string> = {
  DUPLICATE_KEY: '键重复，每个键只能出现一次',
  BAD_INDENT: '缩进不对齐',
  TAB_AS_INDENT: '缩进用了制表符，YAML 只能用空格缩进',
  MISSING_CHAR: '缺少字符（如引号、括号没有闭合）',
  MULTILINE_IMPLICIT_KEY: '键不能跨行；值里有冒号时请加引号',
  BLOCK_AS_IMPLICIT_KEY: '键的写法不对；值里有冒号时请加引号',
  UNEXPECTED_TOKEN: '出现了意外的字符',
  BAD_SCALAR_START: '值的开头不对；以 @、` 等开头的值请加引号',
  BAD_DIRECTIVE: '指令写法不对',
  BAD_DQ_ESCAPE: '双引号中的转义序列不对',
  BLOCK_IN_FLOW: '方括号或花括号中不能换行写块',
  KEY_OVER_1024_CHARS: '键超过 1024 个字符',
  MULTIPLE_ANCHORS: '一个值有多个锚点',
  MULTIPLE_TAGS: '一个值有多个标签',
  TAG_RESOLVE_FAILED: '无法识别的标签',
  ALIAS_PROPS: '别名不能带锚点或标签',
  BAD_ALIAS: '别名指向不存在的锚点',
  MULTIPLE_DOCS: '只能有一个 YAML 文档（多了一个 --- 分隔线）',
  IMPOSSIBLE: 'YAML 无法解析',
  BAD_COLLECTION_TYPE: '集合类型不对',
  UNEXPECTED_EOF: '内容意外结束（引号或括号没有闭合）',
};

/** At most this many syntax errors are reported one by one. */
const maxProblems = 20;

/** At most this many alias expansions (guards against "billion laughs"). */
const maxAliasCount = 100;

/** Characters of YAML at the most: real front-matter and huibian.yaml are a few KB; the parser slows on megabytes of brackets. */
export const maxYamlChars = 256 * 1024;

export function parseYaml(text: string): YamlResult {
  if (text.length > maxYamlChars) {
    return {
      ok: false,
      problems: [{ range: { start: 0, end: 0 }, message: `YAML 内容有 ${Math.ceil(text.length / 1024)} K 个字符，超过上限 ${maxYamlChars / 1024} K；请删去多余的内容` }],
    };
  }
  let doc: Document;
  try {
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, strict: true });
  } catch (error) {
    return { ok: false, problems: [{ range: { start: 0, end: 0 }, message: `YAML 无法解析：${String(error)}` }] };
  }
  if (doc.errors.length > 0) {
    const problems = doc.errors.slice(0, maxProblems).map((e) => ({
      range: { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) },
      message: `YAML 语法错误：${codeMessages[e.code] ?? e.message.split('\n')[0]}`,
    }));
    // Broken YAML can have one error per character (npm run fuzz found 89,000 on one line, which took half a
    // minute to place); after the first few, the rest say nothing new.
    const rest = doc.errors.length - problems.length;
    if (rest > 0) {
      const at = doc.errors[maxProblems]!.pos[0];
      problems.push({ range: { start: at, end: at }, message: `YAML 语法错误：另有 ${rest} 处错误未列出；请先改正上面的错误` });
    }
    return { ok: false, problems };
  }
  try {
    return { ok: true, doc, value: doc.toJS({ maxAliasCount }) };
  } catch (error) {
    const aliasBomb = /alias/i.test(String(error));
    return {
      ok: false,
      problems: [
        {
          range: { start: 0, end: 0 },
          message: aliasBomb ? `YAML 的别名展开过多（超过 ${maxAliasCount} 次），不予处理` : `YAML 无法解析：${String(error)}`,
        },
      ],
    };
  }
}
