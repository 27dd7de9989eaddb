// Bad submissions: each gets one clear Chinese line, the others in the run are still imported, and nothing unsafe
// happens — no entity expanded, no URL fetched, no zip entry name used as a path, no unbounded inflate.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { importCases, type SubmissionReport } from '../src/workflows/import.js';
import { buildDocx, png, readCase, sampleCases } from '../scripts/make-inbox.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
let good: Buffer;

function book(): string {
  const dir = mkdtempSync(join(tmpdir(), 'import-bad-'));
  copyFileSync(join(repo, 'huibian.yaml'), join(dir, 'huibian.yaml'));
  mkdirSync(join(dir, 'cases'));
  mkdirSync(join(dir, 'in'));
  return dir;
}

/** A copy of `docx` with parts replaced or added (undefined removes a part). */
function patched(docx: Buffer, parts: Record<string, string | Uint8Array | undefined>, level: 0 | 6 = 6): Buffer {
  const files: Zippable = {};
  for (const [name, data] of Object.entries(unzipSync(docx))) files[name] = data;
  for (const [name, data] of Object.entries(parts)) {
    if (data === undefined) delete files[name];
    else files[name] = [typeof data === 'string' ? strToU8(data) : data, { level }];
  }
  return Buffer.from(zipSync(files));
}

function part(docx: Buffer, name: string): string {
  return strFromU8(unzipSync(docx, { filter: (f) => f.name === name })[name]!);
}

/** Import one file (beside a good one, which must still be imported) and return its report. */
async function importOne(name: string, data: Buffer): Promise<{ s: SubmissionReport; dir: string; exitCode: number }> {
  const dir = book();
  writeFileSync(join(dir, 'in', name), data);
  writeFileSync(join(dir, 'in', '好的.docx'), good);
  const result = await importCases({ cwd: dir, inputs: ['in'], writeReport: false });
  expect(result.submissions.find((s) => s.source.endsWith('好的.docx'))?.status).toBe('imported');
  return { s: result.submissions.find((s) => s.source.endsWith(name))!, dir, exitCode: result.exitCode };
}

beforeAll(async () => {
  good = (await buildDocx(readCase(sampleCases()[0]!), 'headings')).data;
});

describe('files that are not Word documents', () => {
  it('a zero-byte file', async () => {
    const { s, exitCode } = await importOne('空.docx', Buffer.alloc(0));
    expect(s).toMatchObject({ status: 'failed', reason: expect.stringMatching(/空的（0 字节）/) });
    expect(exitCode).toBe(1);
  });

  it('a renamed .txt', async () => {
    const { s } = await importOne('其实是文本.docx', Buffer.from('这是一段纯文本，被改成了 .docx 的扩展名。\n'));
    expect(s.reason).toMatch(/纯文本.*改了扩展名/);
  });

  it('a web page saved with a .doc name', async () => {
    const { s } = await importOne('网页.doc', Buffer.from('<html xmlns:w="urn:schemas-microsoft-com:office:word"><body><p>正文</p></body></html>'));
    expect(s.reason).toMatch(/网页（HTML\/MHT）格式.*另存为 \.docx/);
  });

  it('a truncated zip', async () => {
    const { s } = await importOne('截断.docx', good.subarray(0, Math.floor(good.length / 2)));
    expect(s.status).toBe('failed');
    expect(s.reason).toMatch(/不是完整的 Word 文件.*截断/);
  });

  it('an encrypted (password-protected) document: an OLE file with EncryptionInfo', async () => {
    const ole = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    Buffer.from('EncryptionInfo', 'utf16le').copy(ole, 1024);
    Buffer.from('EncryptedPackage', 'utf16le').copy(ole, 1152);
    const { s } = await importOne('加密.docx', ole);
    expect(s.reason).toMatch(/设有打开密码/);
  });
});

