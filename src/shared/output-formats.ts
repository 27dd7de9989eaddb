/** The output formats of `compile` (a module of its own so the CLI can list them without loading the browser code). */
export const outputFormats = ['html', 'pdf', 'docx'] as const;
export type OutputFormat = (typeof outputFormats)[number];
/** What `compile` makes when no format is asked for: the Word file only on request (`--format docx`). */
export const defaultFormats: readonly OutputFormat[] = ['html', 'pdf'];
