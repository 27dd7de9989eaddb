/** Types for bench/generate.js (plain JS so it runs without a build). */
export interface GeneratedCompilation {
  /** The compilation root (absolute): holds huibian.yaml and cases/. */
  root: string;
  /** Absolute path of the written huibian.yaml. */
  config: string;
  /** Absolute paths of the case files, in generation order. */
  files: string[];
}

/** Write a lint-clean compilation of `count` generated cases at `dir`; the same seed gives the same bytes. */
export function generateCompilation(dir: string, count: number, options?: { seed?: number }): GeneratedCompilation;
