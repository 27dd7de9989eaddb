/** LibreOffice: found the way the browser is found on every OS; a real Word 97 .doc (made by LibreOffice here) converted back to .docx. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertAllToDocx, convertToDocx, findSoffice, lookupSoffice, noSofficeMessage, type SofficeWorld } from '../src/import/libreoffice.js';

const soffice = findSoffice(undefined, process.env);
const dir = mkdtempSync(join(tmpdir(), 'import-libreoffice-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function world(platform: NodeJS.Platform, files: string[], opt: string[] = []): SofficeWorld {
  return { platform, fileExists: (p) => files.includes(p), listDir: (p) => (p === '/opt' ? opt : []) };
}

describe('findSoffice', () => {
  it('takes import.soffice first, then HUIBIAN_SOFFICE, then PATH, then the usual install places', () => {
    const files = ['/cfg/soffice', '/env/soffice', '/home/u/bin/soffice', '/usr/bin/soffice'];
    const w = world('linux', files);
    expect(findSoffice({ import: { soffice: '/cfg/soffice' } }, { HUIBIAN_SOFFICE: '/env/soffice' }, w)).toBe('/cfg/soffice');
    expect(findSoffice(undefined, { HUIBIAN_SOFFICE: '/env/soffice', PATH: '/home/u/bin' }, w)).toBe('/env/soffice');
    expect(findSoffice(undefined, { PATH: '/home/u/bin:/usr/bin' }, w)).toBe('/home/u/bin/soffice');
    expect(lookupSoffice(undefined, { PATH: '' }, w)).toEqual({ found: true, path: '/usr/bin/soffice', source: 'system' });
  });

  it('finds the libreoffice.org packages in /opt (newest first), macOS .app bundles and Windows Program Files', () => {
    expect(findSoffice(undefined, {}, world('linux', ['/opt/libreoffice7.6/program/soffice', '/opt/libreoffice24.2/program/soffice'], ['libreoffice7.6', 'libreoffice24.2']))).toBe(
      '/opt/libreoffice24.2/program/soffice',
    );
    expect(findSoffice(undefined, { HOME: '/Users/li' }, world('darwin', ['/Users/li/Applications/LibreOffice.app/Contents/MacOS/soffice']))).toBe(
      '/Users/li/Applications/LibreOffice.app/Contents/MacOS/soffice',
    );
    expect(findSoffice(undefined, { ProgramFiles: 'C:\\Program Files' }, world('win32', ['C:\\Program Files\\LibreOffice\\program\\soffice.exe']))).toBe(
      'C:\\Program Files\\LibreOffice\\program\\soffice.exe',
    );
  });

  it('a named soffice that does not exist is an error naming it, not a silent fallback; nothing found says what to install', () => {
    const w = world('linux', ['/usr/bin/soffice']);
    const named = lookupSoffice({ import: { soffice: '/nope/soffice' } }, {}, w);
    expect(named).toEqual({ found: false, message: expect.stringContaining('import.soffice 指定的 LibreOffice 程序“/nope/soffice”不存在') });
    expect(lookupSoffice(undefined, { HUIBIAN_SOFFICE: '/x' }, w)).toMatchObject({ found: false, message: expect.stringContaining('HUIBIAN_SOFFICE') });
    expect(lookupSoffice(undefined, {}, world('linux', []))).toEqual({ found: false, message: noSofficeMessage });
    expect(noSofficeMessage).toContain('apt-get install libreoffice-writer-nogui');
  });
});

// No skipping: without LibreOffice this fails and says what to install (scripts/setup.sh installs it).
describe('convertToDocx with the real LibreOffice', () => {
  beforeAll(() => expect(soffice, 'LibreOffice（soffice）未安装：运行 bash scripts/setup.sh').toBeTruthy());

  const text = ['关于推进党建和业务深度融合的实践', '北京市某某医院', '一、基本情况', '医院党委坚持“融合10条”，把党建工作和医疗业务同部署、同考核。'];

  it('a Word 97 .doc made by LibreOffice comes back as a .docx with the same paragraphs', async () => {
    const doc = new Document({ sections: [{ children: text.map((t) => new Paragraph({ children: [new TextRun(t)] })) }] });
    const source = join(dir, '来稿 一.docx');
    writeFileSync(source, await Packer.toBuffer(doc));
    const legacyDir = join(dir, 'legacy');
    execFileSync(soffice!, [`-env:UserInstallation=file://${join(dir, 'profile')}`, '--headless', '--convert-to', 'doc', '--outdir', legacyDir, source], { stdio: 'ignore' });
    const legacy = join(legacyDir, '来稿 一.doc');
    expect(existsSync(legacy)).toBe(true);

    const out = await convertToDocx(legacy, { soffice: soffice!, outDir: join(dir, 'converted') });
    expect(out).toBe(join(dir, 'converted', '来稿 一.docx'));
    // Read back by a reader that is not ours.
    const plain = execFileSync('pandoc', ['-f', 'docx', '-t', 'plain', '--wrap=none', out], { encoding: 'utf8' });
    expect(plain.split(/\n+/).map((l) => l.trim()).filter(Boolean)).toEqual(text);
  }, 120_000);

  it('many files in one LibreOffice start: each converted, a broken one fails alone, a second file of the same name refused', async () => {
    const make = async (path: string, line: string) => {
      const doc = new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun(line)] })] }] });
      writeFileSync(path, await Packer.toBuffer(doc));
    };
    mkdirSync(join(dir, 'many', 'a'), { recursive: true });
    mkdirSync(join(dir, 'many', 'b'), { recursive: true });
    await make(join(dir, 'many', 'a', '同名.docx'), '甲单位的案例');
    await make(join(dir, 'many', 'b', '同名.docx'), '乙单位的案例');
    await make(join(dir, 'many', '第三.docx'), '丙单位的案例');
    const inputs = [join(dir, 'many', 'a', '同名.docx'), join(dir, 'many', 'b', '同名.docx'), join(dir, 'many', '不存在.doc'), join(dir, 'many', '第三.docx')];
    const outA = join(dir, 'many-out-a');
    const outB = join(dir, 'many-out-b');
    const all = await convertAllToDocx(inputs, { soffice: soffice!, outDir: outA });
    expect(all.map((r) => r.ok)).toEqual([true, false, false, true]);
    expect(all[1]).toMatchObject({ input: inputs[1], message: expect.stringContaining('同名，转换出的 .docx 会互相覆盖') });
    expect(all[2]).toMatchObject({ input: inputs[2], message: expect.stringMatching(/^LibreOffice 没能把“不存在\.doc”转换为 \.docx/) });
    const first = [all[0], all[2], all[3]];
    // In an output folder of its own, the other file of the same name converts.
    const second = await convertAllToDocx([inputs[1]!], { soffice: soffice!, outDir: outB });
    const text = (p: string) => execFileSync('pandoc', ['-f', 'docx', '-t', 'plain', p], { encoding: 'utf8' }).trim();
    expect(text((first[0] as { path: string }).path)).toBe('甲单位的案例');
    expect(text((first[2] as { path: string }).path)).toBe('丙单位的案例');
    expect(text((second[0] as { path: string }).path)).toBe('乙单位的案例');
  }, 180_000);

  it('a file LibreOffice cannot open, a missing program, a timeout and an abort each reject with one Chinese sentence', async () => {
    const missing = join(dir, '不存在.doc');
    await expect(convertToDocx(missing, { soffice: soffice!, outDir: join(dir, 'none') })).rejects.toThrow(/^LibreOffice 没能把“不存在\.doc”转换为 \.docx/);
    await expect(convertToDocx(missing, { soffice: join(dir, 'no-soffice'), outDir: dir })).rejects.toThrow(/^无法运行 LibreOffice.*未找到 LibreOffice/);
    const slow = join(dir, 'slow.doc');
    writeFileSync(slow, 'x');
    await expect(convertToDocx(slow, { soffice: soffice!, outDir: join(dir, 'slow'), timeoutMs: 200 })).rejects.toThrow('超过 1 秒没有完成，已停止');
    const controller = new AbortController();
    const pending = convertToDocx(slow, { soffice: soffice!, outDir: join(dir, 'abort'), signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toThrow('已中断');
    expect(existsSync(join(dir, 'abort', 'slow.docx'))).toBe(false);
  }, 120_000);
});
