// `huibian preview 案例.docx --once`: the Word file imported in memory, its messages pointed at Word paragraphs
// (第 N 段, text quoted), the case written as it will print even before the editor fills in measure and mechanism.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { preview } from '../src/index.js';
import { buildDocx, readCase, sampleCases } from '../scripts/make-inbox.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe('preview of a Word file', () => {
  it('shows the case with its messages at Word paragraphs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-preview-'));
    copyFileSync(join(repo, 'huibian.yaml'), join(dir, 'huibian.yaml'));
    const kase = readCase(sampleCases().find((p) => p.includes('chaoyang'))!);
    writeFileSync(join(dir, '朝阳医院.docx'), (await buildDocx(kase, 'halfwidth')).data);
    const err = sink();
    const result = await preview({ cwd: dir, file: '朝阳医院.docx', once: {}, streams: { stdout: sink().stream, stderr: err.stream } });
    // measure and mechanism come from the editor's roster: reported, but the case is still shown.
    expect(result.exitCode).toBe(1);
    expect(err.text()).toMatch(/缺少必填字段“measure”/);
    expect(err.text()).toMatch(/第 \d+ 段“[^”]*,[^”]*”：中文里的半角“,”/);
    const html = readFileSync(join(dir, 'out', '朝阳医院.html'), 'utf8');
    expect(html).toContain(kase.front.title.slice(0, 10));
    expect(html).toMatch(/<img src="data:image\/(png|jpeg)/);
  });

  it('a broken Word file is one message, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-preview-'));
    copyFileSync(join(repo, 'huibian.yaml'), join(dir, 'huibian.yaml'));
    writeFileSync(join(dir, '坏.docx'), 'not a zip');
    const err = sink();
    const result = await preview({ cwd: dir, file: '坏.docx', once: {}, streams: { stdout: sink().stream, stderr: err.stream } });
    expect(result.exitCode).toBe(1);
    expect(err.text()).toMatch(/不是 Word 文件/);
  });
});
