/** Every lint rule, in documentation order. A new rule is a file in this folder and a line here. */
import type { Rule } from '../rule.js';
import fieldRequired from './field-required.js';
import fieldType from './field-type.js';
import frontmatterMissing from './frontmatter-missing.js';
import unknownField from './unknown-field.js';
import yamlSyntax from './yaml-syntax.js';

export const rules: readonly Rule[] = [frontmatterMissing, yamlSyntax, fieldRequired, fieldType, unknownField];
