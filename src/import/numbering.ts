/**
 * Word's automatic numbering rendered to the text a reader sees (`一、`, `（二）`, `3.`), from word/numbering.xml:
 * abstract definitions, per-list overrides (start, restart), level text such as `%1、` or `（%2）` and formats such as
 * chineseCounting. Readers that skip this (mammoth: its issues #267, #413, #479) lose the `一、` of every heading.
 */
import { child, childrenNamed, val, type XmlElement } from './xml.js';

interface Level {
  start: number;
  format: string;
  text: string;
  /** Restart after a higher level (Word's default) unless lvlRestart says otherwise. */
  restartAfter?: number;
  /** The style that carries this numbering (pStyle), e.g. Heading1. */
  style?: string;
}

export interface Numbering {
  /** numId → its levels (abstract definition with the num's overrides applied). */
  lists: Map<string, Level[]>;
  /** abstractNumId of each numId: lists that share it share their counters, as in Word. */
  abstractOf: Map<string, string>;
  /** Counters per abstract id (or per numId when a level override restarts it), per level. */
  counters: Map<string, number[]>;
  /** Style id → numId and level, for numbering carried by a paragraph style. */
  styleNumbering: Map<string, { numId: string; ilvl: number }>;
  /** Lists with a start override that have not been used yet: their first paragraph restarts the count. */
  restartPending: Set<string>;
}

/** Whatever numbering.xml holds; an absent part is an empty numbering. */
export function readNumbering(root: XmlElement | undefined): Numbering {
  const numbering: Numbering = { lists: new Map(), abstractOf: new Map(), counters: new Map(), styleNumbering: new Map(), restartPending: new Set() };
  const top = child(root, 'w:numbering');
  if (!top) return numbering;
  const abstracts = new Map<string, Level[]>();
  for (const a of childrenNamed(top, 'w:abstractNum')) abstracts.set(a.attrs['w:abstractNumId'] ?? '', readLevels(a));
  for (const num of childrenNamed(top, 'w:num')) {
    const id = num.attrs['w:numId'] ?? '';
    const abstractId = val(num, 'w:abstractNumId') ?? '';
    const levels = (abstracts.get(abstractId) ?? []).map((l) => ({ ...l }));
    let overridden = false;
    for (const o of childrenNamed(num, 'w:lvlOverride')) {
      const ilvl = Number(o.attrs['w:ilvl'] ?? 0);
      const lvl = child(o, 'w:lvl');
      if (lvl) levels[ilvl] = { start: 1, format: 'decimal', text: '', ...levels[ilvl], ...readLevel(lvl) } as Level;
      const start = val(o, 'w:startOverride');
      if (start !== undefined && levels[ilvl]) {
        levels[ilvl]!.start = Number(start);
        overridden = true;
      }
    }
    numbering.lists.set(id, levels);
    // Lists of one abstract definition share one count; a start override restarts it where that list is first used
    // (Word's "restart numbering"). LibreOffice saves a restarted list so: its first item in a list with the override,
    // the items after it in the plain list, which must go on 2, 3 …
    numbering.abstractOf.set(id, `abstract:${abstractId}`);
    if (overridden) numbering.restartPending.add(id);
    for (const [ilvl, level] of levels.entries()) {
      if (level?.style && !numbering.styleNumbering.has(level.style)) numbering.styleNumbering.set(level.style, { numId: id, ilvl });
    }
  }
  return numbering;
}

function readLevels(abstract: XmlElement): Level[] {
  const levels: Level[] = [];
  for (const lvl of childrenNamed(abstract, 'w:lvl')) levels[Number(lvl.attrs['w:ilvl'] ?? 0)] = { start: 1, format: 'decimal', text: '', ...readLevel(lvl) };
  return levels;
}

function readLevel(lvl: XmlElement): Partial<Level> {
  const out: Partial<Level> = {};
  const start = val(lvl, 'w:start');
  if (start !== undefined) out.start = Number(start);
  const format = val(lvl, 'w:numFmt');
  if (format !== undefined) out.format = format;
  const text = val(lvl, 'w:lvlText');
  if (text !== undefined) out.text = text;
  const restart = val(lvl, 'w:lvlRestart');
  if (restart !== undefined) out.restartAfter = Number(restart);
  const style = val(lvl, 'w:pStyle');
  if (style !== undefined) out.style = style;
  return out;
}

