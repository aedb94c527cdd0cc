/**
 * A tenant's plan: what its traffic may do. Rate limits (per tenant and per key), operation limits
 * (tightening the gateway's defaults), whether its answers may be cached, and whether it may run
 * only registered operations (trusted documents).
 */
import { z } from 'zod';

const positive = z.number().int().positive();

/** Per-plan limits; an absent limit is not enforced. */
export interface OperationLimits {
  /** Deepest field nesting (fragments followed). */
  maxDepth?: number;
  /** Most aliases in one operation. */
  maxAliases?: number;
  /** Most fields selected at the root of one operation. */
  maxRootFields?: number;
  /** Most directives in one operation. */
  maxDirectives?: number;
  /**
   * Highest cost: each field once per value it can produce, lists sized by `first`/`last`/`limit`/
   * `pageSize`/`take` with variables and defaults applied (gateway/traffic/operation-cost.ts).
   */
  maxCost?: number;
  /** The size assumed for a list with no size argument (default 10). */
  defaultListSize?: number;
  /** Most lexical tokens; enforced by the parser, see `operationParseOptions`. */
  maxTokens?: number;
}

/** The gateway's limits when the config names none; a config or plan naming some keeps the rest. */
export const DEFAULT_OPERATION_LIMITS: Readonly<OperationLimits> = Object.freeze({ maxDepth: 15, maxAliases: 30, maxRootFields: 20, maxDirectives: 50, maxCost: 100_000, maxTokens: 10_000 });

/** A rate-limit plan as configured for a tenant. */
export interface RateLimitPlan {
  /** Sustained rate for the whole tenant; absent means no tenant-wide limit. */
  requestsPerMinute?: number;
  /** Largest burst for the tenant; defaults to `requestsPerMinute`. */
  burst?: number;
  /** A tighter limit applied to each API key of the tenant. */
  perKey?: { requestsPerMinute: number; burst?: number };
}

export const operationLimitsSchema = z
  .object({
    maxDepth: positive.optional(),
    maxAliases: z.number().int().min(0).optional(),
    maxRootFields: positive.optional(),
    maxDirectives: z.number().int().min(0).optional(),
    maxCost: positive.optional(),
    defaultListSize: positive.optional(),
    maxTokens: positive.optional(),
  })
  .strict();

export const planSchema = z
  .object({
    rateLimit: z
      .object({
        requestsPerMinute: positive.optional(),
        burst: positive.optional(),
        perKey: z.object({ requestsPerMinute: positive, burst: positive.optional() }).strict().optional(),
      })
      .strict()
      .optional(),
    limits: operationLimitsSchema.optional(),
    cache: z.object({ enabled: z.boolean().default(true) }).strict().optional(),
    /** Only operations registered in the trusted-documents list may run. */
    trustedDocuments: z.boolean().optional(),
    /** AI budgets, read by the AI subgraph. */
    ai: z.record(z.unknown()).optional(),
  })
  .strict();

export type Plan = z.infer<typeof planSchema>;

export interface ResolvedPlan {
  rateLimit: RateLimitPlan;
  limits: OperationLimits;
  /** Identity of `limits`, for caches keyed by them. */
  limitsKey: string;
  cacheEnabled: boolean;
  trustedDocuments: boolean;
}

/** A plan over the gateway's defaults: a plan may tighten or loosen each limit it names. */
export function resolvePlan(plan: Plan | undefined, defaults: OperationLimits): ResolvedPlan {
  const limits = { ...defaults, ...(plan?.limits ?? {}) };
  return {
    rateLimit: plan?.rateLimit ?? {},
    limits,
    limitsKey: JSON.stringify(limits),
    cacheEnabled: plan?.cache?.enabled ?? true,
    trustedDocuments: plan?.trustedDocuments ?? false,
  };
}
