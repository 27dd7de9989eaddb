/**
 * A running preview's state: the latest snapshot, the page made from it, its version, and the single-case PDF cached
 * for that version. Passes run one at a time; changes that arrive during a pass are folded into one more pass.
 */
import { basename, relative } from 'node:path';
import { locateBrowser } from '../pdf/index.js';
import { fontCacheDir } from '../render/font-subset.js';
import { pageCssData } from '../render/page.js';
import type { ServedFiles } from './routes.js';
import { printCase } from './print-case.js';
import { createPageBuilder, type PageParts, type Sheet } from './page-html.js';
import type { PreviewSource, Snapshot } from './snapshot.js';

/** The page at one version. */
export interface PageVersion {
  version: number;
  html: string;
  parts: PageParts;
  snapshot: Snapshot;
  /** How long the pass took, in milliseconds. */
  ms: number;
}

/** The outcome of asking for the PDF: bytes, or why there are none (with the HTTP status to answer). */
export type PdfOutcome = { ok: true; bytes: Uint8Array; name: string } | { ok: false; status: number; message: string };

export interface Session {
  current(): PageVersion;
  /** Run a pass now (or after the running one); resolves with the page, which has a new version only if it changed. */
  refresh(): Promise<PageVersion>;
  served(): ServedFiles;
  pdf(): Promise<PdfOutcome>;
  /** Resolves when no pass and no PDF print is running (used when stopping, so no browser outlives the preview). */
  idle(): Promise<void>;
}

export interface SessionOptions {
  source: PreviewSource;
  load: () => Promise<Snapshot>;
  nonce: string;
  /** This run of the preview, told to pages so they know a restarted server's versions from ours. */
  server: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Stops PDF printing when the preview stops. */
  signal: AbortSignal;
  /** Told after every pass; `changed`: the page has a new version. */
  onPass: (page: PageVersion, changed: boolean) => void;
}

/** The font folders by the name the /fonts/<name>/ route uses: the cache the print target's subset faces are in. */
export function servedFontDirs(env: Readonly<Record<string, string | undefined>> = {}): Map<string, string> {
  return new Map([['subset', fontCacheDir(env)]]);
}

export async function createSession(options: SessionOptions): Promise<Session> {
  const fontDirs = servedFontDirs(options.env);
  const buildPage = createPageBuilder(fontDirs);
  const caseName = relative(options.source.cwd, options.source.file) || options.source.file;
  let lastDocument: string | undefined;
  let lastKey = '';
  let page: PageVersion;
  let running: Promise<PageVersion> | undefined;
  let again = false;
  let pdfCache: { version: number; outcome: Promise<PdfOutcome> } | undefined;
  const printing = new Set<Promise<PdfOutcome>>();

  async function pass(version: number): Promise<{ page: PageVersion; changed: boolean }> {
    const started = performance.now();
    const snapshot = await options.load();
    const { state } = snapshot;
    if (state.stage === 'rendered') lastDocument = state.rendered.html;
    const view = pageView(snapshot, lastDocument, options, caseName);
    // Only the meta tag with the version differs between two builds of the same page: compare the parts.
    const built = buildPage({ ...view, version: version + 1 });
    const { parts } = built;
    const key = [parts.styleKey, parts.title, parts.lang, parts.bodyAttributes, parts.body].join('\0');
    const changed = key !== lastKey;
    lastKey = key;
    const next = changed ? { ...built, version: version + 1 } : { html: page.html, parts: page.parts, version };
    return { page: { ...next, snapshot, ms: performance.now() - started }, changed };
  }

  page = (await pass(0)).page;

  async function loop(): Promise<PageVersion> {
    do {
      again = false;
      const result = await pass(page.version);
      page = result.page;
      if (result.changed) pdfCache = undefined;
      options.onPass(page, result.changed);
    } while (again);
    return page;
  }

  return {
    current: () => page,
    refresh() {
      if (running) {
        again = true;
        return running;
      }
      running = loop().finally(() => {
        running = undefined;
      });
      return running;
    },
    served() {
      const { state, assets } = page.snapshot;
      return {
        fontDirs,
        templateDirs: state.stage === 'config' ? [] : state.config.templateDirs,
        root: state.stage === 'config' ? options.source.cwd : state.config.root,
        assets: state.stage === 'config' ? new Set<string>() : assets,
      };
    },
    pdf() {
      if (pdfCache?.version !== page.version) {
        const outcome = printPdf(page, options);
        pdfCache = { version: page.version, outcome };
        printing.add(outcome);
        // A failure is not kept: the next request tries again (the browser may have been installed meanwhile).
        void outcome.then((o) => {
          printing.delete(outcome);
          if (!o.ok && pdfCache?.outcome === outcome) pdfCache = undefined;
        });
      }
      return pdfCache.outcome;
    },
    async idle() {
      await Promise.allSettled([running, ...printing]);
    },
  };
}

/** What the page shows for one snapshot: the latest typeset case (faded when this snapshot could not be typeset), why not, and the messages. */
function pageView(snapshot: Snapshot, lastDocument: string | undefined, options: SessionOptions, caseName: string) {
  const { state } = snapshot;
  const config = state.stage === 'config' ? undefined : state.config;
  return {
    nonce: options.nonce,
    server: options.server,
    caseName,
    document: lastDocument,
    stale: state.stage !== 'rendered' && lastDocument !== undefined,
    problem: problemOf(state),
    files: state.files,
    notes: state.stage === 'rendered' ? state.rendered.warnings.map((w) => w.message) : [],
    pdf: state.stage === 'rendered',
    sheet: config ? sheetOf(config) : defaultSheet,
    cwd: options.source.cwd,
  };
}

/** Why a snapshot could not be typeset, in one sentence (none when it was). */
function problemOf(state: Snapshot['state']): string | undefined {
  switch (state.stage) {
    case 'rendered':
      return undefined;
    case 'config':
      return 'huibian.yaml 有错误，无法排版。';
    case 'template':
      return `模板出错，无法排版：${state.message}。`;
    default:
      return '案例有错误，无法排版。';
  }
}

async function printPdf(page: PageVersion, options: SessionOptions): Promise<PdfOutcome> {
  const { state } = page.snapshot;
  if (state.stage !== 'rendered') {
    return { ok: false, status: 409, message: '案例现在有错误，无法生成 PDF；改正并保存后再试。' };
  }
  const lookup = locateBrowser(state.config.browser.executablePath, options.env);
  if (!lookup.found) return { ok: false, status: 503, message: lookup.message };
  try {
    const pdf = await printCase({
      case: state.case,
      config: state.config,
      html: state.rendered.html,
      executablePath: lookup.executablePath,
      env: options.env,
      signal: options.signal,
    });
    return { ok: true, bytes: pdf.bytes, name: `${basename(options.source.file).replace(/\.[^.]*$/, '')}.pdf` };
  } catch (error) {
    if (options.signal.aborted) return { ok: false, status: 503, message: '预览已停止。' };
    return { ok: false, status: 500, message: error instanceof Error ? error.message : String(error) };
  }
}

const defaultSheet: Sheet = { width: '210mm', margin: { top: '25mm', bottom: '22mm', inside: '25mm', outside: '20mm' } };

function sheetOf(config: Parameters<typeof pageCssData>[0]): Sheet {
  const data = pageCssData(config, []);
  return { width: data.page.width, margin: data.page.margin };
}