/** What one numbered paragraph shows: the rendered label, and whether it is a bullet. */
export interface NumberLabel {
  text: string;
  bullet: boolean;
  format: string;
  level: number;
}

/** Advance the counters for a paragraph at (numId, ilvl) and render its label. Call once per paragraph, in order. */
export function nextLabel(numbering: Numbering, numId: string, ilvl: number): NumberLabel | undefined {
  const levels = numbering.lists.get(numId);
  const level = levels?.[ilvl];
  if (!levels || !level || numId === '0') return undefined;
  const key = numbering.abstractOf.get(numId) ?? numId;
  let counts = numbering.counters.get(key);
  if (!counts) numbering.counters.set(key, (counts = []));
  // Only this level and deeper restart: a nested list's own overrides must not reset the list around it.
  if (numbering.restartPending.delete(numId)) counts.length = Math.min(counts.length, ilvl);
  counts[ilvl] = counts[ilvl] === undefined ? level.start : counts[ilvl]! + 1;
  // Deeper levels restart after this one (unless their lvlRestart names a level above this one).
  for (let deeper = ilvl + 1; deeper < counts.length; deeper++) {
    const restartAfter = levels[deeper]?.restartAfter;
    if (restartAfter === 0) continue;
    if (restartAfter === undefined || restartAfter - 1 >= ilvl) counts[deeper] = undefined as unknown as number;
  }
  if (level.format === 'bullet') return { text: '', bullet: true, format: 'bullet', level: ilvl };
  if (level.format === 'none') return { text: '', bullet: false, format: 'none', level: ilvl };
  const text = level.text.replace(/%(\d)/g, (_, n: string) => {
    const at = Number(n) - 1;
    const count = counts![at] ?? levels[at]?.start ?? 1;
    return formatNumber(count, levels[at]?.format ?? 'decimal');
  });
  return { text, bullet: false, format: level.format, level: ilvl };
}

const chineseDigits = '〇一二三四五六七八九';

/** A number in one of Word's formats; unknown formats fall back to decimal. */
export function formatNumber(n: number, format: string): string {
  switch (format) {
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'ideographTraditional':
    case 'taiwaneseCounting':
      return chineseCounting(n);
    case 'ideographDigital':
    case 'taiwaneseDigital':
      return String(n).replace(/\d/g, (d) => chineseDigits[Number(d)]!);
    case 'chineseLegalSimplified':
      return chineseCounting(n).replace(/[一二三四五六七八九十百千]/g, (c) => '壹贰叁肆伍陆柒捌玖拾佰仟'['一二三四五六七八九十百千'.indexOf(c)]!);
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return n >= 1 && n <= 20 ? String.fromCodePoint(0x2460 + n - 1) : String(n);
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    case 'decimalZero':
      return n < 10 ? `0${n}` : String(n);
    case 'upperLetter':
      return letters(n).toUpperCase();
    case 'lowerLetter':
      return letters(n);
    case 'upperRoman':
      return roman(n);
    case 'lowerRoman':
      return roman(n).toLowerCase();
    default:
      return String(n);
  }
}

/** 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五. */
export function chineseCounting(n: number): string {
  if (n <= 0 || n >= 10000) return String(n);
  const units = ['', '十', '百', '千'];
  const digits = String(n).split('').map(Number);
  let out = '';
  let zero = false;
  digits.forEach((d, i) => {
    const unit = units[digits.length - 1 - i]!;
    if (d === 0) {
      zero = out !== '';
      return;
    }
    if (zero) out += '零';
    zero = false;
    out += chineseDigits[d]! + unit;
  });
  return out.replace(/^一十/, '十');
}

function letters(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(97 + ((k - 1) % 26)) + out;
  return out;
}

function roman(n: number): string {
  const table: [number, string][] = [[1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'], [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I']];
  let out = '';
  for (const [v, s] of table) for (; n >= v; n -= v) out += s;
  return out;
}
