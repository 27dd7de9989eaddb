/** Finding LibreOffice the way the browser is found, and converting a .doc or .wps to .docx with it, headless and bounded. */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ParsedConfig } from '../config/schema.js';

/** The outside world the lookup reads; injected so every OS's paths can be tested on any OS. */
export interface SofficeWorld {
  platform: NodeJS.Platform;
  fileExists: (path: string) => boolean;
  /** Entries of a folder (for /opt/libreoffice7.x); empty when it does not exist. */
  listDir: (path: string) => string[];
}

export type SofficeSource = 'config' | 'env' | 'path' | 'system';

export type SofficeLookup = { found: true; path: string; source: SofficeSource } | { found: false; message: string };

/** The environment variable that names soffice, like PUPPETEER_EXECUTABLE_PATH names the browser. */
export const sofficeEnvVar = 'HUIBIAN_SOFFICE';

/** The sentence shown when LibreOffice is needed and not found. */
export const noSofficeMessage =
  '未找到 LibreOffice，无法转换 .doc 和 .wps 文件：请安装 LibreOffice（Debian/Ubuntu：sudo apt-get install libreoffice-writer-nogui；Windows、macOS：从 libreoffice.org 下载安装），或用环境变量 HUIBIAN_SOFFICE 或 huibian.yaml 中的 import.soffice 指明 soffice 程序的路径；也可以在 Word 或 WPS 中把文件另存为 .docx';

const realWorld: SofficeWorld = {
  platform: process.platform,
  fileExists: (p) => {
    try {
      return statSync(p).isFile();
    } catch {
      return false;
    }
  },
  listDir: (p) => {
    try {
      return existsSync(p) ? readdirSync(p) : [];
    } catch {
      return [];
    }
  },
};

type SofficeConfig = { import?: Pick<ParsedConfig['import'], 'soffice'> } | undefined;

/** The soffice to use, or undefined when there is none (see `lookupSoffice` for why). */
export function findSoffice(config: SofficeConfig, env: Readonly<Record<string, string | undefined>>, world: SofficeWorld = realWorld): string | undefined {
  const found = lookupSoffice(config, env, world);
  return found.found ? found.path : undefined;
}

/**
 * Where soffice is, in this order: `import.soffice` in huibian.yaml, the HUIBIAN_SOFFICE environment variable, PATH,
 * then the usual install places. A named path that does not exist is an error, not a reason to look elsewhere.
 */
export function lookupSoffice(config: SofficeConfig, env: Readonly<Record<string, string | undefined>>, world: SofficeWorld = realWorld): SofficeLookup {
  const configured = config?.import?.soffice;
  if (configured) {
    return world.fileExists(configured)
      ? { found: true, path: configured, source: 'config' }
      : { found: false, message: `huibian.yaml 中 import.soffice 指定的 LibreOffice 程序“${configured}”不存在；请改正路径，或删去这一项让 huibian 自动查找` };
  }
  const fromEnv = env[sofficeEnvVar];
  if (fromEnv) {
    return world.fileExists(fromEnv)
      ? { found: true, path: fromEnv, source: 'env' }
      : { found: false, message: `环境变量 ${sofficeEnvVar} 指定的 LibreOffice 程序“${fromEnv}”不存在；请改正路径，或取消这个变量让 huibian 自动查找` };
  }
  for (const candidate of pathCandidates(env, world.platform)) {
    if (world.fileExists(candidate)) return { found: true, path: candidate, source: 'path' };
  }
  for (const candidate of installCandidates(env, world)) {
    if (world.fileExists(candidate)) return { found: true, path: candidate, source: 'system' };
  }
  return { found: false, message: noSofficeMessage };
}

function pathCandidates(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform): string[] {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : ':').filter(Boolean);
  const names = platform === 'win32' ? ['soffice.exe', 'soffice.com'] : ['soffice', 'libreoffice'];
  return dirs.flatMap((dir) => names.map((name) => p.join(dir, name)));
}

