/** Readings of a Han character (pinyin-pro, polyphones included), loaded only when a pinyin-looking annotation appears. */
import { createRequire } from 'node:module';

type PinyinFn = (text: string, options: { multiple: boolean; type: 'array'; toneType: 'none' }) => string[];

const require = createRequire(import.meta.url);
let pinyinFn: PinyinFn | undefined;

/** A syllable without tone marks or tone digit, lower case, with ü written as v: `yè` → `ye`, `lü4` → `lv`. */
export function toneless(syllable: string): string {
  return syllable
    .toLowerCase()
    .replace(/[1-5]$/, '')
    .replace(/ü|u:/g, 'v')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ü/g, 'v');
}

/** Whether `syllable` (with or without tone) is one of the readings of the character `ch`. */
export function isReadingOf(ch: string, syllable: string): boolean {
  pinyinFn ??= (require('pinyin-pro') as { pinyin: PinyinFn }).pinyin;
  const wanted = toneless(syllable);
  return pinyinFn(ch, { multiple: true, type: 'array', toneType: 'none' }).some((r) => toneless(r) === wanted);
}
