/**
 * One pass of the preview pipeline: load huibian.yaml → lint the case → render it with the book's templates. Each
 * problem stops the pass at its stage and is kept as diagnostics, so a broken file still gives something to show.
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Definition, Image, ImageReference, Nodes } from 'mdast';
import { visit } from 'unist-util-visit';
import { VFile } from 'vfile';
import type { Case } from '../case/resolve.js';
import { parseConfig, type LoadConfigResult, type ResolvedConfig } from '../config/load.js';
import { lintOne, type LintedFile } from '../lint/run.js';
import { rules } from '../lint/rules/index.js';
import { checkRuleIds } from '../lint/rules/unknown-rule.js';
import { readSource } from '../shared/read-text.js';
import { renderCase, type HtmlDocument } from '../render/book.js';
import { fontCacheDir } from '../render/font-subset.js';
import { inside } from '../shared/inside.js';

/** Where the preview reads from; all paths absolute. */
export interface PreviewSource {
  cwd: string;
  /** The case file. */
  file: string;
  /** huibian.yaml. */
  configPath: string;
  /** For finding LibreOffice when the case is an old Word file. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** How far one pass got: the config was broken; the case could not be made a Case; or the case rendered (lint messages or not). */
export type PreviewState =
  | { stage: 'config'; files: VFile[] }
  | { stage: 'case'; config: ResolvedConfig; files: VFile[]; linted: LintedFile }
  /** The case is fine but the templates could not render it (a user's template being edited, say). */
  | { stage: 'template'; config: ResolvedConfig; files: VFile[]; linted: LintedFile; message: string }
  | { stage: 'rendered'; config: ResolvedConfig; files: VFile[]; linted: LintedFile; case: Case; rendered: HtmlDocument };

export interface Snapshot {
  state: PreviewState;
  /** Files whose change should start a new pass: the case, huibian.yaml, the case's images. */
  watchFiles: string[];
  /** Folders any change in which should start a new pass: the template folders. */
  watchDirs: string[];
  /** The case's images inside the compilation root, relative to it with `/` separators. */
  assets: Set<string>;
}

/** A loader for one case that re-reads huibian.yaml each pass but parses it again only when its text changed. */
export function createLoader(source: PreviewSource): () => Promise<Snapshot> {
  let lastConfig: { text: string; result: LoadConfigResult } | undefined;

  async function loadConfig(): Promise<LoadConfigResult> {
    const read = await readSource(source.configPath);
    if (!read.ok) {
      const file = new VFile({ path: source.configPath, cwd: source.cwd });
      file.message(read.reason, { ruleId: 'config', source: 'huibian' }).fatal = true;
      lastConfig = undefined;
      return { ok: false, file };
    }
    if (lastConfig?.text === read.source.text) return lastConfig.result;
    const result = parseConfig(read.source, new VFile({ path: source.configPath, cwd: source.cwd, value: read.source.text }));
    lastConfig = { text: read.source.text, result };
    return result;
  }

  return async () => {
    const loaded = await loadConfig();
    const watchFiles = [source.file, source.configPath];
    if (!loaded.ok) return { state: { stage: 'config', files: [loaded.file] }, watchFiles, watchDirs: [], assets: new Set() };
    const config = loaded.config;
    const ruleIds = checkRuleIds(config, rules.map((r) => r.id), source.cwd);
    // A Word file is imported in memory on each pass (huibian import's reader), its messages pointed at Word paragraphs.
    const linted = /\.(docx|docm|dotx|dotm|doc|wps|rtf)$/i.test(source.file)
      ? await (await import('../import/preview.js')).lintWordFile(source.file, config, source.cwd, source.env)
      : await lintOne(source.file, config, source.cwd);
    const files = [...(ruleIds ? [ruleIds] : []), linted.file];
    const images = linted.document ? imagePaths(linted.document.mdast, linted.document.source.path) : [];
    const assets = new Set(images.filter((p) => inside(config.root, p)).map((p) => relative(config.root, p).split(sep).join('/')));
    const base = { watchFiles: [...watchFiles, ...images], watchDirs: config.templateDirs, assets };
    if (!linted.case) return { ...base, state: { stage: 'case', config, files, linted } };
    let rendered: HtmlDocument;
    try {
      rendered = await renderCase(linted.case, config, { target: 'print', fontCacheDir: fontCacheDir(source.env) });
    } catch (error) {
      // liquidjs says which template and line; the preview keeps running so the template can be fixed and saved.
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      return { ...base, state: { stage: 'template', config, files, linted, message } };
    }
    return { ...base, state: { stage: 'rendered', config, files, linted, case: linted.case, rendered } };
  };
}

/** Absolute paths of the local images a case shows (`![](…)` and `![][ref]`), in order, each once. */
export function imagePaths(tree: Nodes, file: string): string[] {
  const urls: string[] = [];
  const definitions = new Map<string, string>();
  const references: string[] = [];
  visit(tree, (node) => {
    if (node.type === 'image') urls.push((node as Image).url);
    else if (node.type === 'definition') definitions.set((node as Definition).identifier, (node as Definition).url);
    else if (node.type === 'imageReference') references.push((node as ImageReference).identifier);
  });
  for (const id of references) {
    const url = definitions.get(id);
    if (url !== undefined) urls.push(url);
  }
  const paths: string[] = [];
  for (const url of urls) {
    if (!url || /^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) continue;
    let path = url.replace(/[?#].*$/, '');
    try {
      path = decodeURIComponent(path);
    } catch {
      // Keep it as written: the lint rule reports it.
    }
    if (isAbsolute(path)) continue;
    const absolute = resolve(dirname(file), path);
    if (!paths.includes(absolute)) paths.push(absolute);
  }
  return paths;
}
