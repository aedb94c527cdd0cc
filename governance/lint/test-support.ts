/** Test helper: lints a change with only one rule switched on. */
import type { SchemaChange } from '../changes/types';
import { DEFAULT_RULE_SEVERITIES } from './config';
import type { LintRuleName } from './config';
import { lintChange } from './lint-change';
import type { LintFinding } from './types';

export function lintWithOnly(
  rule: LintRuleName,
  input: { oldSdl?: string; newSdl: string; owner?: string; allowedTags?: string[]; apiChanges?: SchemaChange[] },
): LintFinding[] {
  const rules = Object.fromEntries(Object.keys(DEFAULT_RULE_SEVERITIES).map((name) => [name, name === rule ? 'error' : 'off']));
  return lintChange({
    oldSdl: input.oldSdl,
    newSdl: input.newSdl,
    subgraph: { name: 'accounts', owner: input.owner },
    config: { rules, allowedTags: input.allowedTags },
    apiChanges: input.apiChanges,
  });
}
