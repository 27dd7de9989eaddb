/**
 * Reading the parts of a Word package (a zip) with bounds, so that a hostile file ends in one message: every entry
 * and the whole are capped in size and in compression ratio, sizes are counted while inflating (a zip may lie about
 * them), and entry names are only ever looked up, never used as paths to write to.
 */
import yauzl from 'yauzl';
import { formatBytes, limits } from '../case/limits.js';

export const zipLimits = {
  /** Entries in one package: a real document has tens. */
  entries: 5000,
  /** One XML part, inflated. A 100-page document's document.xml is a few MB. */
  xmlBytes: 32 * 1024 * 1024,
  /** One image: as for images beside a case (they are embedded in the HTML). */
  imageBytes: limits.imageBytes,
  /** Everything read from one package, inflated. */
  totalBytes: 128 * 1024 * 1024,
  /** Inflated ÷ compressed, for entries over 1 MB: text compresses ~10×, a zip bomb ~1000×. */
  ratio: 200,
} as const;

/** One entry as listed in the central directory. */
export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  size: number;
}

/** An open package: its entry list and a bounded reader. */
export interface ZipPackage {
  entries: Map<string, ZipEntryInfo>;
  /** Names that would escape a folder (`..`, absolute, drive letters): listed, never read. */
  unsafeNames: string[];
  /** Inflate one entry; rejects with a Chinese sentence when it breaks a limit. */
  read(name: string, limit: number): Promise<Buffer>;
  close(): void;
}

/** An error whose message is meant for the user as it is. */
export class ImportError extends Error {}

/** Open a zip held in memory. Rejects with an ImportError when it is not a readable zip. */
export function openZip(data: Buffer): Promise<ZipPackage> {
  return new Promise((resolve, reject) => {
    // decodeStrings: false, so a bad name is ours to report and skip instead of an error that ends the whole read.
    yauzl.fromBuffer(data, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(new ImportError(`不是完整的 Word 文件（zip 包无法读取：${zipReason(error)}）`));
      const entries = new Map<string, ZipEntryInfo>();
      const raw = new Map<string, yauzl.Entry>();
      const unsafeNames: string[] = [];
      let total = 0;
      zip.on('error', (e: Error) => reject(new ImportError(`不是完整的 Word 文件（zip 包无法读取：${zipReason(e)}）`)));
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = Buffer.from(entry.fileName as unknown as Buffer).toString('utf8');
        if (entries.size + unsafeNames.length >= zipLimits.entries) {
          zip.close();
          return reject(new ImportError(`zip 包中的条目超过 ${zipLimits.entries} 个，不像 Word 文件，未读取`));
        }
        if (yauzl.validateFileName(name) !== null || /^[a-zA-Z]:/.test(name)) unsafeNames.push(name);
        else {
          entries.set(name, { name, compressedSize: entry.compressedSize, size: entry.uncompressedSize });
          raw.set(name, entry);
        }
        zip.readEntry();
      });
      zip.on('end', () =>
        resolve({
          entries,
          unsafeNames,
          close: () => zip.close(),
          read(name, limit) {
            const entry = raw.get(name);
            if (!entry) return Promise.reject(new ImportError(`zip 包中没有 ${name}`));
            const size = entry.uncompressedSize;
            if (size > limit) return Promise.reject(new ImportError(`${name} 解压后有 ${formatBytes(size)}，超过 ${formatBytes(limit)} 的上限，未读取`));
            if (size > 1024 * 1024 && size / Math.max(1, entry.compressedSize) > zipLimits.ratio) {
              return Promise.reject(new ImportError(`${name} 的压缩比超过 ${zipLimits.ratio} 倍（疑为 zip 炸弹），未读取`));
            }
            if (total + size > zipLimits.totalBytes) {
              return Promise.reject(new ImportError(`整个文件解压后超过 ${formatBytes(zipLimits.totalBytes)} 的上限，未读取`));
            }
            total += size;
            return new Promise<Buffer>((done, fail) => {
              zip.openReadStream(entry, (e, stream) => {
                if (e || !stream) return fail(new ImportError(`${name} 无法解压：${zipReason(e)}`));
                const chunks: Buffer[] = [];
                let got = 0;
                stream.on('data', (chunk: Buffer) => {
                  got += chunk.length;
                  // yauzl checks the declared size too; this is the bound that holds whatever the header says.
                  if (got > size || got > limit) stream.destroy(new ImportError(`${name} 解压后超过声明的大小，未读取`));
                  else chunks.push(chunk);
                });
                stream.on('error', (err: Error) => fail(err instanceof ImportError ? err : new ImportError(`${name} 无法解压：${zipReason(err)}`)));
                stream.on('end', () => done(Buffer.concat(chunks)));
              });
            });
          },
        }),
      );
      zip.readEntry();
    });
  });
}

function zipReason(error: unknown): string {
  const text = String((error as Error)?.message ?? error ?? '');
  if (/end of central directory/i.test(text)) return '找不到 zip 目录，文件可能被截断';
  if (/invalid (?:local|central)|unexpected EOF|too short|truncated|out of range/i.test(text)) return '数据不完整，文件可能被截断';
  if (/invalid signature|invalid stored block|incorrect header|invalid distance|invalid code|invalid block/i.test(text)) return '数据损坏';
  if (/encrypt/i.test(text)) return '条目已加密';
  return text || '未知原因';
}
