/** The Redis console store meets the ConsoleStore contract on a real Redis, one fresh key prefix per test. */
import Redis from 'ioredis';
import { describeWithRedis, useRedisPerTest } from '../../test/support/redis';
import { RedisConsoleStore } from './redis-console-store';
import { requestOf, runConsoleStoreContract } from './console-store.contract';

describeWithRedis('RedisConsoleStore', () => {
  const redis = useRedisPerTest('c');

  describe('contract', () => {
    runConsoleStoreContract({
      open: async () => new RedisConsoleStore(redis.url, { prefix: redis.prefix }),
      reopen: async () => new RedisConsoleStore(redis.url, { prefix: redis.prefix }),
    });
  });

  test('two stores (two registry replicas) racing on one record: one wins, the other gets a CONFLICT', async () => {
    const a = new RedisConsoleStore(redis.url, { prefix: redis.prefix });
    const b = new RedisConsoleStore(redis.url, { prefix: redis.prefix });
    const results = await Promise.all([a.put('requests', 'r1', requestOf('r1'), null), b.put('requests', 'r1', requestOf('r1', { reason: 'other' }), null)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'CONFLICT', rev: 1 }]);
    const raw = new Redis(redis.url);
    expect(await raw.hkeys(`${redis.prefix}console:requests`)).toEqual(['r1']);
    raw.disconnect();
    await Promise.all([a.close(), b.close()]);
  });
});
