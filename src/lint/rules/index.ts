/** Every lint rule, in documentation order. A new rule is a file in this folder and a line here. */
import type { Rule } from '../rule.js';
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
