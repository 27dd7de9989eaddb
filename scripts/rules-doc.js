#!/usr/bin/env node
// `npm run docs:rules`: write docs/rules.md from the rules' metadata and their fixtures (test/fixtures/lint/<rule-id>/),
// so the examples are the very files the tests run. test/lint.test.ts checks the committed file is current.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { structuredPatch } from 'diff';

const groups = [
  ['encoding', '编码'],
  ['front-matter', '前置元数据'],
  ['body', '正文'],
  ['text', '中文文字'],
  ['config', '配置文件'],
];

/** What a rule's one-line description leaves out: decisions a user needs to know. */
const notes = {
  encoding:
    '无法按 UTF-8 解码的文件不再做其他检查；消息会指明可能的编码（GB18030、Big5、UTF-16 等）。`--fix` 可把 GB18030 文件转为 UTF-8。带 BOM 的 UTF-8 和 CRLF 换行都是正常的，不会报告。',
  'unknown-sector': '领域可写中文名（机关）、key（agency）或别名（国企）；首尾的引号会被忽略。',
  'unknown-mechanism': '工作机制可写名称（六个引领工作法）或 key（six-leads），名称可带引号（“六个引领工作法”）。',
  'date-format':
    'YAML 1.2 把不加引号的 `2024-05-01` 读作文字，所以不必加引号。日期必须真实存在（没有 2 月 30 日、13 月）。',
  'duplicate-id':
    '没有 `id` 字段时，id 取文件名（不含 .md）。只比较同一次检查的文件；按路径排序，后出现的文件报错，消息中指明先出现的文件及行列。草稿（`draft: true`）也参与比较。',
  'image-path':
    '检查 Markdown 图片、引用式图片和 HTML `<img src>`。路径相对于案例文件；百分号编码的路径（`%E5%9B%BE.png`）也能找到。网络图片（http、https、`//`）一律报错：付印时不下载，成书不应依赖网络。`data:image/` 内嵌图片可以使用。经符号链接指向根目录之外的图片也报错。TIFF、EMF、WMF、HEIC、PSD、AI、EPS、PDF 格式浏览器无法显示，也报错。',
  'section-missing':
    '小节名取自 `lint.sections`。标题（`#` 标题，或单独成段的加粗文字）去掉序号后以小节名开头即可，序号可为 一、 （一） (1) 1. 1、 1.2 第一部分 第1章 ① Ⅰ 等。',
  'body-length':
    '字数按 Unicode 字符计，包括标点；不计空白、Markdown 标记、HTML、链接地址和图片说明文字；表格和脚注的文字计入。上下限取自 `lint.minLength`（默认 800）和 `lint.maxLength`（默认 8000）。',
  'unknown-rule': '此消息落在 huibian.yaml 上，不影响退出码（除非超过 `--max-warnings`）。',
};

/**
 * docs/rules.md for `rules` (objects with id, description, defaultSeverity, fixable, group) and their fixtures:
 * the first of `fixtureRoots` holding a folder named after the rule.
 */
export function renderRulesDoc(rules, fixtureRoots) {
  const fixtureDir = (id) => fixtureRoots.map((root) => join(root, id)).find((dir) => existsSync(dir)) ?? join(fixtureRoots[0], id);
  const out = [];
  out.push(
    '<!-- 本文件由 npm run docs:rules 从规则和 test/fixtures/lint/、test/fixtures/text/ 生成，请勿手改。 -->',
    '',
    '# huibian lint 的规则',
    '',
    '每条消息都有规则 id、严重程度（错误 error 或警告 warn）和位置。位置是从 1 起算的行号与列号，**列按 Unicode 字符计**（一个汉字算一列，不按字节或 UTF-16 单元），前置元数据中的问题指向出错的字段或值本身。',
    '',
    '在 huibian.yaml 中可以改变规则的严重程度，或关闭规则：',
    '',
    '```yaml',
    'rules:',
    '  section-missing: off      # off 关闭，warn 警告，error 错误',
    '  unknown-field: error',
    '```',
    '',
    '在案例中可以用注释临时关闭规则：`<!-- huibian-disable 规则id -->` … `<!-- huibian-enable 规则id -->`，或 `<!-- huibian-disable-next-line 规则id -->`（不写规则 id 则关闭全部规则）。',
    '',
    '退出码：0 没有错误（可有警告）；1 有错误，或警告多于 `--max-warnings`；2 用法或配置错误（huibian.yaml 有误、路径不存在）。`--quiet` 只显示错误，但 `--max-warnings` 仍计入被隐藏的警告。',
    '',
    '## 全部规则',
    '',
    '| 规则 | 默认 | 可修复 | 检查什么 |',
    '|---|---|---|---|',
  );
  for (const rule of rules) {
    out.push(`| [${rule.id}](#${rule.id}) | ${rule.defaultSeverity} | ${rule.fixable ? '是' : '否'} | ${escapeCell(rule.description)} |`);
  }
  out.push('');
  for (const [group, title] of groups) {
    const members = rules.filter((r) => r.group === group);
    if (members.length === 0) continue;
    out.push(`## ${title}`, '');
    for (const rule of members) out.push(...ruleSection(rule, fixtureDir(rule.id)));
  }
  out.push(
    '## 其他消息',
    '',
    '以下消息不属于某条规则，不能关闭：',
    '',
    '- `config`（错误，退出码 2）：huibian.yaml 找不到、不是合乎语法的 YAML、字段类型不对、有未知字段（会提示最接近的字段名），或分类自相矛盾（如工作机制所属的领域不存在）。消息指向 huibian.yaml 中出错的行列。',
    '- `file-unreadable`（错误）：案例文件无法读取（不存在、没有权限等）。',
    '',
    '## 输出格式',
    '',
    '`--format json` 输出一个数组，每条消息一个对象，字段固定为：',
    '',
    '```json',
    '{ "file": "cases/机关/示例.md", "line": 4, "column": 9, "endLine": 4, "endColumn": 13, "severity": "error", "rule": "unknown-sector", "message": "未知的领域“国营企业”，…" }',
    '```',
    '',
    '`file` 相对于当前目录，用 `/` 分隔；`endColumn` 指向最后一个字符之后；`severity` 为 `error` 或 `warning`；针对整个文件的消息（如编码）位置为 1:1–1:1；有关联位置时（如重复 id 的另一个文件）写在 `message` 末尾的括号中。`--format github` 输出 GitHub Actions 的工作流命令（`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::消息`），`--format sarif` 输出 SARIF 2.1.0（列按 Unicode 字符计，`columnKind` 为 `unicodeCodePoints`）。',
    '',
  );
  return out.join('\n');
}

