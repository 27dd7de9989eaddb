/**
 * Watching the files a build depends on (the preview's one case, `compile --watch`'s whole book). Folders are watched rather than files: an editor that saves by writing a
 * temporary file and renaming it over the case replaces the file's inode, and a watch on the old inode would go quiet,
 * while the folder sees the rename. Bursts of events (one save is often several) are folded into one call.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

export interface Watcher {
  /** Watch exactly these files and folders from now on (a call replaces the previous set). */
  set(files: readonly string[], dirs: readonly string[]): void;
  close(): void;
}

export interface WatchOptions {
  /** Quiet time after the last event before `onChange` is called. */
  debounceMs: number;
  /** A folder that cannot be watched (it does not exist yet, too many watches): told once per folder. */
  onError?: (dir: string, error: Error) => void;
  /** Names that are never a change, even in a folder watched whole (an editor's swap and backup files). */
  ignore?: (name: string) => boolean;
}

/** Call `onChange` once after each burst of changes to the watched files, or to anything inside the watched folders. */
export function createWatcher(onChange: () => void, options: WatchOptions): Watcher {
  /** Folder → its watch and the names in it that matter (`all`: any name). */
  const watched = new Map<string, { watcher: FSWatcher; names: Set<string> | 'all' }>();
  const failed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(onChange, options.debounceMs);
  };

  function set(files: readonly string[], dirs: readonly string[]): void {
    if (closed) return;
    const wanted = new Map<string, Set<string> | 'all'>();
    for (const dir of dirs) wanted.set(dir, 'all');
    for (const file of files) {
      const dir = dirname(file);
      const names = wanted.get(dir);
      if (names === 'all') continue;
      wanted.set(dir, new Set([...(names ?? []), basename(file)]));
    }
    for (const [dir, entry] of watched) {
      if (!wanted.has(dir)) {
        entry.watcher.close();
        watched.delete(dir);
      }
    }
    for (const [dir, names] of wanted) {
      const entry = watched.get(dir);
      if (entry) {
        entry.names = names;
        continue;
      }
      try {
        const watcher = watch(dir, { persistent: false }, (_event, name) => {
          const current = watched.get(dir)?.names;
          // Some platforms do not say which file changed: take it as a change that matters.
          if (name && options.ignore?.(name.toString())) return;
          if (current === 'all' || !name || current?.has(name.toString())) schedule();
        });
        watcher.on('error', (error) => {
          watcher.close();
          if (watched.get(dir)?.watcher === watcher) watched.delete(dir);
          options.onError?.(dir, error);
        });
        watched.set(dir, { watcher, names });
        failed.delete(dir);
      } catch (error) {
        if (!failed.has(dir)) options.onError?.(dir, error as Error);
        failed.add(dir);
      }
    }
  }

  return {
    set,
    close() {
      closed = true;
      clearTimeout(timer);
      for (const { watcher } of watched.values()) watcher.close();
      watched.clear();
    },
  };
}
