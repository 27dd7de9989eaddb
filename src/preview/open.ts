/** `--open`: hand the URL to the system's opener (xdg-open, open, start). Failing to open is a warning, never fatal. */
import { spawn, type ChildProcess } from 'node:child_process';

/** The command that opens a URL in the default browser on a platform. */
export function openerFor(platform: NodeJS.Platform, url: string): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  // `start` is a cmd built-in; its first quoted argument is a window title, hence the empty one.
  if (platform === 'win32') return { command: 'cmd', args: ['/d', '/s', '/c', 'start', '""', url] };
  return { command: 'xdg-open', args: [url] };
}

export interface Opened {
  /** The opener while it runs; stopping the preview ends it if it is still running. */
  child?: ChildProcess;
  /** Resolves with a warning when opening failed, or undefined. */
  outcome: Promise<string | undefined>;
}

export function openBrowser(url: string, platform: NodeJS.Platform): Opened {
  const { command, args } = openerFor(platform, url);
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: 'ignore', windowsVerbatimArguments: platform === 'win32' });
  } catch (error) {
    return { outcome: Promise.resolve(failed(command, url, error)) };
  }
  const outcome = new Promise<string | undefined>((resolve) => {
    child.once('error', (error) => resolve(failed(command, url, error)));
    child.once('exit', (code) => resolve(code ? `无法打开浏览器（${command} 以退出码 ${code} 结束）；请手动打开 ${url}` : undefined));
  });
  child.unref();
  return { child, outcome };
}

function failed(command: string, url: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? `找不到 ${command}` : `${command}：${error instanceof Error ? error.message : String(error)}`;
  return `无法打开浏览器（${why}）；请手动打开 ${url}`;
}
