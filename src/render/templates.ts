/** The liquid engine over the template folders (user's first, default last) and the CSS files they hold. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Liquid } from 'liquidjs';
import { cssString } from './fonts.js';

export type Target = 'web' | 'print';

/** A liquid engine that can only read files in `dirs`: auto-escaping, strict variables and filters, no relative paths. */
export function createEngine(dirs: readonly string[]): Liquid {
  const engine = new Liquid({
    root: [...dirs],
    partials: [...dirs],
    layouts: [...dirs],
    extname: '.liquid',
    relativeReference: false,
    outputEscape: 'escape',
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    cache: true,
  });
  // For values written into CSS (running heads): a quoted CSS string that cannot end the <style> element.
  engine.registerFilter('css_string', (value: unknown) => cssString(String(value ?? '')));
  return engine;
}

/** The static CSS files, in cascade order, for a target. Each is taken from the first template folder that has it. */
export function cssFiles(target: Target): string[] {
  return target === 'print' ? ['book.css', 'print.css'] : ['book.css', 'screen.css'];
}

/** Read a named template file from the first folder that has it; undefined when none has. */
export async function readTemplateFile(dirs: readonly string[], name: string): Promise<string | undefined> {
  for (const dir of dirs) {
    try {
      return await readFile(join(dir, name), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return undefined;
}
