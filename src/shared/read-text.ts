/** Read an input file as UTF-8 text, or say clearly which encoding it seems to be in. */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { formatBytes, limits } from '../case/limits.js';
import { makeSource, type SourceText } from './source.js';

export type ReadResult =
  | { ok: true; source: SourceText }
  | { ok: false; reason: string; encoding?: string; bytes?: Buffer };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

type Chardet = typeof import('chardet');
const require = createRequire(import.meta.url);
let chardet: Chardet | undefined;

/** Names of encodings as a Chinese user knows them. */
const encodingNames: Record<string, string> = {
  GB18030: 'GB18030（GBK/GB2312）',
  Big5: 'Big5（繁体中文）',
  'UTF-16LE': 'UTF-16LE',
  'UTF-16BE': 'UTF-16BE',
  'Shift_JIS': 'Shift_JIS（日文）',
  'EUC-JP': 'EUC-JP（日文）',
  'EUC-KR': 'EUC-KR（韩文）',
  'windows-1252': 'Windows-1252（西文）',
  'ISO-8859-1': 'ISO-8859-1（西文）',
};

/** Guess the encoding of bytes that are not UTF-8. */
export function guessEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  // Loaded on the first file that is not UTF-8: most runs have none, and loading it costs each thread ~30 ms.
  chardet ??= require('chardet') as Chardet;
  const guesses = chardet.analyse(bytes);
  // chardet ranks GB18030 below single-byte Western encodings for short files; a Chinese-locale editor is the common cause.
  const cjk = guesses.find((g) => g.name === 'GB18030' || g.name === 'Big5');
  if (cjk && cjk.confidence >= 10) return cjk.name;
  return guesses[0]?.name;
}

/** Decode bytes: UTF-8 (with or without BOM) is accepted; anything else is refused with the likely encoding named. */
export function decode(path: string, bytes: Buffer): ReadResult {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const encoding = guessEncoding(bytes);
    const named = encoding ? (encodingNames[encoding] ?? encoding) : undefined;
    return {
      ok: false,
      encoding,
      bytes,
      reason: named
        ? `文件不是 UTF-8 编码，看起来是 ${named}编码；请在编辑器中另存为 UTF-8（或运行 huibian lint --fix 转换）`
        : '文件不是 UTF-8 编码；请在编辑器中另存为 UTF-8',
    };
  }
  const bom = text.charCodeAt(0) === 0xfeff;
  if (bom) text = text.slice(1);
  return { ok: true, source: makeSource(path, text, bom) };
}

/** Read a file of at most `maxBytes` (default: limits.fileBytes); a FIFO, device or folder is refused rather than read forever. */
export async function readSource(path: string, maxBytes: number = limits.fileBytes): Promise<ReadResult> {
  const read = await readBytes(path, maxBytes);
  return read.ok ? decode(path, read.bytes) : read;
}

/** The bytes of a regular file of at most `maxBytes`, or why they cannot be read (shared with `lint --fix`). */
export async function readBytes(path: string, maxBytes: number = limits.fileBytes): Promise<{ ok: true; bytes: Buffer } | { ok: false; reason: string }> {
  try {
    const refused = refusal(await stat(path), maxBytes);
    if (refused) return refused;
    return { ok: true, bytes: await readFile(path) };
  } catch (error) {
    return unreadable(error);
  }
}

/**
 * `readSource` without the event loop, for lint's loop over many files: the promise API costs ~10× the CPU per small
 * file. The file is opened first and its open descriptor checked, so what is read is what was checked; O_NONBLOCK
 * keeps the open of a named pipe from waiting for a writer (it is then refused as not a regular file).
 */
export function readSourceSync(path: string, maxBytes: number = limits.fileBytes): ReadResult {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const info = fstatSync(fd);
    const refused = refusal(info, maxBytes);
    if (refused) return refused;
    bytes = readAll(fd, info.size);
  } catch (error) {
    return unreadable(error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return decode(path, bytes);
}

/** The `size` bytes of an open file (fewer if it was cut short meanwhile). */
function readAll(fd: number, size: number): Buffer {
  const bytes = Buffer.allocUnsafe(size);
  let done = 0;
  while (done < size) {
    const read = readSync(fd, bytes, done, size - done, done);
    if (read === 0) break;
    done += read;
  }
  return done < size ? bytes.subarray(0, done) : bytes;
}

function refusal(info: Stats, maxBytes: number): { ok: false; reason: string } | undefined {
  if (info.isDirectory()) return { ok: false, reason: '这是一个文件夹，应为文件' };
  if (!info.isFile()) return { ok: false, reason: '这不是普通文件（可能是设备或管道），不予读取' };
  if (info.size > maxBytes) {
    return { ok: false, reason: `文件有 ${formatBytes(info.size)}，超过上限 ${formatBytes(maxBytes)}；请拆分文件，或删去粘贴进来的大段内容` };
  }
  return undefined;
}

function unreadable(error: unknown): { ok: false; reason: string } {
  const code = (error as NodeJS.ErrnoException).code;
  return {
    ok: false,
    reason:
      code === 'ENOENT' ? '文件不存在' : code === 'EISDIR' ? '这是一个文件夹，应为文件' : code === 'EACCES' ? '没有读取权限' : `无法读取（${code ?? String(error)}）`,
  };
}
