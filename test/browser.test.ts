// Finding a browser on Linux, macOS and Windows (a pure function, so every OS is tested here), and launching one:
// a browser that will not start is one sentence, and no Chromium outlives its job, even when it is aborted; a kept
// browser (compile --watch) serves many jobs and is left clean by each.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBrowser, noBrowserMessage, systemCandidates, type BrowserWorld } from '../src/pdf/browser.js';
import { BrowserProblem, keepBrowser, withBrowser } from '../src/pdf/launch.js';
import { processesMatching } from './helpers/pdf.js';

function world(platform: NodeJS.Platform, present: string[], env: Record<string, string> = {}, puppeteerCachePath?: string): BrowserWorld {
  const files = new Set(present);
  return { platform, env, fileExists: (p) => files.has(p), puppeteerCachePath };
}

describe('findBrowser', () => {
  const linuxEnv = { PATH: '/home/u/bin:/usr/local/bin:/usr/bin' };

  it('takes, in order: the configured path, PUPPETEER_EXECUTABLE_PATH, Puppeteer’s cache, then the system', () => {
    const all = ['/opt/cfg/chrome', '/opt/env/chrome', '/cache/chrome', '/usr/bin/chromium'];
    const env = { ...linuxEnv, PUPPETEER_EXECUTABLE_PATH: '/opt/env/chrome' };
    expect(findBrowser('/opt/cfg/chrome', world('linux', all, env, '/cache/chrome'))).toEqual({ found: true, executablePath: '/opt/cfg/chrome', source: 'config' });
    expect(findBrowser(undefined, world('linux', all, env, '/cache/chrome'))).toEqual({ found: true, executablePath: '/opt/env/chrome', source: 'env' });
    expect(findBrowser(undefined, world('linux', all, linuxEnv, '/cache/chrome'))).toEqual({ found: true, executablePath: '/cache/chrome', source: 'puppeteer' });
    expect(findBrowser(undefined, world('linux', all, linuxEnv))).toEqual({ found: true, executablePath: '/usr/bin/chromium', source: 'system' });
  });

  it('skips Puppeteer’s cache when nothing was downloaded there', () => {
    expect(findBrowser(undefined, world('linux', ['/usr/bin/google-chrome'], linuxEnv, '/root/.cache/puppeteer/chrome/linux-1/chrome'))).toMatchObject({
      executablePath: '/usr/bin/google-chrome',
    });
  });

  it('refuses a configured or PUPPETEER_EXECUTABLE_PATH browser that does not exist instead of silently using another', () => {
    const present = ['/usr/bin/chromium'];
    const fromConfig = findBrowser('/opt/typo/chrome', world('linux', present, linuxEnv));
    expect(fromConfig).toEqual({ found: false, message: expect.stringContaining('browser.executablePath') });
    expect(fromConfig.found === false && fromConfig.message).toContain('/opt/typo/chrome');
    const fromEnv = findBrowser(undefined, world('linux', present, { ...linuxEnv, PUPPETEER_EXECUTABLE_PATH: '/nowhere/chrome' }));
    expect(fromEnv.found === false && fromEnv.message).toContain('PUPPETEER_EXECUTABLE_PATH');
  });

  it('on Linux finds chromium, chromium-browser, google-chrome(-stable) and microsoft-edge on PATH, in /usr/bin and in /snap/bin', () => {
    for (const path of ['/home/u/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/snap/bin/chromium', '/usr/bin/microsoft-edge']) {
      expect(findBrowser(undefined, world('linux', [path], linuxEnv)), path).toMatchObject({ found: true, executablePath: path });
    }
    // PATH comes first, so a user's own build wins over the distribution's.
    expect(findBrowser(undefined, world('linux', ['/home/u/bin/chromium', '/usr/bin/chromium'], linuxEnv))).toMatchObject({ executablePath: '/home/u/bin/chromium' });
    expect(findBrowser(undefined, world('linux', ['/snap/bin/chromium'], {}))).toMatchObject({ executablePath: '/snap/bin/chromium' });
  });

  it('on macOS looks in /Applications and ~/Applications app bundles', () => {
    const chrome = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    const edge = '/Users/u/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge';
    expect(findBrowser(undefined, world('darwin', [chrome], { HOME: '/Users/u' }))).toMatchObject({ executablePath: chrome });
    expect(findBrowser(undefined, world('darwin', [edge], { HOME: '/Users/u' }))).toMatchObject({ executablePath: edge });
    expect(findBrowser(undefined, world('darwin', ['/opt/homebrew/bin/chromium'], { PATH: '/opt/homebrew/bin:/usr/bin' }))).toMatchObject({
      executablePath: '/opt/homebrew/bin/chromium',
    });
  });

  it('on Windows looks under %ProgramFiles%, %ProgramFiles(x86)% and %LocalAppData% for Chrome and Edge', () => {
    const env = { ProgramFiles: 'C:\\Program Files', 'ProgramFiles(x86)': 'C:\\Program Files (x86)', LocalAppData: 'C:\\Users\\u\\AppData\\Local' };
    const edge = 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe';
    const userChrome = 'C:\\Users\\u\\AppData\\Local\\Google\\Chrome\\Application\\chrome.exe';
    expect(findBrowser(undefined, world('win32', [edge], env))).toMatchObject({ executablePath: edge });
    expect(findBrowser(undefined, world('win32', [userChrome], env))).toMatchObject({ executablePath: userChrome });
    expect(systemCandidates({ platform: 'win32', env })[0]).toBe('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe');
  });

  it('with no browser anywhere says, in one sentence, how to get one', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(findBrowser(undefined, world(platform, [], { PATH: '/usr/bin' }))).toEqual({ found: false, message: noBrowserMessage });
    }
    expect(noBrowserMessage).toContain('apt-get install chromium');
    expect(noBrowserMessage).toContain('PUPPETEER_EXECUTABLE_PATH');
    expect(noBrowserMessage).toContain('browser.executablePath');
    expect(noBrowserMessage).not.toContain('\n');
  });
});

