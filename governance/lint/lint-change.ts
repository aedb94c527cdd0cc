/**
 * Runs the governance lint rules on a subgraph change. Like Apollo's linter, only violations the
 * change introduces count: a violation already present in the old SDL is not reported.
 */
import type { DocumentNode } from 'graphql';
import type { SchemaChange } from '../changes/types';
import { federationNamesOf } from '../federation/federation-names';
import { indexSdl } from '../sdl/sdl-index';
import type { SdlIndex } from '../sdl/sdl-index';
import { parseSdl } from '../sdl/parse-sdl';
import { CharterError } from '../../core/errors';
import { lintConfigSchema } from './config';
import type { LintConfig, LintConfigInput, LintRuleName } from './config';
import { LINT_RULES } from './rules';
import type { LintFinding, SubgraphInfo } from './types';

export interface LintChangeInput {
  /** The subgraph's SDL before the change; absent for a new subgraph. */
  oldSdl?: string | DocumentNode | SdlIndex;
  newSdl: string | DocumentNode | SdlIndex;
  subgraph: SubgraphInfo;
  /** Parsed config, or raw input that is validated (defaults filled in). */
  config?: LintConfig | LintConfigInput;
  /** The API-schema changes, when known (see deprecate-before-delete). */
  apiChanges?: SchemaChange[];
}

/** Lints a change. Throws CharterError(INVALID_SCHEMA) when a string SDL does not parse. */
export function lintChange(input: LintChangeInput): LintFinding[] {
  const config = lintConfigSchema.parse(input.config ?? {});
  const next = toIndex(input.newSdl, 'new');
  const old = input.oldSdl === undefined ? undefined : toIndex(input.oldSdl, 'old');
  const names = federationNamesOf(next);
  const oldNames = old && federationNamesOf(old);
  const findings: LintFinding[] = [];

  for (const rule of LINT_RULES) {
    const severity = config.rules[rule.name as LintRuleName];
    if (!severity || severity === 'off') continue;
    const ctx = { schema: next, names, config, subgraph: input.subgraph };
    let violations;
    if (rule.kind === 'change') {
      violations = rule.check({ ...ctx, old, oldNames, apiChanges: input.apiChanges });
    } else {
      violations = rule.check(ctx);
      if (old && violations.length > 0) {
        // Same rule, same coordinate in the old schema: the change did not introduce it.
        const before = new Set(rule.check({ ...ctx, schema: old, names: oldNames! }).map((v) => v.coordinate));
        violations = violations.filter((v) => !before.has(v.coordinate));
      }
    }
    for (const v of violations) findings.push({ rule: rule.name, severity, coordinate: v.coordinate, message: v.message, fix: v.fix });
  }
  return findings;
}

function toIndex(sdl: string | DocumentNode | SdlIndex, side: string): SdlIndex {
  if (typeof sdl !== 'string') return 'types' in sdl ? sdl : indexSdl(sdl);
  const parsed = parseSdl(sdl, side);
  if (!parsed.ok) throw new CharterError('INVALID_SCHEMA', parsed.problem.message, { ...parsed.problem });
  return indexSdl(parsed.document);
}
