/** Confinement while rendering untrusted content: only `data:` URLs and files under allowed folders may load. */
import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'puppeteer';

/** What a page was kept from loading. */
export interface Confinement {
  /** URLs refused (network, files outside the allowed folders), in order, each once. */
  blocked: string[];
}

/** Decide one URL: data URLs and files whose real path lies under an allowed folder pass; everything else is refused. */
export function isAllowedUrl(url: string, allowedDirs: readonly string[]): boolean {
  if (url.startsWith('data:') || url === 'about:blank') return true;
  if (!url.startsWith('file:')) return false;
  let path: string;
  try {
    path = fileURLToPath(url);
  } catch {
    return false;
  }
  // A symlink inside the compilation could point anywhere: judge the file it really is.
  const real = realPath(path);
  return allowedDirs.some((dir) => {
    const root = realPath(dir);
    return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
  });
}

function realPath(path: string): string {
  try {
    return realpathSync(resolve(path));
  } catch {
    return resolve(path);
  }
}

/** Turn on request interception for `page`: allowed requests continue, others are aborted and recorded (in `blocked`, if given). */
export async function confine(page: Page, allowedDirs: readonly string[], blocked: string[] = []): Promise<Confinement> {
  const confinement: Confinement = { blocked };
  const roots = allowedDirs.map(realPath);
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    // Another handler may already have decided; Puppeteer throws if we decide twice.
    if (request.isInterceptResolutionHandled()) return;
    const url = request.url();
    if (isAllowedUrl(url, roots)) {
      void request.continue().catch(() => undefined);
    } else {
      if (!confinement.blocked.includes(url)) confinement.blocked.push(url);
      void request.abort('blockedbyclient').catch(() => undefined);
    }
  });
  return confinement;
}
