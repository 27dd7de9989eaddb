/**
 * Launching and closing Chromium: one headless browser per job (withBrowser) or one kept for many (keepBrowser, for
 * `compile --watch`), closed on every path, with a time limit on each step.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { ProtocolError, type Browser, type Page } from 'puppeteer';
import { findBrowser, type BrowserLookup } from './browser.js';

/** A broken environment (no browser, a browser that will not start, a step that timed out): one sentence for the user, exit code 2. */
export class BrowserProblem extends Error {
  override name = 'BrowserProblem';
}

/** Flags that work on a locked-down Linux box (root, no GPU, no network) as well as on a desktop. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Find the browser on this machine (see findBrowser for the order). */
export function locateBrowser(configured: string | undefined, env: Readonly<Record<string, string | undefined>>): BrowserLookup {
  let puppeteerCachePath: string | undefined;
  try {
    puppeteerCachePath = puppeteer.executablePath();
  } catch {
    // No cache configured: nothing to look at there.
  }
  return findBrowser(configured, { env, platform: process.platform, fileExists: existsSync, puppeteerCachePath });
}

export interface LaunchOptions {
  executablePath: string;
  /** Time limit for launching and for each later step, in milliseconds. */
  timeout: number;
  /** The longest limit a step will be given (see BrowserSession.step), if longer than `timeout`. */
  longestStep?: number;
  signal?: AbortSignal;
}

/** The browser and the helpers a job uses while it runs. */
export interface BrowserSession {
  browser: Browser;
  /** Run one step under the session's time limit (or `limit` ms) and abort signal. */
  step<T>(what: string, work: Promise<T>, limit?: number): Promise<T>;
  /** The time limit per step, in milliseconds. */
  timeout: number;
  /**
   * A page to work in: a blank tab ready for it when there is one — the tab the browser opened at launch, or one opened
   * after the last job (a new page takes 0.2–0.7 s, the most just after launch) — otherwise a new page.
   */
  newPage(): Promise<Page>;
  /** Leave `page` open when the job ends (a kept browser's later jobs may use it); other pages the job opened are closed. */
  keep(page: Page): void;
}

/**
 * Launch a browser, run `job`, and close the browser whatever happens: on success, on error, on timeout and when
 * `signal` aborts (Ctrl-C). The temporary profile folder is removed afterwards.
 */
export async function withBrowser<T>(options: LaunchOptions, job: (session: BrowserSession) => Promise<T>): Promise<T> {
  const kept = keepBrowser(options);
  try {
    return await kept.run(job);
  } finally {
    await kept.close();
  }
}

/** How to run one job with a kept browser. */
export interface RunOptions {
  /** Stops this job only; the browser stays for the next one. */
  signal?: AbortSignal;
  /** The longest limit the job will give a step (see LaunchOptions). */
  longestStep?: number;
  /**
   * When the job keeps no page, open a blank one for the next job as soon as it ends, without waiting for it
   * (`compile --watch` of a big book: the next build's first page is then ready).
   */
  openNext?: boolean;
}

/** A browser kept running between jobs (`huibian compile --watch`): launched by the first job, relaunched after a crash. */
export interface KeptBrowser {
  /**
   * Run `job` with the browser, launching it first when it is not running. Jobs run one at a time, in the order given.
   * `signal` stops this job only (the browser stays for the next one); `longestStep` is the longest limit the job will
   * give a step (see LaunchOptions), and a browser launched with a shorter protocol limit is started afresh for it.
   * Pages the job leaves open are closed after it, but for those it asks to keep (BrowserSession.keep). A job that
   * times out or loses the browser closes it: the next job gets a new one.
   */
  run<T>(job: (session: BrowserSession) => Promise<T>, options?: RunOptions): Promise<T>;
  /**
   * Start launching the browser now, before any job: a one-shot compile launches it while lint and the HTML are still
   * being made. A launch that fails is reported by the first job, which tries again.
   */
  warm(longestStep?: number): void;
  /** Close the browser (a running job fails at once) and remove its profile folder. Later runs are refused. */
  close(): Promise<void>;
  /** How many times a browser was launched: 1 after the first job, one more after each crash. */
  readonly launches: number;
}

/**
 * Keep one browser for many jobs. It is launched by the first `run`, not here, and closed by `close()` or when
 * `options.signal` aborts; either way no Chromium process and no profile folder are left behind.
 */
