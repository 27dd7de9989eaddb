/** `huibian doctor`: what huibian finds on this machine and will use — Node, config, browser, LibreOffice, fonts — each missing item with its fix. */
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import { ExitCode } from '../shared/exit-code.js';
import { lookupSoffice } from '../import/libreoffice.js';
import type { Streams } from '../shared/streams.js';
import { locateBrowser } from '../pdf/launch.js';
import { fontSource, packageDir, packagedFamilies, type PackagedFamily } from '../render/fonts.js';
import { huibianPackage } from '../shared/version.js';

export type CheckStatus = 'ok' | 'warn' | 'missing';

/** One thing doctor looked for. */
export interface DoctorCheck {
  /** Stable ASCII id: node, config, browser, libreoffice, font. */
  id: 'node' | 'config' | 'browser' | 'libreoffice' | 'font';
  /** What it is, in Chinese (e.g. 浏览器, 字体（正文）：仿宋_GB2312). */
  label: string;
  status: CheckStatus;
  /** Whether compile needs it; a missing required item makes the exit code 1. */
  required: boolean;
  /** What was found: a path, a version, a font file. */
  found?: string;
  version?: string;
  /** A font's outline format: TrueType prints as an embedded font; CFF may become Type 3 in Chromium's PDF. */
  format?: string;
  /** Where it came from (config, env, PATH …) or why it is missing. */
  detail?: string;
  /** What to do, in Chinese, when the status is not ok. */
  fix?: string;
}

export interface DoctorOptions {
  cwd: string;
  configPath?: string;
  env: Readonly<Record<string, string | undefined>>;
  streams: Streams;
  format: 'text' | 'json';
}

export interface DoctorResult {
  exitCode: ExitCode;
  checks: DoctorCheck[];
}

/** Run every check, print them, and exit 0 when everything compile needs (Node, huibian.yaml, a browser) is there. */
export async function doctor(options: DoctorOptions): Promise<DoctorResult> {
  const checks: DoctorCheck[] = [checkNode()];
  const loaded = await loadConfig({ cwd: options.cwd, configPath: options.configPath });
  const config = loaded.ok ? loaded.config : undefined;
  checks.push(
    loaded.ok
      ? { id: 'config', label: '配置文件', status: 'ok', required: true, found: loaded.config.configPath }
      : {
          id: 'config',
          label: '配置文件',
          status: 'missing',
          required: true,
          detail: loaded.file.messages[0] ? `${loaded.file.messages[0].line ? `${loaded.file.messages[0].line}:${loaded.file.messages[0].column} ` : ''}${loaded.file.messages[0].reason}` : undefined,
          fix: loaded.file.messages[0]?.reason.startsWith('未找到')
            ? '在汇编的根目录（有 huibian.yaml 的文件夹）运行，或用 --config 指定；还没有汇编时运行 huibian init 新建一个'
            : '改正 huibian.yaml 中的错误（运行 huibian lint 可看到全部错误及其行列）',
        },
  );
  checks.push(await checkBrowser(config, options.env));
  checks.push(await checkLibreOffice(config, options.env));
  checks.push(...(await checkPackagedFonts()));
  checks.push(...(await checkConfiguredFonts(config)));

  const exitCode = checks.some((c) => c.required && c.status !== 'ok') ? ExitCode.errors : ExitCode.ok;
  options.streams.stdout.write(options.format === 'json' ? `${JSON.stringify({ ok: exitCode === ExitCode.ok, checks }, null, 2)}\n` : formatText(checks, exitCode));
  return { exitCode, checks };
}

function checkNode(): DoctorCheck {
  const wanted = /(\d+)\.(\d+)/.exec(huibianPackage.engines?.node ?? '') ?? ['', '20', '19'];
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  const ok = major > Number(wanted[1]) || (major === Number(wanted[1]) && minor >= Number(wanted[2]));
  return {
    id: 'node',
    label: 'Node.js',
    status: ok ? 'ok' : 'missing',
    required: true,
    found: process.execPath,
    version: process.versions.node,
    detail: `需要 ≥ ${wanted[1]}.${wanted[2]}`,
    fix: ok ? undefined : `升级 Node.js 到 ${wanted[1]}.${wanted[2]} 或更高（nodejs.org 的 LTS 版）`,
  };
}

