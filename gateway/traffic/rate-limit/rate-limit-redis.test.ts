import Redis, { type RedisOptions } from 'ioredis';
import { describeWithRedis, startRedis, type TestRedis } from '../../../test/support/redis';
import { freePort } from '../../../test/support/ports';
import { createRateLimiter } from './rate-limiter';
import { runBucketStoreContract } from './bucket-store.contract';
import { createRedisBucketStore } from './redis-store';
import type { RateLimitScope } from './token-bucket';

describeWithRedis('Redis token buckets', () => {
  let server: TestRedis;
  let clients: Redis[] = [];
  const client = (url = server.url, options: RedisOptions = {}): Redis => {
    const c = new Redis(url, { disconnectTimeout: 10, ...options });
    c.on('error', () => undefined);
    clients.push(c);
    return c;
  };
  let n = 0;
  const prefix = (): string => `test:${process.pid}:${++n}:`;

  beforeAll(async () => {
    server = await startRedis();
  });
  afterEach(() => {
    for (const c of clients) c.disconnect();
    clients = [];
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('contract', () => {
    runBucketStoreContract(async () => createRedisBucketStore(client(), prefix()));
  });

  const scopes: RateLimitScope[] = [{ key: 'tenant:acme', limit: { capacity: 5, refillPerSec: 0.01 } }];

  it('enforces burst, refuses with Retry-After, and loads its script into a fresh Redis (NOSCRIPT fallback)', async () => {
    const redis = client();
    await redis.script('FLUSH');
    const limiter = createRateLimiter({ redis, prefix: prefix(), redisTimeoutMs: 5000 });
    const allowed = [];
    for (let i = 0; i < 6; i++) allowed.push((await limiter.take(scopes)).allowed);
    expect(allowed).toEqual([true, true, true, true, true, false]);
    const refused = await limiter.take(scopes);
    expect(refused.retryAfterMs).toBeGreaterThan(99_000); // 1 token at 0.01/s is ~100 s away
    expect(refused.headers['Retry-After']).toBe(String(Math.ceil(refused.retryAfterMs / 1000)));
    expect(refused.headers['RateLimit-Policy']).toBe('"tenant";q=5;w=500');
    expect(refused.headers.RateLimit).toMatch(/^"tenant";r=0;t=\d+$/);
  });

  it('refills by Redis time', async () => {
    const limiter = createRateLimiter({ redis: client(), prefix: prefix(), redisTimeoutMs: 5000 });
    const fast: RateLimitScope[] = [{ key: 'tenant:fast', limit: { capacity: 2, refillPerSec: 20 } }];
    await limiter.take(fast);
    await limiter.take(fast);
    const refused = await limiter.take(fast);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(50);
    await new Promise((r) => setTimeout(r, refused.retryAfterMs + 10));
    expect((await limiter.take(fast)).allowed).toBe(true);
  });

  it('two limiters (two replicas) on one Redis share one global limit', async () => {
    const shared = prefix();
    const [ra, rb] = [client(), client()];
    // Connected first, and a generous timeout: a slow connect must not turn into fail-open answers.
    await Promise.all([ra.ping(), rb.ping()]);
    const a = createRateLimiter({ redis: ra, prefix: shared, redisTimeoutMs: 5000 });
    const b = createRateLimiter({ redis: rb, prefix: shared, redisTimeoutMs: 5000 });
    const limit: RateLimitScope[] = [{ key: 'tenant:acme', limit: { capacity: 20, refillPerSec: 0.001 } }];
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).take(limit)));
    expect(results.filter((r) => r.degraded)).toHaveLength(0);
    expect(results.filter((r) => r.allowed)).toHaveLength(20);
  });

  it('takes from tenant and key buckets atomically: a refused key spends no tenant token', async () => {
    const limiter = createRateLimiter({ redis: client(), prefix: prefix(), redisTimeoutMs: 5000 });
    const tenant = { key: 'tenant:acme', limit: { capacity: 3, refillPerSec: 0.001 } };
    const keyA: RateLimitScope[] = [tenant, { key: 'key:acme:a', limit: { capacity: 1, refillPerSec: 0.001 } }];
    const keyB: RateLimitScope[] = [tenant, { key: 'key:acme:b', limit: { capacity: 5, refillPerSec: 0.001 } }];
    expect((await limiter.take(keyA)).allowed).toBe(true);
    for (let i = 0; i < 5; i++) expect((await limiter.take(keyA)).allowed).toBe(false);
    expect((await limiter.take(keyB)).allowed).toBe(true);
    expect((await limiter.take(keyB)).allowed).toBe(true);
    expect((await limiter.take(keyB)).allowed).toBe(false); // the tenant's 3 are spent
  });

  describe('when Redis cannot be reached', () => {
    const unreachable = async (): Promise<Redis> => client(`redis://127.0.0.1:${await freePort()}`, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });

    it('fails open by default, flags the answer, and reports the error', async () => {
      const errors: unknown[] = [];
      const limiter = createRateLimiter({ redis: await unreachable(), prefix: prefix(), redisTimeoutMs: 50, onRedisError: (e) => errors.push(e) });
      const started = Date.now();
      const result = await limiter.take(scopes);
      expect(Date.now() - started).toBeLessThan(1000);
      expect(result).toEqual({ allowed: true, retryAfterMs: 0, headers: {}, degraded: 'redis-unavailable' });
      expect(errors).toHaveLength(1);
    });

    it('fails closed when configured', async () => {
      const limiter = createRateLimiter({ redis: await unreachable(), prefix: prefix(), redisTimeoutMs: 50, failOpen: false });
      const result = await limiter.take(scopes);
      expect(result).toMatchObject({ allowed: false, retryAfterMs: 1000, headers: { 'Retry-After': '1' }, degraded: 'redis-unavailable' });
    });
  });
});
