/** The data for the page rules (page.css.liquid): paper size, margins, and the parts' running heads. */
import type { ResolvedConfig } from '../config/load.js';
import { fontStack } from './fonts.js';

/** Paper sizes by name, width × height. 16K is the Chinese 16开 (185 × 260 mm); B5 is ISO B5. */
export const paperSizes: Record<string, { width: string; height: string }> = {
  A4: { width: '210mm', height: '297mm' },
  A5: { width: '148mm', height: '210mm' },
  B5: { width: '176mm', height: '250mm' },
  '16K': { width: '185mm', height: '260mm' },
};

const defaultMargin = { top: '25mm', bottom: '22mm', inside: '25mm', outside: '20mm' };

export interface PageCssData {
  title: string;
  /** The heading font stack, already CSS-quoted, for the running heads and page numbers. */
  headingFont: string;
  page: { width: string; height: string; margin: typeof defaultMargin; partsOnRight: boolean; numberStyle: 'plain' | 'gongwen' };
  parts: { id: string; title: string }[];
}

export function pageCssData(config: Pick<ResolvedConfig, 'title' | 'page' | 'fonts'>, parts: { id: string; title: string }[]): PageCssData {
  const size = typeof config.page.size === 'string' ? paperSizes[config.page.size]! : config.page.size;
  return {
    title: config.title,
    headingFont: fontStack('heading', config.fonts, 'print'),
    page: { ...size, margin: { ...defaultMargin, ...config.page.margin }, partsOnRight: config.page.partsOnRight, numberStyle: config.page.numberStyle },
    parts,
  };
}
