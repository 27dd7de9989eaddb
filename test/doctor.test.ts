/** `huibian doctor`: what it finds here (real Chromium, LibreOffice, fontconfig), the fixes it gives, and its exit code. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { doctor, type DoctorCheck } from '../src/workflows/doctor.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'bin/huibian.js');
const dir = mkdtempSync(join(tmpdir(), 'import-doctor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sink() {
  let text = '';
  return { stream: { write: (chunk: string) => ((text += chunk), true) } as unknown as NodeJS.WritableStream, text: () => text };
}

async function run(cwd: string, env: Record<string, string | undefined>, format: 'text' | 'json' = 'text') {
  const out = sink();
  const err = sink();
  const result = await doctor({ cwd, env, format, streams: { stdout: out.stream, stderr: err.stream } });
  return { ...result, stdout: out.text(), byId: (id: DoctorCheck['id']) => result.checks.filter((c) => c.id === id) };
}

describe('huibian doctor', () => {
  it('in the sample book on this machine: everything compile needs is found, with versions, and the packaged fonts are TrueType', async () => {
    const r = await run(root, process.env);
    expect(r.exitCode).toBe(0);
    expect(r.byId('node')[0]).toMatchObject({ status: 'ok', version: process.versions.node });
    expect(r.byId('config')[0]).toMatchObject({ status: 'ok', found: join(root, 'huibian.yaml') });
    expect(r.byId('browser')[0]).toMatchObject({ status: 'ok', version: expect.stringMatching(/Chrom(e|ium) \d+/) });
    expect(r.byId('libreoffice')[0]).toMatchObject({ status: 'ok', version: expect.stringMatching(/^LibreOffice \d+\./) });
    const packaged = r.byId('font');
    expect(packaged.map((c) => [c.label, c.status, c.format])).toEqual([
      ['内置字体（正文）：Noto Serif SC', 'ok', 'TrueType'],
      ['内置字体（标题）：Noto Sans SC', 'ok', 'TrueType'],
    ]);
    expect(r.stdout).toContain('生成汇编所需的都已齐备');
  }, 60_000);

  it('configured fonts: installed TrueType ok, CFF warned as a Type 3 risk, missing named with the fallback; never fatal', async () => {
    const book = join(dir, 'fonts');
    const sample = readFileSync(join(root, 'huibian.yaml'), 'utf8').replace(/^rules: \{\}.*$/m, 'fonts: { body: [不存在的字体体, DejaVu Sans], heading: [Noto Sans CJK SC] }');
    mkdirSync(book, { recursive: true });
    writeFileSync(join(book, 'huibian.yaml'), sample);
    const r = await run(book, process.env, 'json');
    const fonts = JSON.parse(r.stdout).checks.filter((c: DoctorCheck) => c.id === 'font' && !c.label.startsWith('内置'));
    expect(fonts.map((c: DoctorCheck) => [c.label, c.status, c.format ?? null])).toEqual([
      ['字体（正文）：不存在的字体体', 'warn', null],
      ['字体（正文）：DejaVu Sans', 'ok', 'TrueType'],
      ['字体（标题）：Noto Sans CJK SC', 'warn', 'CFF'],
    ]);
    expect(fonts[0].detail).toBe('没有安装；排版时用内置的 Noto Serif SC 代替');
    expect(fonts[2].fix).toContain('Type 3');
    expect(r.exitCode).toBe(0);
  }, 60_000);

  it('no config and no browser: exit 1, each with its fix; LibreOffice missing is only a warning', async () => {
    const r = await run(dir, { PATH: '', PUPPETEER_EXECUTABLE_PATH: join(dir, 'no-chrome'), HUIBIAN_SOFFICE: join(dir, 'no-soffice') });
    expect(r.exitCode).toBe(1);
    expect(r.byId('config')[0]).toMatchObject({ status: 'missing', fix: expect.stringContaining('huibian init') });
    expect(r.byId('browser')[0]).toMatchObject({ status: 'missing', fix: expect.stringContaining('PUPPETEER_EXECUTABLE_PATH 指定的浏览器') });
    expect(r.byId('libreoffice')[0]).toMatchObject({ status: 'warn', required: false, fix: expect.stringContaining('HUIBIAN_SOFFICE 指定的 LibreOffice 程序') });
    expect(r.stdout).toMatch(/^✗ 浏览器（生成 PDF）：没有找到\n {4}修复：/m);
    expect(r.stdout).toContain('缺少生成汇编所需的：配置文件、浏览器（生成 PDF）');
  }, 60_000);

  it('the CLI prints JSON with --format json and exits with the same code; --help has examples', () => {
    const r = spawnSync(process.execPath, [bin, 'doctor', '--format', 'json'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.ok).toBe(false);
    expect(json.checks.find((c: DoctorCheck) => c.id === 'config').status).toBe('missing');
    const help = spawnSync(process.execPath, [bin, 'doctor', '--help'], { encoding: 'utf8' });
    expect(help.stdout).toContain('示例');
    expect(help.stdout).toContain('退出码');
  }, 60_000);
});
