import Redis from 'ioredis';
import { describeWithRedis, startRedis, type TestRedis } from '../../../test/support/redis';
import { freePort } from '../../../test/support/ports';
import { createResponseCache } from './response-cache';
import { runResponseCacheContract } from './response-cache-store.contract';

describeWithRedis('Redis response cache', () => {
  let server: TestRedis;
  let redis: Redis;
  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  describe('contract', () => {
    let n = 0;
    runResponseCacheContract(async () => createResponseCache({ redis, prefix: `rc-contract:${process.pid}:${++n}:`, redisTimeoutMs: 5000 }));
  });

  it('round-trips an entry between two caches (two replicas) and sets the Redis TTL', async () => {
    const other = new Redis(server.url);
    try {
      const prefix = `rc:${process.pid}:`;
      const writer = createResponseCache({ redis, prefix, redisTimeoutMs: 5000 });
      const reader = createResponseCache({ redis: other, prefix, redisTimeoutMs: 5000 });
      const stored = { body: '{"data":{"product":{"id":"1","name":"Lamp ✓"}}}', storedAt: 1_700_000_000_000, ttlSec: 30, headers: { 'x-charter-cache': 'hit' } };
      await writer.set('abc', stored, 30);
      expect(await reader.get('abc')).toEqual(stored);
      const ttl = await redis.ttl(`${prefix}abc`);
      expect(ttl).toBeGreaterThan(25);
      expect(ttl).toBeLessThanOrEqual(30);
      expect(await reader.get('missing')).toBeNull();
    } finally {
      other.disconnect();
    }
  });

  it('expires entries in Redis', async () => {
    const cache = createResponseCache({ redis, prefix: `rc-exp:${process.pid}:`, redisTimeoutMs: 5000 });
    await cache.set('k', { body: '{}', storedAt: Date.now(), ttlSec: 1 }, 1);
    expect(await cache.get('k')).not.toBeNull();
    await new Promise((r) => setTimeout(r, 1100));
    expect(await cache.get('k')).toBeNull();
  });

  it('turns an unreachable Redis into misses and reports each failure', async () => {
    const dead = new Redis(`redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: 1, retryStrategy: () => 50, disconnectTimeout: 10 });
    dead.on('error', () => undefined);
    try {
      const errors: unknown[] = [];
      const cache = createResponseCache({ redis: dead, redisTimeoutMs: 50, onRedisError: (e) => errors.push(e) });
      await cache.set('k', { body: '{}', storedAt: 0, ttlSec: 10 }, 10);
      expect(await cache.get('k')).toBeNull();
      expect(errors).toHaveLength(2);
    } finally {
      dead.disconnect();
    }
  });
});
