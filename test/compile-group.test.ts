// Grouping cases into parts and building the appendix's index, on plain Case values.
import { describe, expect, it } from 'vitest';
import type { Case } from '../src/case/resolve.js';
import { buildCompilation, buildIndex, compareCodePoints } from '../src/compile/group.js';
import { chineseOrdinal } from '../src/compile/ordinal.js';
import type { ResolvedConfig } from '../src/config/load.js';

const sectors = [
  { key: 'agency', label: '机关', aliases: [] },
  { key: 'soe', label: '国有企业', aliases: ['国企'] },
  { key: 'school', label: '中小学校', aliases: [] },
];
const measures = [
  { number: 1, group: '理念', title: '甲' },
  { number: 4, group: '方法', title: '丁' },
  { number: 2, group: '理念', title: '乙' },
  { number: 8, group: '机制', title: '辛' },
];
const mechanisms = [
  { key: 'm-a', name: '机制甲', system: '系统甲', sectors: ['agency'] },
  { key: 'm-b', name: '机制乙', system: '系统乙', sectors: ['soe', 'school'] },
];
const config = { sectors, measures, mechanisms } as unknown as ResolvedConfig;

function kase(id: string, sector: string, extra: Partial<Case> = {}): Case {
  return {
    id,
    title: `标题${id}`,
    unit: '单位',
    sector: sectors.find((s) => s.key === sector)!,
    measures: [measures[0]!],
    mechanism: mechanisms[0]!,
    tags: [],
    draft: false,
    document: undefined as unknown as Case['document'],
    ...extra,
  };
}

describe('buildCompilation', () => {
  it('orders parts by configured sector order and numbers them 一、二… skipping empty sectors', () => {
    const c = buildCompilation([kase('x', 'school'), kase('y', 'agency')], config);
    expect(c.parts.map((p) => [p.id, p.ordinal])).toEqual([
      ['part-agency', '一'],
      ['part-school', '二'],
    ]);
    expect(c.cases.map((k) => k.id)).toEqual(['y', 'x']);
  });

  it('orders cases by order (absent last), then id by code point', () => {
    const cases = [
      kase('b', 'agency'),
      kase('a', 'agency'),
      kase('z', 'agency', { order: 2 }),
      kase('y', 'agency', { order: 1 }),
      kase('B', 'agency'),
      kase('乙', 'agency'),
      kase('甲', 'agency'),
      kase('w', 'agency', { order: -1.5 }),
    ];
    const ids = buildCompilation(cases, config).parts[0]!.cases.map((k) => k.id);
    // By code point, not by locale: B (U+0042) < a < b < 乙 (U+4E59) < 甲 (U+7532).
    expect(ids).toEqual(['w', 'y', 'z', 'B', 'a', 'b', '乙', '甲']);
  });

  it('leaves drafts out unless asked, and a part of drafts only disappears', () => {
    const cases = [kase('a', 'agency'), kase('d', 'soe', { draft: true })];
    expect(buildCompilation(cases, config).parts.map((p) => p.id)).toEqual(['part-agency']);
    const withDrafts = buildCompilation(cases, config, { includeDrafts: true });
    expect(withDrafts.parts.map((p) => p.id)).toEqual(['part-agency', 'part-soe']);
    expect(withDrafts.cases.map((k) => k.id)).toEqual(['a', 'd']);
  });

  it('does not depend on the input order', () => {
    const cases = [kase('c', 'soe'), kase('a', 'agency', { order: 3 }), kase('b', 'agency'), kase('d', 'school')];
    const ids = (list: Case[]) => buildCompilation(list, config).cases.map((k) => k.id);
    expect(ids([...cases].reverse())).toEqual(ids(cases));
  });
});

describe('buildIndex', () => {
  const cases = [
    kase('a', 'agency', { measures: [measures[0]!, measures[1]!] }),
    kase('b', 'soe', { measures: [measures[1]!], mechanism: mechanisms[1]! }),
    kase('c', 'school', { measures: [measures[2]!], mechanism: mechanisms[1]! }),
  ];
  const index = buildIndex(buildCompilation(cases, config));

  it('groups measures by group in order of first appearance, keeping measures without cases', () => {
    expect(index.byMeasure.map((g) => [g.group, g.measures.map((m) => `${m.measure.number}:${m.cases.map((k) => k.id).join('')}`)])).toEqual([
      ['理念', ['1:a', '2:c']],
      ['方法', ['4:ab']],
      ['机制', ['8:']],
    ]);
  });

  it('lists cases by mechanism in book order', () => {
    expect(index.byMechanism.map((m) => [m.mechanism.key, m.cases.map((k) => k.id)])).toEqual([
      ['m-a', ['a']],
      ['m-b', ['b', 'c']],
    ]);
  });

  it('counts sector × measure, a two-measure case in both columns but once in the total', () => {
    expect(index.counts.measures.map((m) => m.number)).toEqual([1, 4, 2, 8]);
    expect(index.counts.rows.map((r) => [r.part.sector.label, r.counts, r.total])).toEqual([
      ['机关', [1, 1, 0, 0], 1],
      ['国有企业', [0, 1, 0, 0], 1],
      ['中小学校', [0, 0, 1, 0], 1],
    ]);
    expect(index.counts.totals).toEqual([1, 2, 1, 0]);
    expect(index.counts.total).toBe(3);
  });
});

describe('chineseOrdinal and compareCodePoints', () => {
  it('writes part numbers as Chinese numerals', () => {
    expect([1, 2, 9, 10, 11, 19, 20, 21, 99].map(chineseOrdinal)).toEqual(['一', '二', '九', '十', '十一', '十九', '二十', '二十一', '九十九']);
  });

  it('compares by code point, astral characters included (not by UTF-16 unit)', () => {
    // U+FF5E (～) is one UTF-16 unit above the surrogates; U+20BB7 is two units starting D842 — code point order puts it last.
    expect(['𠮷', '～', 'a'].sort(compareCodePoints)).toEqual(['a', '～', '𠮷']);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
  });
});