const browserSources: Record<string, string> = { config: 'huibian.yaml 的 browser.executablePath', env: '环境变量 PUPPETEER_EXECUTABLE_PATH', puppeteer: 'Puppeteer 的缓存', system: '系统中的安装' };

async function checkBrowser(config: ResolvedConfig | undefined, env: DoctorOptions['env']): Promise<DoctorCheck> {
  const found = locateBrowser(config?.browser.executablePath, env);
  if (!found.found) return { id: 'browser', label: '浏览器（生成 PDF）', status: 'missing', required: true, detail: '没有找到', fix: found.message };
  // Only asks the program its version (`--version` prints and exits); printing goes through src/pdf.
  const version = await programVersion(found.executablePath, ['--version']);
  return {
    id: 'browser',
    label: '浏览器（生成 PDF）',
    status: version.ok ? 'ok' : 'missing',
    required: true,
    found: found.executablePath,
    version: version.ok && version.text ? version.text : undefined,
    detail: `来自${browserSources[found.source] ?? found.source}`,
    fix: version.ok ? undefined : `找到了“${found.executablePath}”，但它不能运行（${version.text}）；请重新安装浏览器，或用 browser.executablePath 指定另一个`,
  };
}

const sofficeSources: Record<string, string> = { config: 'huibian.yaml 的 import.soffice', env: '环境变量 HUIBIAN_SOFFICE', path: '环境变量 PATH', system: '常见的安装位置' };

async function checkLibreOffice(config: ResolvedConfig | undefined, env: DoctorOptions['env']): Promise<DoctorCheck> {
  const label = 'LibreOffice（导入 .doc、.wps）';
  const found = lookupSoffice(config, env);
  if (!found.found) return { id: 'libreoffice', label, status: 'warn', required: false, detail: '没有找到；只在导入 .doc、.wps 时需要', fix: found.message };
  // A profile of its own, so asking the version neither touches nor waits for the user's LibreOffice.
  const profile = await mkdtemp(join(tmpdir(), 'huibian-doctor-'));
  try {
    const version = await programVersion(found.path, [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--version']);
    return {
      id: 'libreoffice',
      label,
      status: version.ok ? 'ok' : 'warn',
      required: false,
      found: found.path,
      version: version.ok && version.text ? version.text : undefined,
      detail: `来自${sofficeSources[found.source] ?? found.source}`,
      fix: version.ok ? undefined : `找到了“${found.path}”，但它不能运行（${version.text}）；请重新安装 LibreOffice`,
    };
  } finally {
    await rm(profile, { recursive: true, force: true }).catch(() => undefined);
  }
}

const roleLabels = { body: '正文', heading: '标题' } as const;

/** The packaged fonts: one .ttf per weight, present, with TrueType outlines (the sfnt version at the file's start says so). */
async function checkPackagedFonts(): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  for (const [role, family] of Object.entries(packagedFamilies) as [keyof typeof packagedFamilies, PackagedFamily][]) {
    const label = `内置字体（${roleLabels[role]}）：${family.family}`;
    try {
      const dir = packageDir(family.packageName);
      const missing: number[] = [];
      const formats = new Set<string>();
      for (const weight of family.weights) {
        const format = await sfntFlavor(fontSource(family, weight).path);
        if (format === undefined) missing.push(weight);
        else formats.add(format);
      }
      const format = [...formats].join('、');
      const ok = missing.length === 0 && format === 'TrueType';
      checks.push({
        id: 'font',
        label,
        status: ok ? 'ok' : 'missing',
        required: true,
        found: dir,
        format,
        detail: `${family.packageName}，字重 ${family.weights.join('、')}`,
        fix: ok ? undefined : missing.length ? `缺少字重 ${missing.join('、')} 的字体文件：请在 huibian 的目录中重新运行 npm ci` : `字体不是 TrueType（${format}）：请重新安装 ${family.packageName}`,
      });
    } catch (error) {
      checks.push({ id: 'font', label, status: 'missing', required: true, detail: (error as Error).message, fix: `找不到 ${family.packageName}：请在 huibian 的目录中重新运行 npm ci` });
    }
  }
  return checks;
}

/** The outline format of a font file, from its sfnt version (0x00010000 TrueType, 'OTTO' CFF); undefined if there is no file. */
async function sfntFlavor(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(4), position: 0 });
    const tag = buffer.toString('latin1', 0, 4);
    return bytesRead < 4 ? '不是字体文件' : buffer.readUInt32BE(0) === 0x00010000 || tag === 'true' ? 'TrueType' : tag === 'OTTO' ? 'CFF' : '未知';
  } finally {
    await handle.close();
  }
}

