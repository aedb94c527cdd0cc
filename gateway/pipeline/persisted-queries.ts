/**
 * Automatic persisted queries (Apollo's protocol: `extensions.persistedQuery.sha256Hash`, the text
 * sent once and then only its hash) and trusted documents (a tenant whose plan says so may run only
 * operations whose hash is registered).
 */
import crypto from 'node:crypto';
import type Redis from 'ioredis';
import { CharterError } from '../../core/errors';
import type { GraphQLParams } from './request-params';

export interface PersistedQueryStore {
  get(hash: string): Promise<string | null>;
  set(hash: string, query: string): Promise<void>;
}

export function memoryPersistedQueries(maxEntries = 10_000): PersistedQueryStore {
  const entries = new Map<string, string>();
  return {
    get: async (hash) => entries.get(hash) ?? null,
    set: async (hash, query) => {
      entries.set(hash, query);
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
    },
  };
}

export function redisPersistedQueries(redis: Redis, prefix = 'charter:apq:', ttlSec = 7 * 86_400): PersistedQueryStore {
  return {
    get: (hash) => redis.get(prefix + hash).catch(() => null),
    set: async (hash, query) => {
      await redis.set(prefix + hash, query, 'EX', ttlSec).catch(() => undefined);
    },
  };
}

export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** The operation text to run: the one sent, or the one a persisted-query hash stands for. */
export async function resolvePersistedQuery(params: GraphQLParams, store: PersistedQueryStore): Promise<GraphQLParams | { notFound: true }> {
  const persisted = (params.extensions?.persistedQuery ?? null) as { version?: number; sha256Hash?: unknown } | null;
  if (!persisted) return params;
  if (typeof persisted.sha256Hash !== 'string' || !/^[0-9a-f]{64}$/.test(persisted.sha256Hash)) throw new CharterError('BAD_REQUEST', 'extensions.persistedQuery.sha256Hash must be a SHA-256 hex digest');
  if (params.query) {
    if (sha256Hex(params.query) !== persisted.sha256Hash) throw new CharterError('BAD_REQUEST', 'extensions.persistedQuery.sha256Hash does not match the query');
    await store.set(persisted.sha256Hash, params.query);
    return params;
  }
  const query = await store.get(persisted.sha256Hash);
  return query ? { ...params, query } : { notFound: true };
}
