/**
 * Script consistency with OpenCC data (opencc-js), one character at a time. A character is a candidate only when it is
 * outside the classic character set of the compilation's script (GB2312 for zh-Hans, Big5 for zh-Hant), so clean text
 * never loads OpenCC; a candidate is flagged when OpenCC converts it to something else.
 */
import { createRequire } from 'node:module';
import { inBig5, inGb2312 } from './codepages.js';

export type Script = 'zh-Hans' | 'zh-Hant';

type Convert = (text: string) => string;

/**
 * Characters in GB2312 that are nonetheless traditional forms in modern simplified text (後→后, 於→于): checked even
 * though GB2312 holds them.
 */
const traditionalInGb2312 = new Set([...'後於麽菸摺']);

/**
 * Characters valid in both scripts that OpenCC would still convert: 瞭 (瞭望), 藉 (慰藉), 乾 (乾坤), 徵 (宫商角徵羽),
 * 著 (著名), 么, 沈 (a surname), 祇 (神祇), 甦, 堃, 喆. Most are already allowed by being in GB2312; listed for clarity.
 */
const validInBoth = new Set([...'瞭藉乾徵著么沈祇甦堃喆夥拚捱吒榘袷麴醣薹']);

const converters = new Map<Script, Convert>();
const require = createRequire(import.meta.url);

function converterFor(script: Script): Convert {
  let convert = converters.get(script);
  if (!convert) {
    // Loaded only when a candidate appears: the OpenCC tables cost tens of milliseconds.
    type OpenCC = { Converter(options: { from: string; to: string }): Convert };
    convert =
      script === 'zh-Hans'
        ? (require('opencc-js/t2cn') as OpenCC).Converter({ from: 't', to: 'cn' })
        : (require('opencc-js/cn2t') as OpenCC).Converter({ from: 'cn', to: 't' });
    converters.set(script, convert);
  }
  return convert;
}

const verdicts = new Map<string, string | null>();

/** A quick check before `otherScriptChar`: the character is in the classic set of `script` and needs no lookup. */
export function normalIn(code: number, script: Script): boolean {
  return script === 'zh-Hans' ? inGb2312(code) && !traditionalCodes.has(code) : inBig5(code);
}

const traditionalCodes = new Set([...traditionalInGb2312].map((c) => c.charCodeAt(0)));

/** The form a character should take in `script`, or undefined when it is already fine. */
export function otherScriptChar(ch: string, script: Script): string | undefined {
  if (normalIn(ch.charCodeAt(0), script)) return undefined;
  if (validInBoth.has(ch)) return undefined;
  const key = `${script}:${ch}`;
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    const converted = converterFor(script)(ch);
    verdict = converted !== ch && [...converted].length === 1 ? converted : null;
    verdicts.set(key, verdict);
  }
  return verdict ?? undefined;
}

