/** huibian's library API: lint(), compile(), preview(), importCases(), init(), doctor(). Options in, result out; the CLI is a thin layer over these. */
import type { CompileOptions, CompileResult } from './workflows/compile.js';
import type { CompileWatchOptions, CompileWatchResult, WatchBuild } from './workflows/watch.js';
import type { PreviewOptions, PreviewResult } from './workflows/preview.js';
import type { ImportOptions, ImportResult } from './workflows/import.js';
import type { InitOptions, InitResult } from './workflows/init.js';
import type { DoctorOptions, DoctorResult } from './workflows/doctor.js';

export type { ResolvedConfig } from './config/load.js';
export type { Case } from './case/resolve.js';
export type { Diagnostic, Fix } from './shared/diagnostics.js';
export { ExitCode } from './shared/exit-code.js';
export { outputFormats, type OutputFormat } from './shared/output-formats.js';
export { fixDiff, type FixOutcome } from './lint/fix.js';
export { rules } from './lint/rules/index.js';
export { lint, type LintOptions, type LintResult } from './workflows/lint.js';
export type { CompileOptions, CompileResult, PreviewOptions, PreviewResult };
export type { CompileWatchOptions, CompileWatchResult, WatchBuild };
export type { ImportOptions, ImportResult, InitOptions, InitResult, DoctorOptions, DoctorResult };

// compile() and preview() load the renderer and Puppeteer only when called, so `lint` starts fast.

/** Build the book: lint, group, render, write HTML and print the PDF. See src/workflows/compile.ts. */
export async function compile(options: CompileOptions): Promise<CompileResult> {
  return (await import('./workflows/compile.js')).compile(options);
}

/** Compile, then recompile after each save with the browser kept running, until the signal aborts. See src/workflows/watch.ts. */
export async function compileWatch(options: CompileWatchOptions): Promise<CompileWatchResult> {
  return (await import('./workflows/watch.js')).compileWatch(options);
}

/** Serve one case, typeset as it will print, refreshed on save. See src/workflows/preview.ts. */
export async function preview(options: PreviewOptions): Promise<PreviewResult> {
  return (await import('./workflows/preview.js')).preview(options);
}

/** Word submissions (and the editor's roster) → cases and the intake report. See src/workflows/import.ts. */
export async function importCases(options: ImportOptions): Promise<ImportResult> {
  return (await import('./workflows/import.js')).importCases(options);
}

/** Start a new compilation folder from templates/init/. See src/workflows/init.ts. */
export async function init(options: InitOptions): Promise<InitResult> {
  return (await import('./workflows/init.js')).init(options);
}

/** What huibian finds and will use on this machine (loads Puppeteer to find the browser). See src/workflows/doctor.ts. */
export async function doctor(options: DoctorOptions): Promise<DoctorResult> {
  return (await import('./workflows/doctor.js')).doctor(options);
}
