export { lintChange } from './lint-change';
export type { LintChangeInput } from './lint-change';
export { DEFAULT_RULE_SEVERITIES, defaultLintConfig, lintConfigSchema } from './config';
export type { LintConfig, LintConfigInput, LintRuleName } from './config';
export { LINT_RULES } from './rules';
export type { LintFinding, LintRule, LintSeverity, SubgraphInfo } from './types';
