/** The one wrapper every lint rule goes through: it stamps the rule id, the configured severity and the docs URL. */
import type { ResolvedConfig } from '../config/load.js';
import type { Severity } from '../config/schema.js';
import { report, type Diagnostic, type Fix } from '../diagnostics.js';
import type { CaseDocument } from '../case/parse.js';
import type { Case } from '../case/resolve.js';
import type { Range } from '../source.js';

/** What a rule may say about one place. */
export interface RuleReport {
  /** Where, as offsets into the file's text; absent for the whole file. */
  range?: Range;
  /** A safe automatic fix (rules with `fixable: true` only). */
  fix?: Fix;
  /** Another place that explains this one (e.g. the other file with the same id). */
  cause?: string;
}

/** What a rule sees of one file. */
export interface RuleContext {
  document: CaseDocument;
  /** The resolved case, when its front-matter is valid. */
  case?: Case;
  config: ResolvedConfig;
  report(message: string, where?: RuleReport): void;
}

export interface RuleMeta {
  /** The rule id, kebab-case ASCII, used in `rules:` and in inline switches. */
  id: string;
  /** One line in Chinese: what the rule checks. */
  description: string;
  defaultSeverity: Exclude<Severity, 'off'>;
  /** Whether `--fix` can repair what the rule reports. */
  fixable?: boolean;
  /** Set on rules that read the front-matter; body rules set `body`. Used only for documentation grouping. */
  group: 'encoding' | 'front-matter' | 'body' | 'text' | 'config';
}

/** A rule over one file at a time. */
export interface FileRule extends RuleMeta {
  scope: 'file';
  check(context: RuleContext): void;
}

/** A rule over all files at once (e.g. duplicate ids). */
export interface CompilationRule extends RuleMeta {
  scope: 'compilation';
  check(contexts: readonly RuleContext[]): void;
}

export type Rule = FileRule | CompilationRule;

export function defineRule(meta: RuleMeta, check: (context: RuleContext) => void): FileRule {
  return { ...meta, scope: 'file', check };
}

export function defineCompilationRule(meta: RuleMeta, check: (contexts: readonly RuleContext[]) => void): CompilationRule {
  return { ...meta, scope: 'compilation', check };
}

/** The severity a rule has in this compilation (`rules:` in huibian.yaml, else its default). */
export function severityOf(rule: Pick<RuleMeta, "id" | "defaultSeverity">, config: Pick<ResolvedConfig, 'rules'>): Severity {
  return config.rules[rule.id] ?? rule.defaultSeverity;
}

/**
 * The context for running `rule` on one file: `report` becomes a vfile message with the rule's id and severity.
 * `suppressed` says whether an inline `<!-- huibian-disable … -->` switch silences a message at an offset.
 */
export function contextFor(
  rule: RuleMeta,
  base: Omit<RuleContext, 'report'>,
  suppressed: (ruleId: string, offset: number) => boolean = () => false,
): RuleContext {
  const severity = severityOf(rule, base.config);
  return {
    document: base.document,
    // Read only when a rule asks: for a file checked in a worker, the case is resolved again on first use.
    get case() {
      return base.case;
    },
    config: base.config,
    report(message, where = {}) {
      if (severity === 'off') return;
      if (where.range && suppressed(rule.id, where.range.start)) return;
      const m: Diagnostic = report(base.document.file, base.document.source, message, {
        ruleId: rule.id,
        severity,
        range: where.range,
        fix: rule.fixable ? where.fix : undefined,
        cause: where.cause,
      });
      void m;
    },
  };
}
