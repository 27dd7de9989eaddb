/** Writing outputs atomically: a failed or interrupted compile leaves the previous files exactly as they were. */
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** One file to write: its final path and its content. */
export interface Output {
  path: string;
  data: string | Uint8Array;
}

/**
 * Write every output to a temporary file beside its destination, then rename each into place. Rename within one
 * folder is atomic, so a reader (or a second compile running at the same time) sees the old file or the new one,
 * never half of one. If any write fails, the temporary files are removed and no destination is touched.
 */
export async function writeOutputs(outputs: readonly Output[]): Promise<void> {
  const staged: { temp: string; path: string }[] = [];
  try {
    for (const output of outputs) {
      await mkdir(dirname(output.path), { recursive: true });
      const temp = tempPathFor(output.path);
      staged.push({ temp, path: output.path });
      await writeDurably(temp, output.data);
    }
    // A folder where an output should go would fail its rename after the earlier files were replaced: find it first.
    for (const s of staged) {
      const existing = await lstat(s.path).catch(() => undefined);
      if (existing?.isDirectory()) throw Object.assign(new Error(`EISDIR: ${s.path} is a directory`), { code: 'EISDIR', path: s.path });
    }
  } catch (error) {
    await Promise.all(staged.map((s) => rm(s.temp, { force: true })));
    throw error;
  }
  for (const [i, s] of staged.entries()) {
    try {
      await rename(s.temp, s.path);
    } catch (error) {
      await Promise.all(staged.slice(i).map((rest) => rm(rest.temp, { force: true })));
      throw error;
    }
  }
}

/**
 * A hidden name in the same folder (so rename never crosses file systems), unique per process and call. The global
 * Web Crypto, not node:crypto: lint (whose --fix writes through this) does not load crypto unless it writes.
 */
export function tempPathFor(path: string): string {
  const random = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(4))).toString('hex');
  return join(dirname(path), `.${basename(path)}.${process.pid}.${random}.tmp`);
}

/** Write and flush to disk, so a crash right after the rename cannot leave an empty file under the final name. */
async function writeDurably(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