export function keepBrowser(options: LaunchOptions): KeptBrowser {
  let running: Promise<Running> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let closing: Promise<void> | undefined;
  let launches = 0;

  const shutDown = async () => {
    const current = running;
    running = undefined;
    await current?.then((r) => r.close(), () => undefined);
  };
  const close = () =>
    (closing ??= (async () => {
      options.signal?.removeEventListener('abort', onAbort);
      // First the browser, so that a running job fails at once; then wait for that job to finish with it.
      await shutDown();
      await queue;
    })());
  const onAbort = () => void close();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  /** The running browser, if it is alive and its protocol limit is long enough; otherwise a new one. */
  async function ready(protocolTimeout: number): Promise<Running> {
    const current = await running?.catch(() => undefined);
    if (current?.browser.connected && current.protocolTimeout >= protocolTimeout) return current;
    await shutDown();
    if (closing) throw options.signal?.reason ?? new Error('浏览器已关闭');
    launches += 1;
    running = launchBrowser(options, protocolTimeout);
    return running;
  }

  async function runJob<T>(job: (session: BrowserSession) => Promise<T>, { signal: jobSignal, longestStep, openNext }: RunOptions): Promise<T> {
    const signals = [options.signal, jobSignal].filter((s): s is AbortSignal => !!s);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    signal?.throwIfAborted();
    if (closing) throw new Error('浏览器已关闭');
    // Printing a big book is one protocol call, so the protocol limit is the longest limit any step has.
    const current = await untilAborted(ready(Math.max(options.timeout, longestStep ?? options.longestStep ?? 0)), signal);
    const { browser } = current;
    const before = new Set(await limit('打开页面', browser.pages(), options.timeout, signal));
    const step = <S>(what: string, work: Promise<S>, ms = options.timeout) => limit(what, work, ms, signal);
    const kept = new Set<Page>();
    const newPage = async () => {
      const blank = current.blankTab;
      current.blankTab = undefined;
      if (!blank || blank.isClosed() || blank.url() !== 'about:blank') return browser.newPage();
      // Opened by this job as far as closing goes: left open only if kept.
      before.delete(blank);
      return blank;
    };
    try {
      return await job({ browser, step, timeout: options.timeout, keep: (page) => kept.add(page), newPage });
    } catch (error) {
      // After an abort, whatever the browser said while being closed is noise: report the abort itself.
      if (signal?.aborted) throw signal.reason;
      // The browser crashed or was killed mid-job: Puppeteer says "Target closed" or "Connection closed".
      const lost = !(error instanceof BrowserProblem) && (!browser.connected || error instanceof ProtocolError);
      // A browser that lost a job or overran a limit may be hung: the next job starts a new one.
      if (lost || error instanceof BrowserProblem) await shutDown();
      if (lost) throw new BrowserProblem(`浏览器在排版时意外退出（${firstLine(error)}）；原有的输出文件保持原样，请重试`);
      throw error;
    } finally {
      // A job that failed half-way leaves its pages open; the next job should find the browser as the first did.
      if (browser.connected && !closing) {
        const pages = await limit('关闭页面', browser.pages(), options.timeout).catch(() => []);
        await Promise.all(pages.filter((p) => !before.has(p) && !kept.has(p)).map((p) => p.close().catch(() => undefined)));
        if (openNext && !kept.size && !current.blankTab) {
          void browser.newPage().then(
            (page) => {
              if (closing || current.blankTab || !browser.connected) void page.close().catch(() => undefined);
              else current.blankTab = page;
            },
            () => undefined,
          );
        }
      }
    }
  }

  return {
    run(job, runOptions = {}) {
      const result = queue.then(() => runJob(job, runOptions));
      queue = result.catch(() => undefined);
      return result;
    },
    warm(longestStep) {
      if (closing || running) return;
      const protocolTimeout = Math.max(options.timeout, longestStep ?? options.longestStep ?? 0);
      queue = queue.then(() => ready(protocolTimeout).then(() => undefined, () => undefined));
    },
    close,
    get launches() {
      return launches;
    },
  };
}

/** The kept browser a watch loop prints with, for whichever browser and time limit huibian.yaml names at the moment. */
export interface KeptBrowsers {
  /** The kept browser for this executable and time limit; asking for another closes the previous one. */
  get(launch: { executablePath: string; timeout: number }): KeptBrowser;
  /** Close the current browser; later `get` calls are refused. */
  close(): Promise<void>;
}