function restoreTmpdir(before: string | undefined): void {
  if (before === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = before;
}

describe('withBrowser', () => {
  it('turns a program that is not a browser into a BrowserProblem naming it, and removes the profile folder', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'huibian-launch-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const attempt = withBrowser({ executablePath: '/bin/false', timeout: 20_000 }, async () => 'ran');
      await expect(attempt).rejects.toBeInstanceOf(BrowserProblem);
      await expect(attempt).rejects.toThrow('无法启动浏览器“/bin/false”');
    } finally {
      restoreTmpdir(before);
    }
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('closes the browser when the job fails and when it is aborted, leaving no process and no profile behind', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'huibian-launch-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const failing = withBrowser({ executablePath: '/usr/bin/chromium', timeout: 60_000 }, async ({ browser }) => {
        expect(processesMatching(tmp).length).toBeGreaterThan(0);
        await browser.newPage();
        throw new Error('job failed');
      });
      await expect(failing).rejects.toThrow('job failed');
      expect(processesMatching(tmp)).toEqual([]);

      const controller = new AbortController();
      const aborted = withBrowser({ executablePath: '/usr/bin/chromium', timeout: 60_000, signal: controller.signal }, async ({ browser, step }) => {
        const page = await browser.newPage();
        controller.abort(new Error('Ctrl-C'));
        // A step that would otherwise wait for a minute ends at once.
        await step('等待', page.waitForSelector('#never', { timeout: 60_000 }));
      });
      await expect(aborted).rejects.toThrow('Ctrl-C');
      expect(processesMatching(tmp)).toEqual([]);
    } finally {
      restoreTmpdir(before);
    }
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('gives a step that overruns its time limit one sentence pointing at browser.timeout', async () => {
    const slow = withBrowser({ executablePath: '/usr/bin/chromium', timeout: 5000 }, async ({ step }) => {
      await step('测试步骤', new Promise(() => {}));
    });
    await expect(slow).rejects.toThrow(/未完成“测试步骤”.*browser\.timeout/);
  });
});

describe('keepBrowser', () => {
  it('runs jobs in one browser, closes pages a failed job left, survives a job’s own abort, and closes on its signal', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'huibian-kept-'));
    const before = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const controller = new AbortController();
      const kept = keepBrowser({ executablePath: '/usr/bin/chromium', timeout: 60_000, signal: controller.signal });
      expect(kept.launches, 'launched by the first job, not before').toBe(0);
      const [pid, pages] = await kept.run(async ({ browser }) => [browser.process()?.pid, (await browser.pages()).length] as const);
      await expect(
        kept.run(async ({ browser }) => {
          await browser.newPage();
          await browser.newPage();
          throw new Error('job failed');
        }),
      ).rejects.toThrow('job failed');
      const job = new AbortController();
      const aborted = kept.run(
        async ({ browser, step }) => {
          const page = await browser.newPage();
          job.abort(new Error('stop this job'));
          await step('等待', page.waitForSelector('#never', { timeout: 60_000 }));
        },
        { signal: job.signal },
      );
      await expect(aborted).rejects.toThrow('stop this job');
      const after = await kept.run(async ({ browser }) => [browser.process()?.pid, (await browser.pages()).length] as const);
      expect(after, 'the same browser, with only the pages it started with').toEqual([pid, pages]);
      expect(kept.launches).toBe(1);

      controller.abort(new Error('Ctrl-C'));
      await kept.close();
      expect(processesMatching(tmp)).toEqual([]);
      await expect(kept.run(async () => 'ran')).rejects.toThrow('Ctrl-C');
    } finally {
      restoreTmpdir(before);
    }
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('hands out a ready blank tab as a job’s first page: the one opened at launch, then one opened after a job that asked for it, unless the job kept a page', async () => {
    const kept = keepBrowser({ executablePath: '/usr/bin/chromium', timeout: 60_000 });
    try {
      const tabs = async () => kept.run(async ({ browser }) => browser.pages());
      const [launchTab] = await tabs();
      // The tab Chromium opened at launch is the first job's page; a second page is a new one.
      const [first, second] = await kept.run(async ({ newPage }) => [await newPage(), await newPage()]);
      expect(first).toBe(launchTab);
      expect(second).not.toBe(launchTab);
      // Both were this job's: closed after it, and nothing was asked to be opened.
      expect(await tabs()).toEqual([]);

      // A job with openNext that keeps nothing: a blank tab is opened for the next job, which gets it.
      await kept.run(async ({ newPage }) => void (await newPage()), { openNext: true });
      await expect.poll(async () => (await tabs()).length, { timeout: 10_000 }).toBe(1);
      const [ready] = await tabs();
      expect(await kept.run(async ({ newPage }) => newPage())).toBe(ready);

      // A job that keeps its page has no need of another.
      const page = await kept.run(async ({ newPage, keep }) => {
        const page = await newPage();
        keep(page);
        return page;
      }, { openNext: true });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(await tabs()).toEqual([page]);
    } finally {
      await kept.close();
    }
  });
});
