/** Exit codes shared by every command (a module of its own so the CLI loads without the rest). */
export const ExitCode = { ok: 0, errors: 1, usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
