/** The live preview: a session, its server and events channel, the watcher that drives it, and a clean stop on abort. */
import { randomBytes } from 'node:crypto';
import { countMessages } from '../shared/diagnostics.js';
import type { PreviewOptions, PreviewResult } from './options.js';
import { createEventChannel, type EventChannel } from './events.js';
import { openBrowser, type Opened } from './open.js';
import { startServer } from './server.js';
import { createSession, type PageVersion } from './session.js';
import type { PreviewSource, Snapshot } from './snapshot.js';
import { createWatcher } from '../shared/watch.js';

/** Short enough to stay well inside the 200 ms budget, long enough to fold an editor's write-and-rename into one pass. */
export const defaultDebounceMs = 15;

/** Serve until `options.signal` aborts. Exit code 0 after a stop, 2 when the port cannot be used. */
export async function serve(source: PreviewSource, load: () => Promise<Snapshot>, options: PreviewOptions): Promise<PreviewResult> {
  const stdout = options.streams?.stdout;
  const stderr = options.streams?.stderr;
  const stopping = new AbortController();
  const onAbort = () => stopping.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stopping.abort(options.signal.reason);

  const nonce = randomBytes(16).toString('base64');
  const serverId = randomBytes(6).toString('hex');
  let channel: EventChannel | undefined;
  // A pass that throws is a bug in huibian, not in the case: say so and keep serving the last page.
  const refresh = () => void session.refresh().catch((error: unknown) => stderr?.write(`huibian：预览更新失败：${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`));
  const watcher = createWatcher(refresh, {
    debounceMs: options.debounceMs ?? defaultDebounceMs,
    onError: (dir, error) => {
      // A folder that does not exist (an image folder not made yet) is reported by lint already.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') stderr?.write(`警告：无法监视文件夹“${dir}”的变化：${error.message}\n`);
    },
  });
  let sentStyleKey: string | undefined;
  const onPass = (page: PageVersion, changed: boolean) => {
    watcher.set(page.snapshot.watchFiles, page.snapshot.watchDirs);
    if (!changed) return;
    // Pages got the styles on connecting and every event since: send them again only when they changed.
    const { styles, ...rest } = page.parts;
    channel?.publish({ server: serverId, version: page.version, ...rest, ...(rest.styleKey === sentStyleKey ? {} : { styles }) });
    sentStyleKey = rest.styleKey;
    stderr?.write(`已更新（第 ${page.version} 版，${Math.round(page.ms)} 毫秒）：${countsText(page)}\n`);
    options.onVersion?.({ version: page.version, ms: page.ms });
  };
  const session = await createSession({ source, load, nonce, server: serverId, env: options.env ?? {}, signal: stopping.signal, onPass });
  channel = createEventChannel(() => ({ server: serverId, version: session.current().version, ...session.current().parts }));
  sentStyleKey = session.current().parts.styleKey;
  watcher.set(session.current().snapshot.watchFiles, session.current().snapshot.watchDirs);

  let listening;
  try {
    listening = await startServer(session, channel, options.port ?? 0, nonce);
  } catch (error) {
    watcher.close();
    channel.close();
    options.signal?.removeEventListener('abort', onAbort);
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'EADDRINUSE'
        ? `端口 ${options.port} 已被占用；请换一个端口（--port），或不指定端口，由 huibian 自选一个空闲端口`
        : `无法在 127.0.0.1:${options.port ?? 0} 上启动预览服务：${(error as Error).message}`;
    stderr?.write(`huibian：${problem}\n`);
    return { exitCode: 2, files: session.current().snapshot.state.files, outputs: [], problem };
  }
  const { server, url } = listening;
  stdout?.write(`预览地址：${url}\n按 Ctrl-C 停止。\n`);
  stderr?.write(`已排版（第 ${session.current().version} 版，${Math.round(session.current().ms)} 毫秒）：${countsText(session.current())}\n`);
  let opened: Opened | undefined;
  if (options.open) {
    opened = openBrowser(url, options.platform ?? 'linux');
    void opened.outcome.then((warning) => warning && stderr?.write(`警告：${warning}\n`));
  }
  options.onListening?.({ url, port: listening.port });

  await new Promise<void>((resolve) => {
    if (stopping.signal.aborted) return resolve();
    stopping.signal.addEventListener('abort', () => resolve(), { once: true });
  });

  // Stop taking work first, then let a running print see the abort and close its browser before we return.
  watcher.close();
  channel.close();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
  await session.idle();
  if (opened?.child && opened.child.exitCode === null && opened.child.signalCode === null) opened.child.kill();
  options.signal?.removeEventListener('abort', onAbort);
  stderr?.write('预览已停止。\n');
  return { exitCode: 0, files: session.current().snapshot.state.files, outputs: [], url };
}

function countsText(page: PageVersion): string {
  const { errors, warnings } = countMessages(page.snapshot.state.files);
  const stage = page.snapshot.state.stage;
  const counts = errors + warnings === 0 ? '没有问题' : [errors ? `${errors} 个错误` : '', warnings ? `${warnings} 个警告` : ''].filter(Boolean).join('，');
  if (page.snapshot.state.stage === 'template') return `模板出错，无法排版：${page.snapshot.state.message}`;
  return stage === 'config' ? `huibian.yaml 有错误（${counts}）` : stage === 'case' ? `无法排版（${counts}）` : counts;
}