/** The system fonts named in huibian.yaml, looked up with fontconfig's fc-match (Linux, and macOS with fontconfig). */
async function checkConfiguredFonts(config: ResolvedConfig | undefined): Promise<DoctorCheck[]> {
  if (!config) return [];
  const checks: DoctorCheck[] = [];
  for (const role of ['body', 'heading'] as const) {
    for (const name of config.fonts[role]) {
      const label = `字体（${roleLabels[role]}）：${name}`;
      const fallback = `排版时用内置的 ${packagedFamilies[role].family} 代替`;
      const match = await programVersion('fc-match', ['--format=%{family}|%{file}|%{fontformat}', name]);
      if (!match.ok) {
        checks.push({ id: 'font', label, status: 'warn', required: false, detail: '无法检查：没有 fontconfig 的 fc-match（Windows 上没有它，字体由浏览器自己查找）' });
        continue;
      }
      const [families = '', file = '', format = ''] = match.text.split('|');
      const installed = families.split(',').some((f) => f.trim().toLowerCase() === name.toLowerCase());
      if (!installed) {
        checks.push({ id: 'font', label, status: 'warn', required: false, detail: `没有安装；${fallback}`, fix: `安装字体“${name}”（把字体文件复制到 ~/.local/share/fonts 或 /usr/share/fonts 后运行 fc-cache），或从 huibian.yaml 的 fonts.${role} 中删去它` });
        continue;
      }
      const trueType = format === 'TrueType';
      checks.push({
        id: 'font',
        label,
        status: trueType ? 'ok' : 'warn',
        required: false,
        found: file,
        format: format || '未知',
        fix: trueType ? undefined : `这个字体是 ${format || '未知'} 格式，不是 TrueType：Chromium 可能把它作为 Type 3 字体写进 PDF，印刷厂常不接受；请换用 TrueType（.ttf）版本，或删去它用内置字体`,
      });
    }
  }
  return checks;
}

/** Run a program briefly and take the first line it prints (a version, a font match), or why it could not run. */
function programVersion(command: string, args: string[]): Promise<{ ok: boolean; text: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 30_000, encoding: 'utf8', windowsHide: true }, (error, stdout, stderr) => {
      const text = (stdout || '').split('\n').map((l) => l.trim()).find(Boolean) ?? '';
      if (error) resolve({ ok: false, text: (error as NodeJS.ErrnoException).code === 'ENOENT' ? '没有这个程序' : (stderr || error.message).trim().split('\n')[0] ?? '' });
      else resolve({ ok: true, text });
    });
  });
}

const marks: Record<CheckStatus, string> = { ok: '✓', warn: '!', missing: '✗' };

function formatText(checks: readonly DoctorCheck[], exitCode: ExitCode): string {
  const lines = ['huibian doctor：huibian 在这台机器上找到并将使用的', ''];
  for (const c of checks) {
    const what = [c.found, c.version, c.format, c.detail].filter(Boolean).join('；');
    lines.push(`${marks[c.status]} ${c.label}${what ? `：${what}` : ''}`);
    if (c.status !== 'ok' && c.fix) lines.push(`    修复：${c.fix}`);
  }
  lines.push(
    '',
    exitCode === ExitCode.ok
      ? '生成汇编所需的都已齐备（标 ! 的是可选项）。'
      : `缺少生成汇编所需的：${checks.filter((c) => c.required && c.status !== 'ok').map((c) => c.label).join('、')}；按上面的“修复”处理后再运行 huibian doctor。`,
  );
  return `${lines.join('\n')}\n`;
}