/** Keep one browser at a time, closed when `signal` aborts: `browser.executablePath` or `browser.timeout` edited in huibian.yaml takes effect on the next build. */
export function keepBrowsers(signal?: AbortSignal): KeptBrowsers {
  let current: { key: string; kept: KeptBrowser } | undefined;
  const closing: Promise<void>[] = [];
  let closed = false;
  return {
    get({ executablePath, timeout }) {
      if (closed) throw new Error('浏览器已关闭');
      const key = `${timeout} ${executablePath}`;
      if (current?.key === key) return current.kept;
      if (current) closing.push(current.kept.close());
      current = { key, kept: keepBrowser({ executablePath, timeout, signal }) };
      return current.kept;
    },
    async close() {
      closed = true;
      if (current) closing.push(current.kept.close());
      current = undefined;
      await Promise.all(closing);
    },
  };
}

/** One launched browser and how to close it for good. */
interface Running {
  browser: Browser;
  /** The protocol limit it was launched with. */
  protocolTimeout: number;
  /**
   * A blank tab for the next job's first page (BrowserSession.newPage): the one opened at launch, or one opened after
   * a job (RunOptions.openNext).
   */
  blankTab?: Page;
  /** Close the browser (killing it if need be) and remove its profile folder; safe to call more than once. */
  close(): Promise<void>;
}

/** Launch Chromium with a fresh profile folder; a failure is one BrowserProblem sentence, and leaves nothing behind. */
async function launchBrowser(options: LaunchOptions, protocolTimeout: number): Promise<Running> {
  options.signal?.throwIfAborted();
  const userDataDir = await mkdtemp(join(tmpdir(), 'huibian-chromium-'));
  // Aborting this kills a browser process still starting: one that never answers (hung, or not a browser at all)
  // would otherwise keep its pipes, and so this process, alive until Puppeteer's own protocol timeout.
  const launchAbort = new AbortController();
  const onAbort = () => launchAbort.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const launching = puppeteer.launch({
    executablePath: options.executablePath,
    headless: true,
    args: chromiumArgs,
    userDataDir,
    timeout: options.timeout,
    protocolTimeout,
    signal: launchAbort.signal,
    pipe: true,
    // The library must not install process-wide signal handlers; the CLI turns Ctrl-C into `signal`.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  let browser: Browser;
  try {
    browser = await limit('启动浏览器', launching, options.timeout, options.signal);
    // Ctrl-C can win the race against a browser that has just started: close it at once.
    options.signal?.throwIfAborted();
  } catch (error) {
    launchAbort.abort();
    await launching.then(closeBrowser, () => undefined);
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
    if (options.signal?.aborted || error instanceof BrowserProblem) throw error;
    throw new BrowserProblem(`无法启动浏览器“${options.executablePath}”：${firstLine(error)}；请确认它是 Chrome、Chromium 或 Edge 的可执行文件`);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  let closed: Promise<void> | undefined;
  const [blankTab] = await browser.pages().catch(() => []);
  return {
    browser,
    protocolTimeout,
    blankTab,
    close: () => (closed ??= closeBrowser(browser).then(() => rm(userDataDir, { recursive: true, force: true, maxRetries: 3 }))),
  };
}

/** Close gracefully, and kill the process if that does not finish promptly, so no Chromium is left behind. */
async function closeBrowser(browser: Browser): Promise<void> {
  const child = browser.process();
  const killed = new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      child?.kill('SIGKILL');
      resolve();
    }, 5000);
    timer.unref();
  });
  await Promise.race([browser.close().catch(() => child?.kill('SIGKILL')), killed]);
  if (child && child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      setTimeout(resolve, 2000).unref();
    });
  }
}

/** `work`, or the signal's reason as soon as it aborts (the work goes on, and is the caller's to clean up). */
function untilAborted<T>(work: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Race `work` against a time limit and an abort signal. */
function limit<T>(what: string, work: Promise<T>, timeout: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // An aborted signal fires no more events: a step begun after the abort must end at once, not when its work does.
    if (signal?.aborted) {
      work.catch(() => undefined);
      return reject(signal.reason);
    }
    const timer = setTimeout(
      () => reject(new BrowserProblem(`浏览器在 ${Math.round(timeout / 1000)} 秒内未完成“${what}”；可在 huibian.yaml 中加大 browser.timeout`)),
      timeout,
    );
    const onAbort = () => reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