describe('hostile packages', () => {
  it('a .docm: content imported, the macro part never read', async () => {
    const types = part(good, '[Content_Types].xml').replace(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml',
      'application/vnd.ms-word.document.macroEnabled.main+xml',
    );
    // A "macro" part that would fail the run if anything tried to parse it as XML or a package.
    const docm = patched(good, { '[Content_Types].xml': types, 'word/vbaProject.bin': Buffer.from('\x00\x01 not a real vba project <<<') });
    const { s, dir } = await importOne('宏.docm', docm);
    expect(s.status).toBe('imported');
    expect(readFileSync(join(dir, s.output!), 'utf8')).toMatch(/^## /m);
    expect(readdirSync(join(dir, 'cases')).some((f) => /vba/i.test(f))).toBe(false);
  });

  it('a zip bomb: an entry that inflates far beyond its size is not inflated', async () => {
    const bomb = patched(good, { 'word/document.xml': Buffer.alloc(64 * 1024 * 1024, 0x20) });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const { s } = await importOne('炸弹.docx', bomb);
    expect(s.status).toBe('failed');
    expect(s.reason).toMatch(/上限|压缩比/);
  });

  it('entries named with .. or an absolute path are never written', async () => {
    const evil = patched(good, { '../../evil.txt': 'x', '/tmp/huibian-evil.txt': 'x', 'C:/evil.txt': 'x' });
    const { s, dir } = await importOne('路径.docx', evil);
    expect(s.status).toBe('imported');
    expect(s.warnings!.join('\n')).toMatch(/条目名指向包外/);
    expect(existsSync(join(dir, '..', 'evil.txt'))).toBe(false);
    expect(existsSync('/tmp/huibian-evil.txt')).toBe(false);
  });

  it('a DOCTYPE with entities is refused, not expanded', async () => {
    const xml = part(good, 'word/document.xml');
    const withEntities = xml.replace(/^(<\?xml[^>]*>)?/, `$1<!DOCTYPE w:document [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>`).replace(/(<w:t[^>]*>)/, '$1&b;');
    const { s } = await importOne('实体.docx', patched(good, { 'word/document.xml': withEntities }));
    expect(s.status).toBe('failed');
    expect(s.reason).toMatch(/DOCTYPE.*不展开/);
  });

  it('XML nested thousands deep is refused, not walked until the stack overflows', async () => {
    const xml = part(good, 'word/document.xml').replace('<w:body>', `<w:body>${'<w:sdt><w:sdtContent>'.repeat(5000)}${'</w:sdtContent></w:sdt>'.repeat(5000)}`);
    const { s } = await importOne('深.docx', patched(good, { 'word/document.xml': xml }));
    expect(s.status).toBe('failed');
    expect(s.reason).toMatch(/嵌套超过 200 层/);
  });

  it('an undeclared entity is refused', async () => {
    const xml = part(good, 'word/document.xml').replace(/(<w:t[^>]*>)/, '$1&xxe;');
    const { s } = await importOne('未定义实体.docx', patched(good, { 'word/document.xml': xml }));
    expect(s.reason).toMatch(/实体/);
  });

  it('an image linked outside the file (TargetMode="External") is never fetched, and reported', async () => {
    let requests = 0;
    const server = createServer((_, res) => {
      requests++;
      res.end('x');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as { port: number }).port;
    try {
      const withImage = await Packer.toBuffer(
        new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun('正文')] }), new Paragraph({ children: [new ImageRun({ type: 'png', data: png(20, 20), transformation: { width: 20, height: 20 } })] })] }] }),
      );
      const rels = part(withImage, 'word/_rels/document.xml.rels').replace(/Target="media\/[^"]+"/, `Target="http://127.0.0.1:${port}/x.png" TargetMode="External"`);
      const doc = part(withImage, 'word/document.xml').replace('r:embed=', 'r:link=');
      const { s } = await importOne('外链图片.docx', patched(withImage, { 'word/_rels/document.xml.rels': rels, 'word/document.xml': doc }));
      expect(s.status).toBe('imported');
      expect(s.warnings!.join('\n')).toMatch(/TargetMode="External".*不会去取/);
      expect(s.images).toEqual([]);
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });

  it('a 50 MB image is rejected with the limit named; the text is still imported', async () => {
    const withImage = await Packer.toBuffer(
      new Document({ sections: [{ children: [new Paragraph({ children: [new TextRun('正文第一段。')] }), new Paragraph({ children: [new ImageRun({ type: 'png', data: png(20, 20), transformation: { width: 20, height: 20 } })] })] }] }),
    );
    const media = Object.keys(unzipSync(withImage)).find((n) => n.startsWith('word/media/'))!;
    const big = Buffer.alloc(50 * 1024 * 1024);
    png(20, 20).copy(big);
    const { s, dir } = await importOne('大图.docx', patched(withImage, { [media]: big }, 0));
    expect(s.status).toBe('imported');
    expect(s.warnings!.join('\n')).toMatch(/50 MB，超过单张图片 10 MB 的上限/);
    expect(readFileSync(join(dir, s.output!), 'utf8')).toContain('正文第一段。');
  });
});

describe('awkward but valid content', () => {
  it('merged table cells: the spanned text repeated, with a warning', async () => {
    const cell = (text: string, opts = {}) => new TableCell({ ...opts, children: [new Paragraph(text)] });
    const data = await Packer.toBuffer(
      new Document({
        sections: [
          {
            children: [
              new Table({
                rows: [
                  new TableRow({ children: [cell('项目'), cell('内容'), cell('备注')] }),
                  new TableRow({ children: [cell('合并两列', { columnSpan: 2 }), cell('甲')] }),
                  new TableRow({ children: [cell('合并两行', { rowSpan: 2 }), cell('乙'), cell('丙')] }),
                  new TableRow({ children: [cell('丁'), cell('戊')] }),
                ],
              }),
            ],
          },
        ],
      }),
    );
    const { s, dir } = await importOne('合并.docx', data);
    const text = readFileSync(join(dir, s.output!), 'utf8');
    expect(text).toContain('| 项目 | 内容 | 备注 |\n| --- | --- | --- |\n| 合并两列 | 合并两列 | 甲 |\n| 合并两行 | 乙 | 丙 |\n| 合并两行 | 丁 | 戊 |\n');
    expect(s.warnings!.join('\n')).toMatch(/合并单元格/);
  });

  it('an EMF picture: a clear warning, not a broken image', async () => {
    const withImage = await Packer.toBuffer(
      new Document({ sections: [{ children: [new Paragraph('正文。'), new Paragraph({ children: [new ImageRun({ type: 'png', data: png(20, 20), transformation: { width: 20, height: 20 } })] })] }] }),
    );
    const media = Object.keys(unzipSync(withImage)).find((n) => n.startsWith('word/media/'))!;
    const emf = Buffer.alloc(200);
    emf.writeUInt32LE(1, 0); // EMR_HEADER
    const { s } = await importOne('图元.docx', patched(withImage, { [media]: emf }));
    expect(s.warnings!.join('\n')).toMatch(/EMF\/WMF/);
    expect(s.images).toEqual([]);
  });
});
