/** huibian's library API: lint(), compile(), preview(). Options in, result out; the CLI is a thin layer over these. */
import type { CompileOptions, CompileResult } from './build.js';
import type { PreviewOptions, PreviewResult } from './preview/index.js';
import type { InitOptions, InitResult } from './init/index.js';
import type { DoctorOptions, DoctorResult } from './doctor/index.js';

export type { ResolvedConfig } from './config/load.js';
export type { Case } from './case/resolve.js';
export type { Diagnostic, Fix } from './diagnostics.js';
export { ExitCode } from './exit-code.js';
export { outputFormats, type OutputFormat } from './formats.js';
export { fixDiff, type FixOutcome } from './lint/fix.js';
export { rules } from './lint/rules/index.js';
export { lint, type LintOptions, type LintResult } from './lint/api.js';
export type { CompileOptions, CompileResult, PreviewOptions, PreviewResult };
export type { InitOptions, InitResult, DoctorOptions, DoctorResult };

// compile() and preview() load the renderer and Puppeteer only when called, so `lint` starts fast.

/** Build the book: lint, group, render, write HTML and print the PDF. See src/build.ts. */
export async function compile(options: CompileOptions): Promise<CompileResult> {
  return (await import('./build.js')).compile(options);
}

/** Serve one case, typeset as it will print, refreshed on save. See src/preview/index.ts. */
export async function preview(options: PreviewOptions): Promise<PreviewResult> {
  return (await import('./preview/index.js')).preview(options);
}

/** Start a new compilation folder from templates/init/. See src/init/index.ts. */
export async function init(options: InitOptions): Promise<InitResult> {
  return (await import('./init/index.js')).init(options);
}

/** What huibian finds and will use on this machine (loads Puppeteer to find the browser). See src/doctor/index.ts. */
export async function doctor(options: DoctorOptions): Promise<DoctorResult> {
  return (await import('./doctor/index.js')).doctor(options);
}
