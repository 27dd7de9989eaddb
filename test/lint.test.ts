// Every rule's ok and not-ok fixtures, in one table: test/fixtures/lint/<rule-id>/{ok,not-ok}.{md,yaml} and expected.txt.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VFile } from 'vfile';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/index.js';
import { rules } from '../src/lint/rules/index.js';

const root = fileURLToPath(new URL('./fixtures/lint/', import.meta.url));
const ruleDirs = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** A fixture folder holds cases (`*.md`, checked with the shared huibian.yaml) or, for config rules, huibian.yaml variants (`*.yaml`). */
function fixture(id: string, variant: 'ok' | 'not-ok') {
  const dir = join(root, id);
  const yaml = join(dir, `${variant}.yaml`);
  if (existsSync(yaml)) return { cwd: root, configPath: yaml, paths: undefined, target: yaml };
  // not-ok may need companions (duplicate-id's first.md): every case in the folder but ok.md.
  const paths =
    variant === 'ok'
      ? [join(id, 'ok.md')]
      : readdirSync(dir)
          .filter((f) => f.endsWith('.md') && f !== 'ok.md')
          .map((f) => join(id, f));
  return { cwd: root, configPath: join(root, 'huibian.yaml'), paths, target: join(dir, 'not-ok.md') };
}

/** One line per message: `line:column-endLine:endColumn severity rule reason`, then its cause indented. A message about the whole file is at 1:1-1:1. */
function formatMessages(file: VFile): string {
  return file.messages
    .map((m) => {
      const place = m.place && 'start' in m.place ? m.place : undefined;
      const at = place ? `${place.start.line}:${place.start.column}-${place.end.line}:${place.end.column}` : '1:1-1:1';
      const cause = m.cause instanceof Error ? `\n  ${m.cause.message}` : '';
      return `${at} ${m.fatal ? 'error' : 'warn'} ${m.ruleId} ${m.reason}${cause}`;
    })
    .join('\n');
}

describe('rule fixtures', () => {
  it('every rule has a fixture folder with ok, not-ok and expected.txt', () => {
    const lacking = rules
      .map((r) => r.id)
      .filter((id) => {
        const dir = join(root, id);
        const has = (name: string) => existsSync(join(dir, `${name}.md`)) || existsSync(join(dir, `${name}.yaml`));
        return !has('ok') || !has('not-ok') || !existsSync(join(dir, 'expected.txt'));
      });
    expect(lacking).toEqual([]);
  });

  it('every fixture folder belongs to a rule', () => {
    const ids = new Set(rules.map((r) => r.id));
    expect(ruleDirs.filter((d) => !ids.has(d))).toEqual([]);
  });
});

describe.each(ruleDirs)('%s', (id) => {
  it('ok gives no message of any rule', async () => {
    const { cwd, configPath, paths } = fixture(id, 'ok');
    const result = await lint({ cwd, configPath, paths });
    expect(result.files.map((f) => formatMessages(f)).join('\n')).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('not-ok gives exactly the expected messages', async () => {
    const { cwd, configPath, paths, target } = fixture(id, 'not-ok');
    const result = await lint({ cwd, configPath, paths });
    const own = result.files.filter((f) => f.path === target);
    const others = result.files.filter((f) => f.path !== target);
    expect(others.map((f) => formatMessages(f)).join('')).toBe('');
    expect(own).toHaveLength(1);
    const expected = readFileSync(join(root, id, 'expected.txt'), 'utf8').trimEnd();
    expect(formatMessages(own[0]!)).toBe(expected);
    // Every message of not-ok is this rule's: a fixture shows one rule at a time.
    expect(new Set(own[0]!.messages.map((m) => m.ruleId))).toEqual(new Set([id]));
  });
});

describe('generated files are current', () => {
  const repo = fileURLToPath(new URL('..', import.meta.url));

  it('docs/rules.md matches the rules and their fixtures (npm run docs:rules)', async () => {
    const { renderRulesDoc } = await import('../scripts/rules-doc.js');
    expect(readFileSync(join(repo, 'docs', 'rules.md'), 'utf8')).toBe(renderRulesDoc(rules, root));
  });

  it('schema/*.schema.json match the zod schemas (npm run schema)', async () => {
    const { jsonSchemas } = await import('../scripts/schema.js');
    const { configSchema } = await import('../src/config/schema.js');
    const { caseFrontMatterSchema } = await import('../src/case/schema.js');
    const fresh: Record<string, string> = jsonSchemas({ configSchema, caseFrontMatterSchema });
    expect(Object.keys(fresh).sort()).toEqual(['case.schema.json', 'huibian.schema.json']);
    for (const [name, text] of Object.entries(fresh)) expect(readFileSync(join(repo, 'schema', name), 'utf8')).toBe(text);
    // Descriptions are carried over from the zod schemas.
    expect(JSON.parse(fresh['case.schema.json']!).properties.sector.description).toContain('领域');
  });
});
