/**
 * One call-log record per request (GraphQL and `/v1`): who called what, how it ended and how long
 * it took. Never the variables or the answer. This is the wire format gateways send and the stores
 * keep; `callBatchSchema` validates it on the registry side.
 */
import { z } from 'zod';

export interface SubgraphCall {
  name: string;
  latencyMs: number;
}

export interface CallRecord {
  /** Epoch milliseconds when the request arrived. */
  time: number;
  tenant: string;
  keyId?: string;
  clientName?: string;
  clientVersion?: string;
  operationName?: string;
  /** SHA-256 (hex) of the operation text; never the text's variables. */
  operationHash?: string;
  /** The entrance: `graphql` or `v1`. */
  entrance: 'graphql' | 'v1';
  status: number;
  errorCodes: string[];
  latencyMs: number;
  subgraphs?: SubgraphCall[];
  cacheHit?: boolean;
  /** `allowed` or `limited` (429). */
  rateLimit?: 'allowed' | 'limited';
  aiTokens?: number;
  aiCostUsd?: number;
}

const name = z.string().max(200);
export const callRecordSchema = z
  .object({
    time: z.number().int().nonnegative(),
    tenant: name.min(1),
    keyId: name.optional(),
    clientName: name.optional(),
    clientVersion: z.string().max(100).optional(),
    operationName: name.optional(),
    operationHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest').optional(),
    entrance: z.enum(['graphql', 'v1']),
    status: z.number().int().min(100).max(599),
    errorCodes: z.array(z.string().max(100)).max(50),
    latencyMs: z.number().nonnegative().max(86_400_000),
    subgraphs: z.array(z.object({ name, latencyMs: z.number().nonnegative() }).strict()).max(100).optional(),
    cacheHit: z.boolean().optional(),
    rateLimit: z.enum(['allowed', 'limited']).optional(),
    aiTokens: z.number().int().nonnegative().optional(),
    aiCostUsd: z.number().nonnegative().optional(),
  })
  .strict();

export const MAX_CALL_BATCH = 5_000;
export const callBatchSchema = z.object({ calls: z.array(callRecordSchema, { required_error: 'is required' }).max(MAX_CALL_BATCH, `at most ${MAX_CALL_BATCH} calls per batch`) }).strict();
