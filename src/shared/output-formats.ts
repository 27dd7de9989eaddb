/** The output formats of `compile` (a module of its own so the CLI can list them without loading the browser code). */
export const outputFormats = ['html', 'pdf'] as const;
export type OutputFormat = (typeof outputFormats)[number];
