/**
 * The gateway's sections of charter.config.yaml (`gateway:` and `auth:`), validated at start by the
 * composition root (cli/config.ts). Per-subgraph settings are checked key by key.
 */
import { z } from 'zod';
import { DEFAULT_OPERATION_LIMITS, operationLimitsSchema } from '../tenancy/plan';
import { AI_SUBGRAPH } from './ai-proxy';
import { jwtConfigSchema } from './auth/jwt';
import { subgraphSettingsSchema } from './resilience/settings-schema';

const port = z.number().int().min(0).max(65535);

export const gatewaySectionSchema = z
  .object({
    port: port.default(4000),
    host: z.string().default('127.0.0.1'),
    maxBodyBytes: z.number().int().positive().default(1_048_576),
    /** Introspection and GraphiQL; off by default in production. */
    introspection: z.boolean().optional(),
    supergraphPollIntervalMs: z.number().int().positive().default(1000),
    variant: z.string().default('prod'),
    /** Shared state for replicas (rate limits, cache, schema updates); memory when absent. */
    redisUrl: z.string().url().optional(),
    rateLimit: z.object({ failOpen: z.boolean().default(true) }).strict().default({}),
    cache: z
      .object({
        enabled: z.boolean().default(true),
        /** TTL for answers whose subgraphs sent no cache hint; 0 caches only hinted answers. */
        defaultTtlSec: z.number().int().min(0).default(0),
        maxTtlSec: z.number().int().positive().default(300),
        maxEntries: z.number().int().positive().default(10_000),
      })
      .strict()
      .default({}),
    /** Share one execution among identical in-flight queries of one permission set. */
    dedupe: z.boolean().default(true),
    /** Limits for every operation, over the defaults (naming one keeps the others); a tenant's plan may change them. */
    limits: operationLimitsSchema.default({}).transform((limits) => ({ ...DEFAULT_OPERATION_LIMITS, ...limits })),
    /**
     * Per-subgraph timeouts, retries, breaker, extra URLs (see gateway/resilience/types.ts), merged
     * key by key over the built-in ones (gateway/subgraph-calls.ts). The AI subgraph's calls are billed:
     * they are never retried, and a config saying otherwise is refused.
     */
    subgraphs: z
      .record(subgraphSettingsSchema)
      .default({})
      .superRefine((subgraphs, ctx) => {
        if (subgraphs[AI_SUBGRAPH]?.noRetry === false) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, path: [AI_SUBGRAPH, 'noRetry'], message: 'the AI subgraph is never retried (its calls are billed); remove this key' });
        }
      }),
    /** Who sees subgraph errors as written (names, REST paths, statuses); others get masked ones. */
    upstreamErrorDetails: z.enum(['admins', 'everyone', 'nobody']).default('admins'),
    /** Field usage reported to the registry (what its usage-based checks read). */
    usageReporting: z.object({ enabled: z.boolean().default(true), flushIntervalMs: z.number().int().positive().default(2000) }).strict().default({}),
    /** insight: one call-log record per request, batched to the registry (at most `maxBatch` records or every `flushIntervalMs`). */
    callLog: z.object({ enabled: z.boolean().default(true), maxBatch: z.number().int().min(1).max(5000).default(500), flushIntervalMs: z.number().int().positive().default(1000) }).strict().default({}),
  })
  .strict()
  .default({});

export const gatewayAuthSectionSchema = z
  .object({ jwt: jwtConfigSchema.optional() })
  .strict()
  .default({});

export type GatewaySection = z.infer<typeof gatewaySectionSchema>;
