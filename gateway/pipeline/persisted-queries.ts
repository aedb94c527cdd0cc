/**
 * Automatic persisted queries (Apollo's protocol: `extensions.persistedQuery.sha256Hash`, the text
 * sent once and then only its hash) and trusted documents (a tenant whose plan says so may run only
 * operations whose hash is registered).
 *
 * Each tenant has its own namespace (no tenant can learn whether another registered a hash), an
 * operation is stored only once it has parsed, validated and passed the plan's limits, and the
 * store is bounded in bytes: an entry larger than `maxEntryBytes` is never kept, and the memory
 * store evicts the least recently used beyond `maxBytes` (Redis entries expire after a TTL).
 */
import crypto from 'node:crypto';
import type Redis from 'ioredis';
import { CharterError } from '../../core/errors';
import type { GraphQLParams } from './request-params';

export interface PersistedQueryStore {
  get(tenant: string, hash: string): Promise<string | null>;
  set(tenant: string, hash: string, query: string): Promise<void>;
}

export interface PersistedQueryBudget {
  /** Largest operation kept (bytes of text); default 64 KiB. */
  maxEntryBytes?: number;
  /** Memory store only: total bytes of text kept; default 16 MiB. */
  maxBytes?: number;
  maxEntries?: number;
}

const DEFAULT_MAX_ENTRY_BYTES = 64 * 1024;

// The namespace separator cannot occur in a tenant id or a hex digest.
const keyOf = (tenant: string, hash: string): string => `${tenant}\u0000${hash}`;

export function memoryPersistedQueries(budget: PersistedQueryBudget = {}): PersistedQueryStore {
  const entries = new Map<string, string>();
  let bytes = 0;
  const maxEntryBytes = budget.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  const maxBytes = budget.maxBytes ?? 16 * 1024 * 1024;
  const maxEntries = budget.maxEntries ?? 10_000;
  return {
    get: async (tenant, hash) => {
      const key = keyOf(tenant, hash);
      const query = entries.get(key);
      if (query === undefined) return null;
      entries.delete(key);
      entries.set(key, query);
      return query;
    },
    set: async (tenant, hash, query) => {
      const key = keyOf(tenant, hash);
      const size = Buffer.byteLength(query);
      if (size > maxEntryBytes || entries.has(key)) return;
      entries.set(key, query);
      bytes += size;
      while (entries.size > maxEntries || bytes > maxBytes) {
        const [oldest, text] = entries.entries().next().value!;
        entries.delete(oldest);
        bytes -= Buffer.byteLength(text);
      }
    },
  };
}

export function redisPersistedQueries(redis: Redis, prefix = 'charter:apq:', ttlSec = 7 * 86_400, budget: PersistedQueryBudget = {}): PersistedQueryStore {
  const maxEntryBytes = budget.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
  return {
    get: (tenant, hash) => redis.get(`${prefix}${tenant}:${hash}`).catch(() => null),
    set: async (tenant, hash, query) => {
      if (Buffer.byteLength(query) > maxEntryBytes) return;
      await redis.set(`${prefix}${tenant}:${hash}`, query, 'EX', ttlSec).catch(() => undefined);
    },
  };
}

export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

export type PersistedQueryOutcome = { params: GraphQLParams; register: string | null } | { notFound: true };

/**
 * The operation text to run: the one sent, or the one the tenant's persisted-query hash stands for.
 * `register`: the hash to store once the operation has passed the checks (see `persistedQueryStep`).
 */
export async function resolvePersistedQuery(tenant: string, params: GraphQLParams, store: PersistedQueryStore): Promise<PersistedQueryOutcome> {
  const persisted = (params.extensions?.persistedQuery ?? null) as { version?: number; sha256Hash?: unknown } | null;
  if (!persisted) return { params, register: null };
  if (typeof persisted.sha256Hash !== 'string' || !/^[0-9a-f]{64}$/.test(persisted.sha256Hash)) throw new CharterError('BAD_REQUEST', 'extensions.persistedQuery.sha256Hash must be a SHA-256 hex digest');
  if (params.query) {
    if (sha256Hex(params.query) !== persisted.sha256Hash) throw new CharterError('BAD_REQUEST', 'extensions.persistedQuery.sha256Hash does not match the query');
    return { params, register: persisted.sha256Hash };
  }
  const query = await store.get(tenant, persisted.sha256Hash);
  return query ? { params: { ...params, query }, register: null } : { notFound: true };
}
