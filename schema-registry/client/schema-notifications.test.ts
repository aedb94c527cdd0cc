/** With Redis configured, each new version is announced on `charter:supergraph:<variant>` to every subscriber of that variant. */
import { describeWithRedis, startRedis, type TestRedis } from '../../test/support/redis';
import { subscribeToSupergraphUpdates, type SupergraphUpdate } from './schema-notifications';
import { booksSdl, startTestRegistry } from '../test-support';

describeWithRedis('supergraph notifications over Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());

  test('a publish reaches subscribers of its variant only', async () => {
    const t = await startTestRegistry({ redisUrl: redis.url });
    const prod: SupergraphUpdate[] = [];
    const dev: SupergraphUpdate[] = [];
    const subs = await Promise.all([subscribeToSupergraphUpdates(redis.url, 'prod', (u) => prod.push(u)), subscribeToSupergraphUpdates(redis.url, 'dev', (u) => dev.push(u))]);
    try {
      expect((await t.client.publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl() })).status).toBe(201);
      const deadline = Date.now() + 2000;
      while (prod.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(prod).toEqual([{ variant: 'prod', id: 1, etag: '"prod:1"', createdAt: expect.any(String) }]);
      expect(dev).toEqual([]);
      // Usage went to Redis too, since the registry was given a Redis URL.
      await t.client.reportUsage([{ coordinate: 'Book.title', count: 2 }]);
      expect((await t.registry.usage.lookup(['Book.title'], 7)).get('Book.title')!.count).toBe(2);
    } finally {
      await Promise.all(subs.map((s) => s.close()));
      await t.close();
    }
  });
});
