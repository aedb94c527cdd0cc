/** Lint configuration: which rules run at which severity, validated with zod. */
import { z } from 'zod';

/** Rule names and their default severities. */
export const DEFAULT_RULE_SEVERITIES = {
  'type-names-pascal-case': 'error',
  'field-names-camel-case': 'error',
  'argument-names-camel-case': 'error',
  'enum-values-upper-case': 'error',
  'input-types-end-with-input': 'error',
  'type-description': 'warn',
  'root-field-description': 'warn',
  'deprecated-has-reason': 'error',
  'deprecate-before-delete': 'error',
  'allowed-tags': 'error',
  'subgraph-owner': 'warn',
} as const satisfies Record<string, 'error' | 'warn' | 'off'>;

export type LintRuleName = keyof typeof DEFAULT_RULE_SEVERITIES;

const severity = z.enum(['error', 'warn', 'off']);

const rulesShape = Object.fromEntries(
  Object.entries(DEFAULT_RULE_SEVERITIES).map(([name, def]) => [name, severity.default(def)]),
) as { [K in LintRuleName]: z.ZodDefault<typeof severity> };

export const lintConfigSchema = z
  .object({
    /** Severity per rule; unknown rule names are rejected so a typo cannot silently disable a rule. */
    rules: z.object(rulesShape).strict().default({}),
    /** `@tag` names allowed by `allowed-tags`; when absent, any tag is allowed. */
    allowedTags: z.array(z.string().min(1)).optional(),
  })
  .strict();

export type LintConfig = z.output<typeof lintConfigSchema>;
export type LintConfigInput = z.input<typeof lintConfigSchema>;

/** The defaults: every rule at its default severity, any tag allowed. */
export function defaultLintConfig(): LintConfig {
  return lintConfigSchema.parse({});
}
