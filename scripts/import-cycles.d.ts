/** Every import cycle among the .ts files under `root`, each as the files on it (relative to root). */
export function importCycles(root: string): string[][];