function ruleSection(rule, dir) {
  const out = [`### ${rule.id}`, ''];
  out.push(`- 默认严重程度：${rule.defaultSeverity === 'error' ? '错误（error）' : '警告（warn）'}`);
  out.push(`- 可自动修复（--fix）：${rule.fixable ? '是' : '否'}`);
  out.push(`- 检查：${rule.description}`);
  out.push('');
  if (notes[rule.id]) out.push(notes[rule.id], '');
  const ext = existsSync(join(dir, 'not-ok.yaml')) ? 'yaml' : 'md';
  const notOkPath = join(dir, `not-ok.${ext}`);
  const okPath = join(dir, `ok.${ext}`);
  const expectedPath = join(dir, 'expected.txt');
  if (!existsSync(notOkPath) || !existsSync(okPath) || !existsSync(expectedPath)) {
    out.push('（尚无示例。）', '');
    return out;
  }
  const expected = readFileSync(expectedPath, 'utf8').trimEnd();
  const bytes = readFileSync(notOkPath);
  const fileName = ext === 'yaml' ? 'huibian.yaml' : `not-ok.md`;
  let notOk;
  try {
    notOk = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    notOk = undefined;
  }
  // fixed.md is what --fix makes of not-ok.md; any other file is checked together with not-ok.md (duplicate-id's first.md).
  const companions = readdirSync(dir).filter((f) => f.endsWith('.md') && !['ok.md', 'not-ok.md', 'fixed.md'].includes(f));
  out.push(`不合格（${fileName}${companions.length ? `，与 ${companions.join('、')} 一同检查` : ''}）：`, '');
  if (notOk === undefined) {
    out.push('（与下面合格的示例内容相同，但以 GB18030 编码保存。）', '');
  } else {
    const lines = expected.split('\n').flatMap((l) => (/^\d+:\d+/.test(l) ? [Number(l.split(':')[0])] : []));
    out.push('```' + (ext === 'yaml' ? 'yaml' : 'markdown'), excerpt(notOk, lines), '```', '');
  }
  out.push('报告：', '', '```text', expected, '```', '');
  const ok = readFileSync(okPath, 'utf8');
  if (notOk === undefined) {
    out.push('合格：同一文件以 UTF-8 保存。', '');
  } else {
    out.push('合格（改正之处）：', '', '```diff', changes(notOk, ok), '```', '');
  }
  const fixedPath = join(dir, 'fixed.md');
  if (notOk !== undefined && existsSync(fixedPath)) {
    out.push('`--fix` 的修改：', '', '```diff', changes(notOk, readFileSync(fixedPath, 'utf8')), '```', '');
  }
  return out;
}

/** Numbered lines around the reported ones (3 either side), with … for what is left out. */
function excerpt(text, reported) {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const keep = new Set();
  for (const line of reported.length ? reported : [1]) for (let i = line - 3; i <= line + 3; i++) if (i >= 1 && i <= lines.length) keep.add(i);
  const width = String(lines.length).length;
  const out = [];
  let last = 0;
  for (const n of [...keep].sort((a, b) => a - b)) {
    if (n > last + 1) out.push('…');
    out.push(`${String(n).padStart(width)} | ${lines[n - 1]}`.trimEnd());
    last = n;
  }
  if (last < lines.length) out.push('…');
  return out.join('\n');
}

/** The changed lines from not-ok to ok, with one line of context. */
function changes(before, after) {
  const patch = structuredPatch('not-ok', 'ok', before, after, '', '', { context: 1 });
  if (patch.hunks.length === 0) return '（内容相同）';
  return patch.hunks.map((h) => h.lines.join('\n')).join('\n…\n');
}

function escapeCell(text) {
  return text.replace(/\|/g, '\\|');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rules } = await import('../dist/lint/rules/index.js');
  const roots = ['lint', 'text'].map((stage) => fileURLToPath(new URL(`../test/fixtures/${stage}/`, import.meta.url)));
  const text = renderRulesDoc(rules, roots);
  writeFileSync(new URL('../docs/rules.md', import.meta.url), text);
  console.log('docs/rules.md');
}
