/**
 * Every message id huibian reports, in one place: the lint rules in documentation order (a new rule is a file in this
 * folder and a line here), then the two kinds of message no rule makes and no setting switches off.
 */
import type { Rule, RuleMeta } from '../rule.js';
import fieldRequired from './field-required.js';
import fieldType from './field-type.js';
import frontmatterMissing from './frontmatter-missing.js';
import unknownField from './unknown-field.js';
import yamlSyntax from './yaml-syntax.js';
import encoding from './encoding.js';
import unknownSector from './unknown-sector.js';
import unknownMeasure from './unknown-measure.js';
import unknownMechanism from './unknown-mechanism.js';
import mechanismSector from './mechanism-sector.js';
import dateFormat from './date-format.js';
import duplicateId from './duplicate-id.js';
import bodyEmpty from './body-empty.js';
import bodyLimits from './body-limits.js';
import imagePath from './image-path.js';
import linkPath from './link-path.js';
import sectionMissing from './section-missing.js';
import bodyLength from './body-length.js';
import unknownRule from './unknown-rule.js';
import textPunctuationWidth from './text-punctuation-width.js';
import textQuotes from './text-quotes.js';
import textEllipsisDash from './text-ellipsis-dash.js';
import textFullwidthAlnum from './text-fullwidth-alnum.js';
import textSpacing from './text-spacing.js';
import textScript from './text-script.js';
import textPinyin from './text-pinyin.js';
import textMojibake from './text-mojibake.js';
import textInvisible from './text-invisible.js';
import textPunctuationSpace from './text-punctuation-space.js';
import textStraySpace from './text-stray-space.js';
import textQuoteStyle from './text-quote-style.js';
import textEnglishPunctuation from './text-english-punctuation.js';

export const rules: readonly Rule[] = [
  encoding,
  frontmatterMissing,
  yamlSyntax,
  fieldRequired,
  fieldType,
  unknownField,
  unknownSector,
  unknownMeasure,
  unknownMechanism,
  mechanismSector,
  dateFormat,
  duplicateId,
  bodyEmpty,
  bodyLimits,
  imagePath,
  linkPath,
  sectionMissing,
  bodyLength,
  unknownRule,
  textMojibake,
  textInvisible,
  textScript,
  textPinyin,
  textPunctuationWidth,
  textQuotes,
  textQuoteStyle,
  textEnglishPunctuation,
  textPunctuationSpace,
  textStraySpace,
  textEllipsisDash,
  textFullwidthAlnum,
  textSpacing,
];

/** Messages from outside the rules: a broken huibian.yaml (config/load.ts), a case file that cannot be read (lint/run.ts). */
export const fixedMessages: readonly Pick<RuleMeta, 'id' | 'description' | 'defaultSeverity'>[] = [
  { id: 'config', description: 'huibian.yaml 应能读取并符合配置格式', defaultSeverity: 'error' },
  { id: 'file-unreadable', description: '案例文件应存在且可以读取', defaultSeverity: 'error' },
];

/** Every id a message can carry, rules first: what a report that lists its rules (SARIF) lists. */
export const messageKinds: readonly Pick<RuleMeta, 'id' | 'description' | 'defaultSeverity'>[] = [...rules, ...fixedMessages];
