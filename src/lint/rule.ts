/** The one wrapper every lint rule goes through: it stamps the rule id, the configured severity and the docs URL. */
import type { ResolvedConfig } from '../config/load.js';
import type { Severity } from '../config/schema.js';
import { report, type Fix } from '../shared/diagnostics.js';
import type { CaseDocument } from '../case/parse.js';
import type { Case } from '../case/resolve.js';
import type { Range } from '../shared/source.js';

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

/**
 * A rule whose messages the runner makes itself, because no rule could see what it is about: a file that cannot be
 * decoded never becomes a document (encoding), `rules:` of huibian.yaml is checked once per run (unknown-rule). The
 * entry carries the id, severity and documentation; the code that reports names it (see `runnerRules`).
 */
export interface RunnerRule extends RuleMeta {
  scope: 'runner';
}

export type Rule = FileRule | CompilationRule | RunnerRule;

export function defineRule(meta: RuleMeta, check: (context: RuleContext) => void): FileRule {
  return { ...meta, scope: 'file', check };
}

export function defineRunnerRule(meta: RuleMeta): RunnerRule {
  return { ...meta, scope: 'runner' };
}

export function defineCompilationRule(meta: RuleMeta, check: (contexts: readonly RuleContext[]) => void): CompilationRule {
  return { ...meta, scope: 'compilation', check };
}

/** The severity a rule has in this compilation (`rules:` in huibian.yaml, else its default). */
export function severityOf(rule: Pick<RuleMeta, "id" | "defaultSeverity">, config: Pick<ResolvedConfig, 'rules'>): Severity {
  return config.rules[rule.id] ?? rule.defaultSeverity;
}

/** Whether an inline `<!-- huibian-disable … -->` switch silences a message of `ruleId` at `offset`. */
export type Suppressed = (ruleId: string, offset: number) => boolean;

const nothingSuppressed: Suppressed = () => false;

/**
 * The context for running `rule` on one file: `report` becomes a vfile message with the rule's id and severity.
 * `suppressed` says whether an inline `<!-- huibian-disable … -->` switch silences a message at an offset.
 */
export function contextFor(rule: RuleMeta, base: Omit<RuleContext, 'report'>, suppressed: Suppressed = nothingSuppressed): RuleContext {
  const at = { base, suppressed };
  return ruleContext(rule, severityOf(rule, base.config), () => at);
}

/**
 * The file rules on in `config`, run over one file after another with one context per rule made once, each pointed at
 * the file being checked: lint's loop runs ~30 rules on each of thousands of files, and a context made per rule and
 * file (an object with a getter and a closure) was ~0.9 KB of garbage each time.
 */
export class FileRuleRunner {
  private current: { base: Omit<RuleContext, 'report'>; suppressed: Suppressed } | undefined;
  private readonly contexts: RuleContext[];

  constructor(
    private readonly rules: readonly FileRule[],
    config: Pick<ResolvedConfig, 'rules'>,
  ) {
    const current = () => {
      if (!this.current) throw new Error('a rule context was used after its check returned');
      return this.current;
    };
    this.contexts = rules.map((rule) => ruleContext(rule, severityOf(rule, config), current));
  }

  /** Run every rule on one file. */
  run(base: Omit<RuleContext, 'report'>, suppressed: Suppressed = nothingSuppressed): void {
    this.current = { base, suppressed };
    try {
      for (let i = 0; i < this.rules.length; i++) this.rules[i]!.check(this.contexts[i]!);
    } finally {
      this.current = undefined;
    }
  }
}

/** A rule's context over whatever file `current` gives. */
function ruleContext(
  rule: RuleMeta,
  severity: Severity,
  current: () => { base: Omit<RuleContext, 'report'>; suppressed: Suppressed },
): RuleContext {
  return {
    get document() {
      return current().base.document;
    },
    // Read only when a rule asks: for a file checked in a worker, the case is resolved again on first use.
    get case() {
      return current().base.case;
    },
    get config() {
      return current().base.config;
    },
    report(message, where = {}) {
      if (severity === 'off') return;
      const { base, suppressed } = current();
      if (where.range && suppressed(rule.id, where.range.start)) return;
      report(base.document.file, base.document.source, message, {
        ruleId: rule.id,
        severity,
        range: where.range,
        fix: rule.fixable ? where.fix : undefined,
        cause: where.cause,
      });
    },
  };
}
