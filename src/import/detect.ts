/**
 * What kind of file a submission really is, from its first bytes rather than its extension: a Word package (zip),
 * an old binary Word/WPS file (OLE compound file), an encrypted Office file (also OLE, with an EncryptionInfo
 * stream), RTF, or something that is not a document at all (an empty file, a renamed .txt).
 */

export type Detected =
  | { kind: 'zip' }
  /** Needs LibreOffice: Word 97–2003 (.doc), WPS (.wps), RTF, Word 2003 XML. */
  | { kind: 'convert'; what: string }
  | { kind: 'bad'; reason: string };

const ole = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** Look at the bytes of a submission. */
export function detect(data: Buffer): Detected {
  if (data.length === 0) return { kind: 'bad', reason: '文件是空的（0 字节），请向报送单位要一份完整的文件' };
  if (data[0] === 0x50 && data[1] === 0x4b) return { kind: 'zip' };
  if (data.subarray(0, 8).equals(ole)) {
    // Office writes a password-protected .docx as an OLE file with these streams (MS-OFFCRYPTO); names are UTF-16LE.
    if (data.includes(Buffer.from('EncryptionInfo', 'utf16le')) || data.includes(Buffer.from('EncryptedPackage', 'utf16le'))) {
      return { kind: 'bad', reason: '文件设有打开密码（已加密），无法读取；请报送单位取消密码后重新发送' };
    }
    if (data.includes(Buffer.from('WordDocument', 'utf16le'))) return { kind: 'convert', what: 'Word 97–2003 文档' };
    return { kind: 'convert', what: 'WPS 或旧版 Office 文档' };
  }
  const head = data.subarray(0, 512).toString('latin1');
  if (head.startsWith('{\\rtf')) return { kind: 'convert', what: 'RTF 文档' };
  if (/^(\uFEFF|ï»¿)?<\?xml[\s\S]*<(w:wordDocument|pkg:package)/.test(head)) return { kind: 'convert', what: 'Word XML 文档' };
  // Web systems export "Word" files that are HTML or MHT pages with a .doc name.
  if (/^(\uFEFF|ï»¿)?\s*(<!doctype html|<html|<\?xml[^>]*>\s*<html)|^MIME-Version:/i.test(head)) {
    return { kind: 'bad', reason: '这是网页（HTML/MHT）格式的文件，只是扩展名像 Word；请在 Word 或 WPS 中打开后另存为 .docx 再导入' };
  }
  if (head.startsWith('%PDF')) return { kind: 'bad', reason: '这是 PDF 文件，不是 Word 文件；请向报送单位要 Word 原稿' };
  if (looksLikeText(data)) return { kind: 'bad', reason: '不是 Word 文件：内容是纯文本（可能是改了扩展名的 .txt）；请向报送单位要 Word 原稿，或把文字存为 .md 案例' };
  return { kind: 'bad', reason: '不是 Word 文件：无法识别的格式（既不是 .docx 的 zip 包，也不是 .doc 的复合文档）' };
}

function looksLikeText(data: Buffer): boolean {
  const sample = data.subarray(0, 4096);
  if (sample.includes(0)) return false;
  let control = 0;
  for (const b of sample) if (b < 9 || (b > 13 && b < 32)) control++;
  return control / sample.length < 0.01;
}
