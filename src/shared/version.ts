/** huibian's package.json as installed: its version (for `--version`, new projects and the PDF cache's keys) and engines. */
import { readFileSync } from 'node:fs';

export const huibianPackage: { version: string; engines?: { node?: string } } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
);

export const version: string = huibianPackage.version;
