/** A rule id in `rules:` of huibian.yaml that no rule has is probably a typo; the nearest rule id is suggested. */
import { VFile } from 'vfile';
import type { ResolvedConfig } from '../../config/load.js';
import { report } from '../../shared/diagnostics.js';
import { closest } from '../../shared/suggest.js';
import { parseYaml } from '../../shared/yaml-parse.js';
import { yamlRange } from '../../shared/yaml-position.js';
import { defineRunnerRule, severityOf } from '../rule.js';

const rule = defineRunnerRule(
  {
    id: 'unknown-rule',
    group: 'config',
    defaultSeverity: 'warn',
    description: 'huibian.yaml 的 rules 中不应有不存在的规则 id（多为拼写错误）',
  },
);
// Checked once per run on huibian.yaml by checkRuleIds below, not on each case.
export default rule;

/** Messages on huibian.yaml for ids in `rules:` that are not among `known`; undefined when there are none. */
export function checkRuleIds(config: ResolvedConfig, known: readonly string[], cwd: string): VFile | undefined {
  const unknown = Object.keys(config.rules).filter((id) => !known.includes(id));
  const severity = severityOf(rule, config);
  if (unknown.length === 0 || severity === 'off') return undefined;
  const file = new VFile({ path: config.configPath, cwd, value: config.source.text });
  const parsed = parseYaml(config.source.text);
  for (const id of unknown) {
    const suggestion = closest(id, known);
    report(file, config.source, `未知的规则“${id}”${suggestion ? `，是不是“${suggestion}”？` : '；'}全部规则见 docs/rules.md`, {
      ruleId: rule.id,
      severity,
      range: parsed.ok ? yamlRange(parsed.doc, ['rules', id], { key: true }) : undefined,
    });
  }
  return file;
}
