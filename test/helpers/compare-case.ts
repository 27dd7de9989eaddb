/**
 * An imported case against the sample case it was made from: front-matter values, headings (level and text) and
 * paragraphs exactly, and how many tables, images and footnotes came through. Items are matched in order (longest
 * common subsequence), so one lost paragraph costs one, not every paragraph after it.
 */
import { parse as parseYaml } from 'yaml';

/** The sample cases write some sectors by label or alias; an imported case writes the key. */
const sectorKey: Record<string, string> = { 机关: 'agency', 国企: 'soe', 普通高等学校: 'university', 中小学校: 'school', 公立医院: 'hospital' };

export interface Comparison {
  counts: {
    front: number;
    frontRight: number;
    headings: number;
    headingsRight: number;
    paragraphs: number;
    paragraphsRight: number;
    tables: number;
    tablesKept: number;
    images: number;
    imagesKept: number;
    footnotes: number;
    footnotesKept: number;
  };
  frontWrong: string[];
  /** Source headings and paragraphs with no exact match (each with what was imported in its place), and imported ones
   *  that match no source line. `headings` and `paragraphs` count both: source lines plus the extra imported ones. */
  wrong: string[];
}

function split(markdown: string): { front: Record<string, unknown>; body: string } {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(markdown);
  return { front: m ? ((parseYaml(m[1]!) as Record<string, unknown>) ?? {}) : {}, body: m ? markdown.slice(m[0].length) : markdown };
}

/** Inline Markdown → the text a reader sees (bold marks, footnote references, link targets and escapes dropped). */
function plain(text: string): string {
  return text
    .replace(/\*\*/g, '')
    .replace(/\[\^\w+\]/g, '')
    .replace(/\[([^\]]*)\]\(<?[^)>]*>?\)/g, '$1')
    .replace(/\\([\\`*_[\]<|.#>+-])/g, '$1')
    .trim();
}

function blocks(body: string): { headings: string[]; paragraphs: string[] } {
  const headings: string[] = [];
  const paragraphs: string[] = [];
  for (const line of body.split('\n')) {
    if (!line.trim() || /^\[\^\w+\]: /.test(line) || /^\|[\s|:-]+\|$/.test(line)) continue;
    const h = /^(#{1,6}) (.*)$/.exec(line);
    if (h) {
      headings.push(`${h[1]} ${plain(h[2]!)}`);
      continue;
    }
    const image = /^!\[(.*)\]\(.*\)$/.exec(line);
    if (image) {
      paragraphs.push(plain(image[1]!));
      continue;
    }
    if (line.startsWith('|')) paragraphs.push(...line.slice(1, -1).split(/(?<!\\)\|/).map((c) => plain(c)));
    else {
      // A list item keeps its marker: a list that came back as plain paragraphs is not right.
      const item = /^(- |\d+\. )?(.*)$/.exec(line)!;
      paragraphs.push(`${item[1] ?? ''}${plain(item[2]!)}`);
    }
  }
  return { headings, paragraphs };
}

/** Which of `want` are found, in order, in `got` (longest common subsequence); returns the indexes not found. */
function unmatched(want: string[], got: string[]): number[] {
  const n = want.length;
  const m = got.length;
  const t = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) t[i]![j] = want[i] === got[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  const missing: number[] = [];
  let i = 0;
  let j = 0;
  while (i < n) {
    if (j < m && want[i] === got[j]) {
      i++;
      j++;
    } else if (j < m && t[i]![j + 1]! >= t[i + 1]![j]!) j++;
    else missing.push(i++);
  }
  return missing;
}

const count = (t: string, re: RegExp) => (t.match(re) ?? []).length;

/** Compare `imported` (a case huibian import wrote) with `source` (the sample case). */
export function compareCase(source: string, imported: string): Comparison {
  const s = split(source);
  const g = split(imported);
  const frontWrong: string[] = [];
  const measures = ([] as unknown[]).concat(s.front.measure ?? []).map(String);
  const want: [string, string][] = [
    ['title', String(s.front.title)],
    ['unit', String(s.front.unit)],
    ['sector', sectorKey[String(s.front.sector)] ?? String(s.front.sector)],
    ['measure', measures.join(',')],
    ['mechanism', String(s.front.mechanism)],
  ];
  for (const [key, value] of want) {
    const got = key === 'measure' ? ([] as unknown[]).concat(g.front.measure ?? []).map(String).join(',') : String(g.front[key]);
    if (got !== value) frontWrong.push(`${key}: “${got}”，应为“${value}”`);
  }
  const sb = blocks(s.body);
  const gb = blocks(g.body);
  const wrong: string[] = [];
  const headingsMissing = unmatched(sb.headings, gb.headings);
  for (const i of headingsMissing) wrong.push(`标题 ${sb.headings[i]}`);
  // What was imported and is in no source line (a 目录 line, a heading made of a paragraph) counts as wrong too.
  const headingsExtra = unmatched(gb.headings, sb.headings);
  for (const i of headingsExtra) wrong.push(`多出的标题 ${gb.headings[i]}`);
  const paragraphsExtra = unmatched(gb.paragraphs, sb.paragraphs);
  for (const i of paragraphsExtra) wrong.push(`多出的段落 “${gb.paragraphs[i]}”`);
  const paragraphsMissing = unmatched(sb.paragraphs, gb.paragraphs);
  for (const i of paragraphsMissing) {
    const near = gb.paragraphs.find((p) => p.slice(2, 10) === sb.paragraphs[i]!.slice(2, 10) || p.includes(sb.paragraphs[i]!.slice(3, 12)));
    wrong.push(`段落 “${sb.paragraphs[i]}” ≠ “${near ?? '（无）'}”`);
  }
  const tables = count(s.body, /^\|(-+\|)+$/gm);
  const images = count(s.body, /^!\[/gm);
  const footnotes = count(s.body, /^\[\^\w+\]: /gm);
  return {
    counts: {
      front: want.length,
      frontRight: want.length - frontWrong.length,
      headings: sb.headings.length + headingsExtra.length,
      headingsRight: sb.headings.length - headingsMissing.length,
      paragraphs: sb.paragraphs.length + paragraphsExtra.length,
      paragraphsRight: sb.paragraphs.length - paragraphsMissing.length,
      tables,
      tablesKept: Math.min(tables, count(g.body, /^\|( ?-+ ?\|)+$/gm)),
      images,
      imagesKept: Math.min(images, count(g.body, /^!\[[^\]]*\]\(images\/[^)]+\.(png|jpe?g)\)$/gm)),
      footnotes,
      footnotesKept: Math.min(footnotes, count(g.body, /^\[\^\w+\]: \S/gm)),
    },
    frontWrong,
    wrong,
  };
}
