// The benchmark's case generator: its output must be a clean, realistic compilation, the same for the same seed.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { toString } from 'mdast-util-to-string';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCompilation } from '../bench/generate.js';
import { parseMarkdown } from '../src/case/parse.js';
import { lint } from '../src/index.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'huibian-generate-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Body characters without whitespace or Markdown markup, the way the body-length rule counts them. */
function bodyLength(text: string): number {
  const tree = parseMarkdown(text);
  const body = tree.children.filter((node) => node.type !== 'yaml');
  return [...body.map((node) => toString(node)).join('').replace(/\s/g, '')].length;
}

describe('generateCompilation', () => {
  const dir = tempDir();
  const { root, files } = generateCompilation(dir, 20, { seed: 7 });

  it('writes one case file per requested case, spread over the five sectors', () => {
    expect(files).toHaveLength(20);
    const sectors = files.map((f) => basename(dirname(f))).sort();
    for (const sector of ['agency', 'soe', 'university', 'school', 'hospital']) {
      expect(sectors.filter((s) => s === sector)).toHaveLength(4);
    }
  });

  it('lints clean: no errors, no warnings', async () => {
    const result = await lint({ cwd: root });
    expect(result.files).toHaveLength(20);
    const messages = result.files.flatMap((f) => f.messages.map((m) => `${basename(f.path)}:${m.line}:${m.column} ${m.ruleId} ${m.reason}`));
    expect(messages).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('gives each case 1,500–3,000 characters of body, the four sections, and distinct text', () => {
    const bodies = files.map((f) => readFileSync(f, 'utf8'));
    for (const text of bodies) {
      expect(bodyLength(text)).toBeGreaterThanOrEqual(1500);
      expect(bodyLength(text)).toBeLessThanOrEqual(3000);
      expect(text.match(/^## [一二三四]、(基本情况|主要做法|工作成效|经验启示)$/gm)).toHaveLength(4);
    }
    // Recombined, not copied: no two cases share their 主要做法 section.
    const practices = bodies.map((t) => t.slice(t.indexOf('## 二、'), t.indexOf('## 三、')));
    expect(new Set(practices).size).toBe(files.length);
    // Some cases carry a table, an image and a footnote.
    expect(bodies.some((t) => /^\|---/m.test(t))).toBe(true);
    expect(bodies.some((t) => t.includes('](../images/'))).toBe(true);
    expect(bodies.some((t) => t.includes('[^1]:'))).toBe(true);
  });

  it('replaces its own earlier output but never empties a folder it did not write', () => {
    const dir = tempDir();
    generateCompilation(dir, 12, { seed: 1 });
    const second = generateCompilation(dir, 5, { seed: 1 });
    expect(readdirSync(join(dir, 'cases'), { recursive: true }).filter((f) => String(f).endsWith('.md'))).toHaveLength(5);
    expect(second.files).toHaveLength(5);
    const foreign = tempDir();
    writeFileSync(join(foreign, 'huibian.yaml'), 'title: 别人的汇编\n');
    expect(() => generateCompilation(foreign, 1)).toThrow(/不是 bench\/generate\.js 生成的/);
    expect(readFileSync(join(foreign, 'huibian.yaml'), 'utf8')).toBe('title: 别人的汇编\n');
  });

  it('is deterministic for a seed and varies with it', () => {
    const again = generateCompilation(tempDir(), 20, { seed: 7 });
    const other = generateCompilation(tempDir(), 20, { seed: 8 });
    const read = (list: string[]) => list.map((f) => readFileSync(f, 'utf8'));
    expect(read(again.files)).toEqual(read(files));
    expect(read(other.files)).not.toEqual(read(files));
  });
});
