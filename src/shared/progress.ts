/** Progress on stderr while a long job runs: one live, rewritten line on a terminal; plain lines in logs and CI. */
import type { Streams } from './streams.js';

/** Where a workflow reports what it is doing. */
export interface Progress {
  /** A stage begins, e.g. `排版 PDF（第 1/6 段）`; on a terminal it replaces the previous stage's line. */
  stage(text: string): void;
  /** A line that stays, e.g. a warning or the summary. */
  line(text: string): void;
  /** Clear the live line (call before the process writes anything else). */
  end(): void;
}

export interface ProgressOptions {
  /** Rewrite one line in place; default: whether the stream is a terminal. */
  live?: boolean;
  /** Milliseconds since start, injectable for tests. */
  now?: () => number;
}

/** Progress that writes to `stream`. */
export function createProgress(stream: Streams['stderr'], options: ProgressOptions = {}): Progress {
  const live = options.live ?? !!stream.isTTY;
  const now = options.now ?? (() => performance.now());
  const start = now();
  let shown = false;
  const elapsed = () => `${((now() - start) / 1000).toFixed(1)} 秒`;
  const clear = () => {
    if (live && shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  return {
    stage(text) {
      if (live) {
        clear();
        stream.write(fit(`… ${text}（${elapsed()}）`, stream.columns));
        shown = true;
      } else {
        stream.write(`huibian：${text}\n`);
      }
    },
    line(text) {
      clear();
      stream.write(`${text}\n`);
    },
    end: clear,
  };
}

/** Progress that reports nothing (library use without a stream). */
export const silentProgress: Progress = { stage() {}, line() {}, end() {} };

/** Cut a live line to the terminal width so it never wraps (a wrapped line cannot be rewritten in place). */
function fit(text: string, columns: number | undefined): string {
  if (!columns) return text;
  let width = 0;
  let out = '';
  for (const ch of text) {
    // CJK and full-width forms take two columns.
    const w = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
    if (width + w > columns - 1) break;
    width += w;
    out += ch;
  }
  return out;
}
