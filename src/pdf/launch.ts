/** Launching and closing Chromium: one headless browser per job, closed on every path, with a time limit on each step. */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { ProtocolError, type Browser } from 'puppeteer';
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
}

/**
 * Launch a browser, run `job`, and close the browser whatever happens: on success, on error, on timeout and when
 * `signal` aborts (Ctrl-C). The temporary profile folder is removed afterwards.
 */
export async function withBrowser<T>(options: LaunchOptions, job: (session: BrowserSession) => Promise<T>): Promise<T> {
  options.signal?.throwIfAborted();
  const userDataDir = await mkdtemp(join(tmpdir(), 'huibian-chromium-'));
  let browser: Browser | undefined;
  let launching: Promise<Browser> | undefined;
  let closing: Promise<void> | undefined;
  // Ctrl-C or the time limit can win the race against a browser still starting: close that one as soon as it is up.
  const close = () =>
    (closing ??= browser ? closeBrowser(browser) : launching ? launching.then(closeBrowser, () => undefined) : Promise.resolve());
  // Aborting this kills a browser process still starting: one that never answers (hung, or not a browser at all)
  // would otherwise keep its pipes, and so this process, alive until Puppeteer's own protocol timeout.
  const launchAbort = new AbortController();
  const onAbort = () => {
    // Once the browser is up, close it gracefully instead (the launch signal would kill it outright).
    if (!browser) launchAbort.abort();
    void close();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const step = <S>(what: string, work: Promise<S>, ms = options.timeout) => limit(what, work, ms, options.signal);
  try {
    try {
      browser = await step(
        '启动浏览器',
        (launching = puppeteer.launch({
          executablePath: options.executablePath,
          headless: true,
          args: chromiumArgs,
          userDataDir,
          timeout: options.timeout,
          // Printing a big book is one protocol call, so it needs the longest limit any step has.
          protocolTimeout: Math.max(options.timeout, options.longestStep ?? 0),
          signal: launchAbort.signal,
          pipe: true,
          // The library must not install process-wide signal handlers; the CLI turns Ctrl-C into `signal`.
          handleSIGINT: false,
          handleSIGTERM: false,
          handleSIGHUP: false,
        })),
      );
    } catch (error) {
      launchAbort.abort();
      if (options.signal?.aborted || error instanceof BrowserProblem) throw error;
      throw new BrowserProblem(`无法启动浏览器“${options.executablePath}”：${firstLine(error)}；请确认它是 Chrome、Chromium 或 Edge 的可执行文件`);
    }
    if (options.signal?.aborted) throw options.signal.reason;
    return await job({ browser, step, timeout: options.timeout });
  } catch (error) {
    // After an abort, whatever the browser said while being closed is noise: report the abort itself.
    if (options.signal?.aborted) throw options.signal.reason;
    // The browser crashed or was killed mid-job: Puppeteer says "Target closed" or "Connection closed".
    if (!(error instanceof BrowserProblem) && (browser?.connected === false || error instanceof ProtocolError)) {
      throw new BrowserProblem(`浏览器在排版时意外退出（${firstLine(error)}）；原有的输出文件保持原样，请重试`);
    }
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await close();
    await rm(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  }
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

/** Race `work` against a time limit and an abort signal. */
function limit<T>(what: string, work: Promise<T>, timeout: number, signal?: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
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
