// Inline switches (`<!-- huibian-disable … -->`) count only as HTML comments in the Markdown: the same text shown in a
// code block or inline code (say, a case explaining how to write one) switches nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseForLint } from '../src/case/parse.js';
import { loadConfig, type ResolvedConfig } from '../src/config/load.js';
import { lintFiles, lintSource } from '../src/lint/run.js';
import { makeSource } from '../src/shared/source.js';

const root = fileURLToPath(new URL('./fixtures/text/', import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function config(): Promise<ResolvedConfig> {
  const loaded = await loadConfig({ cwd: root, configPath: join(root, 'huibian.yaml') });
  if (!loaded.ok) throw new Error('fixture config does not load');
  return loaded.config;
}

/** `line:column rule` of each text-punctuation-width message, by both of lint's parsers. */
function reported(text: string, cfg: ResolvedConfig): string[][] {
  return [undefined, parseForLint].map((parse) =>
    lintSource(makeSource(join(root, 'switch.md'), text), cfg, root, parse)
      .file.messages.filter((m) => m.ruleId === 'text-punctuation-width')
      .map((m) => `${m.line}:${m.column}`),
  );
}

const head = '---\ntitle: 测\n---\n\n';

describe('inline switches', () => {
  it('a disable comment in a fenced code block switches nothing', async () => {
    const text = `${head}\`\`\`markdown\n<!-- huibian-disable text-punctuation-width -->\n\`\`\`\n\n这里,要报。\n`;
    expect(reported(text, await config())).toEqual([['9:3'], ['9:3']]);
  });

  it('nor one in an indented code block, nor in inline code, nor disable-next-line there', async () => {
    const cfg = await config();
    expect(reported(`${head}    <!-- huibian-disable -->\n\n这里,要报。\n`, cfg)).toEqual([['7:3'], ['7:3']]);
    expect(reported(`${head}写 \`<!-- huibian-disable -->\` 可以关掉规则。\n\n这里,要报。\n`, cfg)).toEqual([['7:3'], ['7:3']]);
    expect(reported(`${head}\`\`\`\n<!-- huibian-disable-next-line -->\n\`\`\`\n这里,要报。\n`, cfg)).toEqual([['8:3'], ['8:3']]);
  });

  it('the same comment outside code still switches the rule off (so the tests above can fail)', async () => {
    const text = `${head}<!-- huibian-disable text-punctuation-width -->\n\n这里,不报。\n`;
    expect(reported(text, await config())).toEqual([[], []]);
  });

  it('lint over files (where checked trees are dropped) agrees', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huibian-suppress-'));
    dirs.push(dir);
    const cfg = { ...(await config()), root: dir };
    const inCode = join(dir, 'in-code.md');
    const outside = join(dir, 'outside.md');
    writeFileSync(inCode, `${head}\`\`\`\n<!-- huibian-disable text-punctuation-width -->\n\`\`\`\n\n这里,要报。\n`);
    writeFileSync(outside, `${head}<!-- huibian-disable text-punctuation-width -->\n\n这里,不报。\n`);
    const linted = await lintFiles([inCode, outside], cfg, dir, undefined, { threads: 1 });
    const punctuation = linted.map((l) => l.file.messages.filter((m) => m.ruleId === 'text-punctuation-width').map((m) => `${m.line}:${m.column}`));
    expect(punctuation).toEqual([['9:3'], []]);
  });
});