/** Where LibreOffice installs itself on each system, most likely first. */
export function installCandidates(env: Readonly<Record<string, string | undefined>>, world: Pick<SofficeWorld, 'platform' | 'listDir'>): string[] {
  if (world.platform === 'win32') {
    const roots = [env.ProgramFiles ?? env.PROGRAMFILES, env['ProgramFiles(x86)'] ?? env['PROGRAMFILES(X86)'], env.LocalAppData ?? env.LOCALAPPDATA];
    return roots.filter((r): r is string => !!r).map((root) => path.win32.join(root, 'LibreOffice', 'program', 'soffice.exe'));
  }
  const p = path.posix;
  if (world.platform === 'darwin') {
    const dirs = ['/Applications', ...(env.HOME ? [p.join(env.HOME, 'Applications')] : [])];
    return dirs.map((dir) => p.join(dir, 'LibreOffice.app', 'Contents', 'MacOS', 'soffice'));
  }
  // The libreoffice.org .deb/.rpm installs to /opt/libreoffice7.6/program/soffice, one folder per version: newest first.
  const opt = world
    .listDir('/opt')
    .filter((name) => /^libreoffice/i.test(name))
    .sort((a, b) => b.localeCompare(a, 'en', { numeric: true }))
    .map((name) => p.join('/opt', name, 'program', 'soffice'));
  return ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice', '/usr/local/bin/soffice', '/snap/bin/libreoffice', ...opt, '/opt/libreoffice/program/soffice'];
}

export interface ConvertOptions {
  soffice: string;
  /** Where the .docx is written (its name is the input's with .docx). */
  outDir: string;
  signal?: AbortSignal;
  /** Default 120 s: a first conversion with a fresh profile takes several seconds on a busy machine. */
  timeoutMs?: number;
}

/**
 * Convert a Word 97 `.doc`, a `.wps` or anything Writer opens to `.docx`; resolves to the .docx path. LibreOffice runs
 * headless with a profile of its own in a temporary folder, so runs in parallel (and a desktop LibreOffice the user has
 * open) do not collide; it is killed, with its child processes, on abort or timeout. Rejects with one Chinese sentence.
 */
export async function convertToDocx(input: string, opts: ConvertOptions): Promise<string> {
  const [result] = await convertAllToDocx([input], opts);
  if (!result!.ok) throw new Error(result!.message);
  return result!.path;
}

export type Converted = { input: string; ok: true; path: string } | { input: string; ok: false; message: string };

/**
 * Convert many files with one LibreOffice start: starting it (a fresh profile each time) costs ~5–10 s on a busy
 * 2-core machine, converting a page-or-two document well under a second. Results come back in the order given; one
 * file that cannot be converted fails alone. LibreOffice names each output after its input, so a second file of the
 * same name (from another folder) fails with a message rather than overwrite the first. A timeout or an abort fails all.
 */
export async function convertAllToDocx(inputs: readonly string[], opts: ConvertOptions): Promise<Converted[]> {
  // Absolute paths, so a file named “-x.doc” is never read as an option.
  const absolute = inputs.map((i) => path.resolve(i));
  const outDir = path.resolve(opts.outDir);
  const stem = (p: string) => path.parse(p).name.normalize('NFC').toLowerCase();
  const firstOfName = new Map<string, number>();
  absolute.forEach((input, i) => firstOfName.has(stem(input)) || firstOfName.set(stem(input), i));
  const unique = absolute.filter((input, i) => firstOfName.get(stem(input)) === i);
  const converted = new Map((unique.length ? await convertBatch(unique, outDir, opts) : []).map((r) => [r.input, r]));
  return absolute.map((input, i): Converted => {
    const first = firstOfName.get(stem(input))!;
    if (first !== i) {
      return {
        input: inputs[i]!,
        ok: false,
        message: `“${inputs[i]}”与“${inputs[first]}”同名，转换出的 .docx 会互相覆盖：请把它们分到不同的输出文件夹转换`,
      };
    }
    return { ...converted.get(input)!, input: inputs[i]! };
  });
}

