/**
 * The response cache: memory (LRU, bounded) or Redis (shared by all replicas). A Redis that fails
 * or is slow turns into cache misses and skipped writes, never into failed requests.
 */
import { withTimeout } from '../../../core/async';
import type Redis from 'ioredis';
import type { CachedResponse } from './cached-response';
import { createMemoryCacheStore } from './memory-store';

export type { CachedResponse };


export interface ResponseCacheOptions {
  /** Shared store for all replicas; without it entries live in this process. */
  redis?: Redis;
  /** Prefix of every Redis key, e.g. `charter:rc:`. */
  prefix?: string;
  /** Most entries kept in memory; default 10 000. */
  maxEntries?: number;
  /** Most body bytes kept in memory; default 64 MiB. */
  maxBytes?: number;
  /** How long a Redis read or write may take before it counts as a failure; default 100 ms. */
  redisTimeoutMs?: number;
  /** Called on every Redis failure, for a metric and a log line. */
  onRedisError?: (err: unknown) => void;
}

export interface ResponseCache {
  get(key: string): Promise<CachedResponse | null>;
  set(key: string, entry: CachedResponse, ttlSec: number): Promise<void>;
}

export function createResponseCache(options: ResponseCacheOptions = {}): ResponseCache {
  const { redis } = options;
  if (!redis) {
    const memory = createMemoryCacheStore(options.maxEntries ?? 10_000, options.maxBytes ?? 64 * 1024 * 1024);
    return {
      get: async (key) => memory.get(key),
      set: async (key, entry, ttlSec) => memory.set(key, entry, ttlSec),
    };
  }
  const prefix = options.prefix ?? 'charter:rc:';
  const timeoutMs = options.redisTimeoutMs ?? 100;
  return {
    async get(key) {
      try {
        const text = await withTimeout(redis.get(prefix + key), timeoutMs, 'Redis');
        return text === null ? null : (JSON.parse(text) as CachedResponse);
      } catch (err) {
        options.onRedisError?.(err);
        return null;
      }
    },
    async set(key, entry, ttlSec) {
      if (ttlSec <= 0) return;
      try {
        // Redis expires the entry itself; the TTL travels along for the `Cache-Control` header.
        await withTimeout(redis.set(prefix + key, JSON.stringify(entry), 'EX', ttlSec), timeoutMs, 'Redis');
      } catch (err) {
        options.onRedisError?.(err);
      }
    },
  };
}
