/** The Redis tenant store meets the TenantStore contract on a real Redis, one fresh key prefix per test. */
import Redis from 'ioredis';
import { describeWithRedis, useRedisPerTest } from '../../test/support/redis';
import { booksSdl, startTestRegistry } from '../test-support';
import { RedisTenantStore } from './redis-tenant-store';
import { TenantRegistryClient } from '../client/tenant-client';
import { draftOf, runTenantStoreContract } from './tenant-store.contract';

describeWithRedis('RedisTenantStore', () => {
  const redis = useRedisPerTest('t');

  describe('contract', () => {
    runTenantStoreContract({
      open: async () => new RedisTenantStore(redis.url, { prefix: redis.prefix }),
      reopen: async () => new RedisTenantStore(redis.url, { prefix: redis.prefix }),
    });
  });

  test('a refused append leaves no version, record, history entry or head behind', async () => {
    const store = new RedisTenantStore(redis.url, { prefix: redis.prefix });
    await store.append('prod', null, draftOf('acme'));
    expect(await store.append('prod', 0, draftOf('beta'))).toEqual({ ok: false, reason: 'CONFLICT', headId: 1 });
    const raw = new Redis(redis.url);
    expect(await raw.hkeys(`${redis.prefix}tenants:prod:versions`)).toEqual(['1']);
    expect(await raw.hkeys(`${redis.prefix}tenants:prod:current`)).toEqual(['acme']);
    expect(await raw.exists(`${redis.prefix}tenants:prod:history:beta`)).toBe(0);
    expect(await raw.get(`${redis.prefix}tenants:prod:head`)).toBe('1');
    raw.disconnect();
    await store.close();
  });

  test('two stores (two registry replicas) racing on one variant: one wins, the other gets a retryable CONFLICT', async () => {
    const a = new RedisTenantStore(redis.url, { prefix: redis.prefix });
    const b = new RedisTenantStore(redis.url, { prefix: redis.prefix });
    const results = await Promise.all([a.append('prod', null, draftOf('acme')), b.append('prod', null, draftOf('beta'))]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'CONFLICT', headId: 1 }]);
    await Promise.all([a.close(), b.close()]);
  });

  test('a registry with storage "redis" keeps tenants in Redis: a second registry replica sees them', async () => {
    const options = { storage: 'redis' as const, redisUrl: redis.url, redisKeyPrefix: redis.prefix };
    const a = await startTestRegistry(options);
    const b = await startTestRegistry(options);
    try {
      expect((await a.client.publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl() })).status).toBe(201);
      expect((await new TenantRegistryClient(a.registry.url).putTenant('prod', 'acme', { policy: { rules: { 'Book.title': 'allow' } } })).status).toBe(201);
      const seen = await new TenantRegistryClient(b.registry.url).fetchTenants('prod');
      expect(seen!.tenants.map((x) => [x.id, x.version])).toEqual([['acme', 1]]);
      const raw = new Redis(redis.url);
      expect(await raw.get(`${redis.prefix}registry:tenants:prod:head`)).toBe('1');
      raw.disconnect();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
