/**
 * Which characters the national double-byte code pages hold, built lazily from the platform's own decoders
 * (WHATWG `gbk` and `big5` in Node's ICU) rather than shipped tables. GB2312 is the classic simplified set and standard
 * Big5 the classic traditional set, so membership says a character is normal in that script.
 */

let gbkTable: Uint16Array | undefined;
let big5Table: Uint8Array | undefined;

/**
 * Decode every two-byte code of a code page once. All pairs are decoded in one call; a pair that does not give exactly
 * one UTF-16 unit (unmapped, or outside the BMP) gives two, so when the length is right every unit is its pair's. Else
 * the pairs are decoded again as `lead trail \n` triples, so that a bad pair cannot shift the rest.
 */
function buildTable(encoding: string, leads: [number, number], trails: Array<[number, number]>, set: (code: number, bytes: number) => void): void {
  const row: number[] = [];
  for (const [lo, hi] of trails) for (let trail = lo; trail <= hi; trail++) row.push(trail);
  const count = (leads[1] - leads[0] + 1) * row.length;
  const pairs = new Uint8Array(count * 2);
  for (let k = 0; k < count; k++) {
    pairs[2 * k] = leads[0] + Math.floor(k / row.length);
    pairs[2 * k + 1] = row[k % row.length]!;
  }
  const all = new TextDecoder(encoding).decode(pairs);
  if (all.length === count) {
    for (let k = 0; k < count; k++) {
      const c = all.charCodeAt(k);
      if (c !== 0xfffd) set(c, (pairs[2 * k]! << 8) | pairs[2 * k + 1]!);
    }
    return;
  }
  const bytes: number[] = [];
  const codes: number[] = [];
  for (let lead = leads[0]; lead <= leads[1]; lead++) {
    for (const [lo, hi] of trails) {
      for (let trail = lo; trail <= hi; trail++) {
        bytes.push(lead, trail, 10);
        codes.push((lead << 8) | trail);
      }
    }
  }
  const decoded = new TextDecoder(encoding).decode(new Uint8Array(bytes)).split('\n');
  for (let k = 0; k < codes.length; k++) {
    const ch = decoded[k];
    if (ch && ch.length === 1 && ch !== '\ufffd') set(ch.charCodeAt(0), codes[k]!);
  }
}

/** The two-byte GBK code of a BMP character (lead << 8 | trail), or 0 when GBK has none (ASCII included). */
export function gbkCode(code: number): number {
  if (!gbkTable) {
    const table = new Uint16Array(0x10000);
    buildTable('gbk', [0x81, 0xfe], [[0x40, 0x7e], [0x80, 0xfe]], (c, b) => {
      if (!table[c]) table[c] = b;
    });
    gbkTable = table;
  }
  return code < 0x10000 ? gbkTable[code]! : 0;
}

/** The character is in GB2312 (GBK rows 0xB0–0xF7 for Han, 0xA1–0xA9 for symbols). */
export function inGb2312(code: number): boolean {
  const b = gbkCode(code);
  const lead = b >> 8;
  const trail = b & 0xff;
  return b !== 0 && lead >= 0xa1 && lead <= 0xf7 && trail >= 0xa1;
}

/** The character is a Han character of standard Big5 (0xA440–0xC67E, 0xC940–0xF9D5), without the HKSCS additions. */
export function inBig5(code: number): boolean {
  if (!big5Table) {
    const table = new Uint8Array(0x10000);
    const trails: Array<[number, number]> = [[0x40, 0x7e], [0xa1, 0xfe]];
    buildTable('big5', [0xa4, 0xc6], trails, (c) => (table[c] = 1));
    buildTable('big5', [0xc9, 0xf9], trails, (c) => (table[c] = 1));
    big5Table = table;
  }
  return code < 0x10000 && big5Table[code] === 1;
}
