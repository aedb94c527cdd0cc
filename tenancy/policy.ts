/**
 * A tenant's field policy as data: which `Type.field` coordinates a principal may select.
 * The registry stores and versions this document; `compile.ts` turns it into graphql-shield rules.
 */
import { z } from 'zod';

/**
 * One rule over a principal. Rules never look at parent data or arguments (object-level checks run
 * in the subgraphs), which is what lets the gateway decide before planning and memoise decisions.
 */
export type Rule =
  | 'allow'
  | 'deny'
  | { role: string }
  | { scope: string }
  | { and: Rule[] }
  | { or: Rule[] }
  | { not: Rule };

/** Who is asking. Only `roles` and `scopes` affect a decision; tenant and subject are for logs. */
export interface PolicyPrincipal {
  tenant?: string;
  subject?: string;
  roles: readonly string[];
  scopes: readonly string[];
}

export const ruleSchema: z.ZodType<Rule> = z.lazy(() =>
  z.union([
    z.literal('allow'),
    z.literal('deny'),
    z.object({ role: z.string().min(1) }).strict(),
    z.object({ scope: z.string().min(1) }).strict(),
    // Empty and/or lists are rejected: "all of nothing" and "any of nothing" read as mistakes.
    z.object({ and: z.array(ruleSchema).min(1) }).strict(),
    z.object({ or: z.array(ruleSchema).min(1) }).strict(),
    z.object({ not: ruleSchema }).strict(),
  ]),
);

/** `Type.field` or `Type.*`. Whether the coordinate exists is checked by `compilePolicy`. */
export const COORDINATE_PATTERN = /^[_A-Za-z][_0-9A-Za-z]*\.([_A-Za-z][_0-9A-Za-z]*|\*)$/;

export const policySchema = z
  .object({
    /** Identifies this policy in cache keys and reports; the registry sets it on publish. */
    version: z.string().min(1).optional(),
    /** `filter`: remove denied fields and answer the rest; `reject`: refuse the whole operation. */
    mode: z.enum(['filter', 'reject']).default('filter'),
    /** The rule for every coordinate the `rules` map does not name. Deny unless said otherwise. */
    fallback: ruleSchema.default('deny'),
    rules: z.record(
      z.string().regex(COORDINATE_PATTERN, 'a rule key must be "Type.field" or "Type.*"'),
      ruleSchema,
    ).default({}),
  })
  .strict();

export type Policy = z.output<typeof policySchema>;
/** What an author writes: `mode`, `fallback` and `rules` may be left out. */
export type PolicyInput = z.input<typeof policySchema>;

/** Parses an untrusted policy document; each error names the bad key (e.g. `rules["User.email"]`). */
export function parsePolicy(input: unknown): { status: 'valid'; policy: Policy } | { status: 'invalid'; errors: string[] } {
  const parsed = policySchema.safeParse(input);
  if (parsed.success) return { status: 'valid', policy: parsed.data };
  return {
    status: 'invalid',
    errors: parsed.error.issues.map((issue) => `${formatPath(issue.path) || '(policy)'}: ${issue.message}`),
  };
}

/** `rules["User.email"].and[0]`: coordinates hold dots, so they are quoted. */
function formatPath(path: ReadonlyArray<string | number>): string {
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[_A-Za-z][_0-9A-Za-z]*$/.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}
