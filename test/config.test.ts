// huibian.yaml: each scenario in test/fixtures/config/<scenario>/ holds a huibian.yaml and the whole expected message text.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { compile, lint } from '../src/index.js';

const root = fileURLToPath(new URL('./fixtures/config/', import.meta.url));
const scenarios = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** One line per message, `line:column-endLine:endColumn severity rule reason` (as in test/lint.test.ts). */
function formatMessages(file: VFile): string {
  return file.messages
    .map((m) => {
      const place = m.place && 'start' in m.place ? m.place : undefined;
      const at = place ? `${place.start.line}:${place.start.column}-${place.end.line}:${place.end.column}` : '1:1-1:1';
      return `${at} ${m.fatal ? 'error' : 'warn'} ${m.ruleId} ${m.reason}`;
    })
    .join('\n');
}

describe.each(scenarios)('huibian.yaml: %s', (scenario) => {
  it('gives exactly the expected messages', async () => {
    const dir = join(root, scenario);
    const result = await loadConfig({ cwd: dir });
    const expectedPath = join(dir, 'expected.txt');
    const expected = existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8').trimEnd() : '';
    expect(formatMessages(result.file)).toBe(expected);
    // A config with errors is not used; one without is.
    expect(result.ok).toBe(expected === '');
  });
});

describe('the sample huibian.yaml', () => {
  it('loads with the taxonomy the issue asks for', async () => {
    const result = await loadConfig({ cwd: fileURLToPath(new URL('..', import.meta.url)) });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { config } = result;
    expect(config.sectors.map((s) => `${s.key}:${s.label}:${s.aliases.join('/')}`)).toEqual([
      'agency:机关:',
      'soe:国有企业:国企',
      'university:高校:普通高等学校',
      'school:中小学校:',
      'hospital:公立医院:',
    ]);
    expect(config.measures.map((m) => m.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(config.mechanisms.map((m) => `${m.key}:${m.sectors.join('/')}`)).toEqual([
      'six-leads:agency',
      'four-fusions:soe',
      'empower:university/school',
      'six-focus:hospital',
    ]);
  });
});

describe('a malformed huibian.yaml stops lint', () => {
  it('with exit code 2 and the config messages alone', async () => {
    const dir = join(root, 'wrong-type');
    const result = await lint({ cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.files).toHaveLength(1);
    expect(result.files[0]!.path).toBe(join(dir, 'huibian.yaml'));
  });
});

describe('a cases folder that does not exist', () => {
  it('is an error on huibian.yaml at the cases value, exit code 2, for lint and compile (no empty book)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huibian-nocases-'));
    try {
      const sample = readFileSync(fileURLToPath(new URL('../huibian.yaml', import.meta.url)), 'utf8');
      writeFileSync(join(dir, 'huibian.yaml'), sample.replace(/^cases: cases/m, 'cases: 案例'));
      const line = sample.split('\n').findIndex((l) => l.startsWith('cases:')) + 1;
      const result = await lint({ cwd: dir });
      expect(result.exitCode).toBe(2);
      expect(result.files.map(formatMessages)).toEqual([
        `${line}:8-${line}:10 error config 案例文件夹“案例”不存在（找的是 案例）；请建立它，或在 huibian.yaml 的 cases 中写对路径`,
      ]);
      const compiled = await compile({ cwd: dir, formats: ['html'] });
      expect(compiled.exitCode).toBe(2);
      expect(compiled.outputs).toEqual([]);
      expect(existsSync(join(dir, 'out'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
