/** Finding a Chrome, Chromium or Edge the way a user's machine has one: configured path, env, Puppeteer's cache, system installs. */
import path from 'node:path';

/** The outside world browser discovery looks at; injected so it can be tested for every OS on any OS. */
export interface BrowserWorld {
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  fileExists: (path: string) => boolean;
  /** Where Puppeteer's own download would be (`puppeteer.executablePath()`), whether or not it exists. */
  puppeteerCachePath?: string;
}

export type BrowserSource = 'config' | 'env' | 'puppeteer' | 'system';

export type BrowserLookup =
  | { found: true; executablePath: string; source: BrowserSource }
  | { found: false; message: string };

/** The sentence shown when no browser is found. */
export const noBrowserMessage =
  '未找到可用于生成 PDF 的浏览器（Chrome、Chromium 或 Edge）：请安装一个（Debian/Ubuntu：sudo apt-get install chromium；Windows、macOS：安装 Google Chrome 或 Microsoft Edge），或用环境变量 PUPPETEER_EXECUTABLE_PATH 或 huibian.yaml 中的 browser.executablePath 指明浏览器程序的路径';

/**
 * Find a browser. An explicitly named path (config, then PUPPETEER_EXECUTABLE_PATH) that does not exist is an error
 * rather than a reason to look elsewhere: the user asked for that browser, so silently printing with another would surprise.
 */
export function findBrowser(configured: string | undefined, world: BrowserWorld): BrowserLookup {
  if (configured) {
    return world.fileExists(configured)
      ? { found: true, executablePath: configured, source: 'config' }
      : { found: false, message: `huibian.yaml 中 browser.executablePath 指定的浏览器“${configured}”不存在；请改正路径，或删去这一项让 huibian 自动查找` };
  }
  const fromEnv = world.env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    return world.fileExists(fromEnv)
      ? { found: true, executablePath: fromEnv, source: 'env' }
      : { found: false, message: `环境变量 PUPPETEER_EXECUTABLE_PATH 指定的浏览器“${fromEnv}”不存在；请改正路径，或取消这个变量让 huibian 自动查找` };
  }
  if (world.puppeteerCachePath && world.fileExists(world.puppeteerCachePath)) {
    return { found: true, executablePath: world.puppeteerCachePath, source: 'puppeteer' };
  }
  for (const candidate of systemCandidates(world)) {
    if (world.fileExists(candidate)) return { found: true, executablePath: candidate, source: 'system' };
  }
  return { found: false, message: noBrowserMessage };
}

const linuxNames = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'microsoft-edge', 'microsoft-edge-stable'];

/** Where browsers are usually installed, most likely first. */
export function systemCandidates(world: Pick<BrowserWorld, 'env' | 'platform'>): string[] {
  const { env, platform } = world;
  if (platform === 'win32') {
    const p = path.win32;
    const roots = [env.ProgramFiles ?? env.PROGRAMFILES, env['ProgramFiles(x86)'] ?? env['PROGRAMFILES(X86)'], env.LocalAppData ?? env.LOCALAPPDATA];
    const apps = [
      ['Google', 'Chrome', 'Application', 'chrome.exe'],
      ['Microsoft', 'Edge', 'Application', 'msedge.exe'],
      ['Chromium', 'Application', 'chrome.exe'],
    ];
    return roots.filter((r): r is string => !!r).flatMap((root) => apps.map((app) => p.join(root, ...app)));
  }
  const p = path.posix;
  const onPath = (env.PATH ?? '')
    .split(':')
    .filter(Boolean)
    .flatMap((dir) => linuxNames.map((name) => p.join(dir, name)));
  if (platform === 'darwin') {
    const home = env.HOME;
    const apps = [
      ['Google Chrome.app', 'Google Chrome'],
      ['Chromium.app', 'Chromium'],
      ['Microsoft Edge.app', 'Microsoft Edge'],
    ];
    const dirs = ['/Applications', ...(home ? [p.join(home, 'Applications')] : [])];
    return unique([...dirs.flatMap((dir) => apps.map(([app, bin]) => p.join(dir, app!, 'Contents', 'MacOS', bin!))), ...onPath]);
  }
  const fixed = ['/usr/bin', '/snap/bin', '/usr/local/bin'].flatMap((dir) => linuxNames.map((name) => p.join(dir, name)));
  return unique([...onPath, ...fixed]);
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
