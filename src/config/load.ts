/** Find, read and validate `huibian.yaml`; problems become messages on its vfile (exit code 2 in the CLI). */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VFile } from 'vfile';
import { report } from '../shared/diagnostics.js';
import { readSource } from '../shared/read-text.js';
import { issueMessage } from '../shared/schema-messages.js';
import type { Range, SourceText } from '../shared/source.js';
import { parseYaml } from '../shared/yaml-parse.js';
import { yamlRange } from '../shared/yaml-position.js';
import { configSchema, type ParsedConfig } from './schema.js';

export const configFileName = 'huibian.yaml';

/** The default template shipped with huibian. */
export const defaultTemplateDir = fileURLToPath(new URL('../../templates/default/', import.meta.url));

/** `huibian.yaml` validated, defaulted, with its paths made absolute. */
export interface ResolvedConfig extends ParsedConfig {
  /** The compilation's root: the folder holding huibian.yaml. */
  root: string;
  configPath: string;
  casesDir: string;
  outDir: string;
  /** Template folders to look in, the user's first and the default last. */
  templateDirs: string[];
  /** The config's text, for messages that point into it. */
  source: SourceText;
}

export type LoadConfigResult = { ok: true; config: ResolvedConfig; file: VFile } | { ok: false; file: VFile };

/** Walk up from `cwd` to the first folder holding huibian.yaml. */
export function findConfig(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, configFileName);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export interface LoadConfigOptions {
  cwd: string;
  /** An explicit config file (`--config`); otherwise found by walking up from cwd. */
  configPath?: string;
}

export async function loadConfig(options: LoadConfigOptions): Promise<LoadConfigResult> {
  const path = options.configPath ? resolve(options.cwd, options.configPath) : findConfig(options.cwd);
  if (!path) {
    const file = new VFile({ path: join(options.cwd, configFileName), cwd: options.cwd });
    report(file, undefined, `未找到 ${configFileName}：从 ${options.cwd} 向上的各级文件夹中都没有；请在汇编的根目录运行，或用 --config 指定`, {
      ruleId: 'config',
      severity: 'error',
    });
    return { ok: false, file };
  }
  const read = await readSource(path);
  const file = new VFile({ path, cwd: options.cwd, value: read.ok ? read.source.text : '' });
  if (!read.ok) {
    report(file, undefined, read.reason, { ruleId: 'config', severity: 'error' });
    return { ok: false, file };
  }
  return parseConfig(read.source, file);
}

/** Validate config text already read; exported for tests and for preview's reload. */
export function parseConfig(source: SourceText, file: VFile): LoadConfigResult {
  const fail = (message: string, range?: Range) =>
    report(file, source, message, { ruleId: 'config', severity: 'error', range });
  const parsed = parseYaml(source.text);
  if (!parsed.ok) {
    for (const p of parsed.problems) fail(p.message, p.range);
    return { ok: false, file };
  }
  const { doc, value } = parsed;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(`${configFileName} 的内容应为键值对（如 title: 书名），现在是${value === null || value === undefined ? '空的' : Array.isArray(value) ? '列表' : `一段文字`}`, { start: 0, end: source.text.length });
    return { ok: false, file };
  }
  const result = configSchema.safeParse(value);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const known = issue.code === 'unrecognized_keys' ? knownKeysAt(issue.path) : [];
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          fail(issueMessage({ ...issue, keys: [key] }, value, known), yamlRange(doc, [...issue.path, key], { key: true }));
        }
      } else {
        fail(issueMessage(issue, value), yamlRange(doc, issue.path));
      }
    }
    return { ok: false, file };
  }
  const config = result.data;
  checkTaxonomy(config, (message, path) => fail(message, yamlRange(doc, path)));
  if (file.messages.length > 0) return { ok: false, file };
  const root = dirname(source.path);
  return {
    ok: true,
    file,
    config: {
      ...config,
      root,
      configPath: source.path,
      casesDir: resolve(root, config.cases),
      outDir: resolve(root, config.out),
      templateDirs: [...(config.template ? [resolve(root, config.template)] : []), defaultTemplateDir],
      source,
    },
  };
}

/** Field names allowed in the object at a path of huibian.yaml (for "did you mean"). */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
  // Walk the zod schema along the path; arrays step into their element.
  let schema: unknown = configSchema;
  for (const seg of path) {
    schema = unwrap(schema);
    const def = (schema as { def?: { type?: string; element?: unknown; shape?: Record<string, unknown> } }).def;
    if (def?.type === 'array') schema = def.element;
    else if (def?.type === 'object' && typeof seg === 'string') schema = def.shape?.[seg];
    if (typeof seg === 'number') continue;
  }
  const def = (unwrap(schema) as { def?: { shape?: Record<string, unknown> } }).def;
  return Object.keys(def?.shape ?? {});
}

function unwrap(schema: unknown): unknown {
  let s = schema as { def?: { type?: string; innerType?: unknown; element?: unknown } } | undefined;
  while (s?.def && (s.def.type === 'default' || s.def.type === 'optional' || s.def.type === 'array')) {
    s = s.def.type === 'array' ? (s.def.element as typeof s) : (s.def.innerType as typeof s);
  }
  return s;
}

/** Cross-field checks of the taxonomy: unique keys, names and numbers; mechanisms name real sectors. */
function checkTaxonomy(config: ParsedConfig, fail: (message: string, path: PropertyKey[]) => void): void {
  const sectorNames = new Map<string, number>();
  config.sectors.forEach((s, i) => {
    for (const name of [s.key, s.label, ...s.aliases]) {
      const prior = sectorNames.get(name);
      if (prior !== undefined && prior !== i) fail(`领域名“${name}”重复：第 ${prior + 1} 个领域已用过`, ['sectors', i]);
      sectorNames.set(name, i);
    }
  });
  const numbers = new Set<number>();
  config.measures.forEach((m, i) => {
    if (numbers.has(m.number)) fail(`举措编号 ${m.number} 重复`, ['measures', i, 'number']);
    numbers.add(m.number);
  });
  const mechanismNames = new Set<string>();
  config.mechanisms.forEach((m, i) => {
    for (const name of [m.key, m.name]) {
      if (mechanismNames.has(name)) fail(`机制名“${name}”重复`, ['mechanisms', i]);
      mechanismNames.add(name);
    }
    m.sectors.forEach((key, j) => {
      if (!config.sectors.some((s) => s.key === key)) {
        fail(`机制“${m.name}”所属的领域“${key}”不存在，应为：${config.sectors.map((s) => s.key).join('、')}`, [
          'mechanisms',
          i,
          'sectors',
          j,
        ]);
      }
    });
  });
}

