// The cases of one test/fixtures/render/<dir>/ book, loaded and linted as compile does, for the render tests.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Case } from '../../src/case/resolve.js';
import { loadConfig, type ResolvedConfig } from '../../src/config/load.js';
import { collectFiles } from '../../src/lint/collect.js';
import { lintFiles } from '../../src/lint/run.js';

export const renderFixtures = fileURLToPath(new URL('../fixtures/render/', import.meta.url));

/** The config and the cases (those that lint could make into a Case) of test/fixtures/render/<dir>/. */
export async function loadRenderFixture(dir: string): Promise<{ config: ResolvedConfig; cases: Case[] }> {
  const cwd = join(renderFixtures, dir);
  const loaded = await loadConfig({ cwd });
  if (!loaded.ok) throw new Error(loaded.file.messages.map(String).join('\n'));
  const { files } = await collectFiles([loaded.config.casesDir], cwd);
  const linted = await lintFiles(files, loaded.config, cwd);
  return { config: loaded.config, cases: linted.flatMap((l) => (l.case ? [l.case] : [])) };
}
