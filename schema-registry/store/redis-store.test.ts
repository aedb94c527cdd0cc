/** The Redis store meets the RegistryStore contract on a real Redis, one fresh key prefix per test. */
import Redis from 'ioredis';
import { describeWithRedis, useRedisPerTest } from '../../test/support/redis';
import { RedisRegistryStore } from './redis-store';
import { draftOf, runRegistryStoreContract } from './registry-store.contract';

describeWithRedis('RedisRegistryStore', () => {
  const redis = useRedisPerTest('t');

  describe('contract', () => {
    runRegistryStoreContract({
      open: async () => new RedisRegistryStore(redis.url, { prefix: redis.prefix }),
      reopen: async () => new RedisRegistryStore(redis.url, { prefix: redis.prefix }),
    });
  });

  test('a refused append leaves no version, summary or head behind', async () => {
    const store = new RedisRegistryStore(redis.url, { prefix: redis.prefix });
    await store.append('prod', null, draftOf('a'));
    expect(await store.append('prod', 0, draftOf('b'))).toEqual({ ok: false, reason: 'CONFLICT', headId: 1 });
    const raw = new Redis(redis.url);
    expect(await raw.hkeys(`${redis.prefix}variant:prod:versions`)).toEqual(['1']);
    expect(await raw.hkeys(`${redis.prefix}variant:prod:summaries`)).toEqual(['1']);
    expect(await raw.get(`${redis.prefix}variant:prod:head`)).toBe('1');
    raw.disconnect();
    await store.close();
  });

  test('two stores (two registry replicas) racing on one variant: one wins, the other gets a retryable CONFLICT', async () => {
    const a = new RedisRegistryStore(redis.url, { prefix: redis.prefix });
    const b = new RedisRegistryStore(redis.url, { prefix: redis.prefix });
    const results = await Promise.all([a.append('prod', null, draftOf('a')), b.append('prod', null, draftOf('b'))]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'CONFLICT', headId: 1 }]);
    await Promise.all([a.close(), b.close()]);
  });
});
