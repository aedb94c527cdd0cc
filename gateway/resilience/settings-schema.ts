/**
 * Per-subgraph settings as configured (`gateway.subgraphs.<name>` in charter.config.yaml), checked at
 * start so a misspelt key (`timeoutMS`) or a negative timeout is named instead of silently ignored.
 */
import { z } from 'zod';
import type { SubgraphSettings } from './types';

const positiveInt = z.number().int().positive();
const nonNegativeInt = z.number().int().min(0);

export const subgraphSettingsSchema = z
  .object({
    urls: z.array(z.string().url()).min(1).optional(),
    timeoutMs: positiveInt.optional(),
    retries: nonNegativeInt.optional(),
    noRetry: z.boolean().optional(),
    maxResponseBytes: positiveInt.optional(),
    retryBaseDelayMs: nonNegativeInt.optional(),
    retryMaxDelayMs: nonNegativeInt.optional(),
    breakerFailureThreshold: positiveInt.optional(),
    breakerFailureRatio: z.number().gt(0).max(1).optional(),
    breakerWindowSize: positiveInt.optional(),
    breakerCooldownMs: nonNegativeInt.optional(),
    healthIntervalMs: nonNegativeInt.optional(),
    healthPath: z.string().startsWith('/').optional(),
    healthTimeoutMs: positiveInt.optional(),
    connections: positiveInt.optional(),
  })
  .strict() satisfies z.ZodType<SubgraphSettings>;