async function convertBatch(inputs: readonly string[], outDir: string, opts: ConvertOptions): Promise<Converted[]> {
  const outOf = (input: string) => path.join(outDir, `${path.parse(input).name}.docx`);
  const fail = (message: (name: string) => string) => inputs.map((input): Converted => ({ input, ok: false, message: message(path.basename(input)) }));
  if (opts.signal?.aborted) return fail((name) => `已中断：没有转换“${name}”`);
  const timeoutMs = opts.timeoutMs ?? 120_000 + 30_000 * (inputs.length - 1);
  const profile = await mkdtemp(path.join(tmpdir(), 'huibian-soffice-'));
  try {
    const args = [
      `-env:UserInstallation=${pathToFileURL(profile).href}`,
      '--headless',
      '--invisible',
      '--norestore',
      '--nolockcheck',
      '--nodefault',
      '--nologo',
      '--convert-to',
      'docx:MS Word 2007 XML',
      '--outdir',
      outDir,
      ...inputs,
    ];
    const started = Date.now();
    const result = await run(opts.soffice, args, timeoutMs, opts.signal);
    if (result.kind === 'spawn-error') return fail(() => `无法运行 LibreOffice（${opts.soffice}）：${result.message}；${noSofficeMessage}`);
    const converted = await Promise.all(
      inputs.map(async (input) => {
        // soffice exits 0 even when it could not load a file, so a fresh output file is the only sure sign.
        const written = await stat(outOf(input)).catch(() => undefined);
        return !!written?.isFile() && written.mtimeMs >= started - 2000 && written.size > 0;
      }),
    );
    return inputs.map((input, i): Converted => {
      const name = path.basename(input);
      // After a kill the file being written may be cut short, so on timeout or abort none counts as converted.
      if (converted[i] && result.kind === 'exit') return { input, ok: true, path: outOf(input) };
      if (result.kind === 'aborted') return { input, ok: false, message: `已中断：LibreOffice 转换“${name}”时被停止` };
      if (result.kind === 'timeout') {
        return { input, ok: false, message: `LibreOffice 转换“${name}”超过 ${Math.ceil(timeoutMs / 1000)} 秒没有完成，已停止；文件可能太大或已损坏，可在 Word 或 WPS 中另存为 .docx` };
      }
      const why = result.output.split('\n').map((l) => l.trim()).find((l) => /error|fail/i.test(l));
      return {
        input,
        ok: false,
        message: `LibreOffice 没能把“${name}”转换为 .docx${why && inputs.length === 1 ? `（${why}）` : ''}；文件可能已损坏、加了密码或不是文档，可在 Word 或 WPS 中打开后另存为 .docx`,
      };
    });
  } finally {
    await rm(profile, { recursive: true, force: true }).catch(() => undefined);
  }
}

type RunResult = { kind: 'exit'; code: number | null; output: string } | { kind: 'timeout' } | { kind: 'aborted' } | { kind: 'spawn-error'; message: string };

/** Run soffice to its end, or kill its whole process group (soffice → oosplash → soffice.bin) on timeout or abort. */
function run(command: string, args: string[], timeoutMs: number, signal: AbortSignal | undefined): Promise<RunResult> {
  return new Promise((resolve) => {
    const windows = process.platform === 'win32';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: !windows, windowsHide: true });
    let output = '';
    const keep = (chunk: Buffer) => {
      if (output.length < 16_384) output += chunk.toString('utf8');
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let settled = false;
    const finish = (result: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const kill = () => {
      try {
        if (!windows && child.pid) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      kill();
      finish({ kind: 'timeout' });
    }, timeoutMs);
    const onAbort = () => {
      kill();
      finish({ kind: 'aborted' });
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => finish({ kind: 'spawn-error', message: error.message }));
    child.on('close', (code) => finish({ kind: 'exit', code, output }));
  });
}
