import { createRateLimiter } from './rate-limiter';
import { scopesForPlan } from './token-bucket';
import { createMemoryBucketStore } from './memory-store';
import { runBucketStoreContract } from './bucket-store.contract';

const tenantOnly = scopesForPlan({ tenant: 'acme', plan: { requestsPerMinute: 60, burst: 3 } });

describe('in-memory token buckets', () => {
  it('allows a burst up to capacity, then refuses with Retry-After and RateLimit headers', async () => {
    const limiter = createRateLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect((await limiter.take(tenantOnly, t0)).allowed).toBe(true);
    const refused = await limiter.take(tenantOnly, t0);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBe(1000); // 60/min = one token a second
    expect(refused.headers).toEqual({ 'RateLimit-Policy': '"tenant";q=3;w=3', RateLimit: '"tenant";r=0;t=3', 'Retry-After': '1' });
  });

  it('refills at the plan rate and never above capacity', async () => {
    const limiter = createRateLimiter();
    const t0 = 5_000_000;
    for (let i = 0; i < 3; i++) await limiter.take(tenantOnly, t0);
    expect((await limiter.take(tenantOnly, t0 + 999)).allowed).toBe(false);
    const afterOneSecond = await limiter.take(tenantOnly, t0 + 1000);
    expect(afterOneSecond.allowed).toBe(true);
    expect(afterOneSecond.headers.RateLimit).toBe('"tenant";r=0;t=3');
    // An hour idle refills to the burst (3), not to 3600.
    const later = t0 + 3_600_000;
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await limiter.take(tenantOnly, later)).allowed);
    expect(results).toEqual([true, true, true, false]);
  });

  it('takes from tenant and key buckets all or nothing; the tightest one is reported', async () => {
    const limiter = createRateLimiter();
    const plan = { requestsPerMinute: 600, burst: 10, perKey: { requestsPerMinute: 60, burst: 2 } };
    const keyA = scopesForPlan({ tenant: 'acme', keyId: 'a', plan });
    const keyB = scopesForPlan({ tenant: 'acme', keyId: 'b', plan });
    const t0 = 9_000_000;
    const first = await limiter.take(keyA, t0);
    expect(first.headers['RateLimit-Policy']).toBe('"tenant";q=10;w=1, "key";q=2;w=2');
    expect(first.headers.RateLimit).toBe('"key";r=1;t=1');
    await limiter.take(keyA, t0);
    // Key A is spent; its refusals must not drain the tenant's bucket.
    for (let i = 0; i < 20; i++) expect((await limiter.take(keyA, t0)).allowed).toBe(false);
    const other = await limiter.take(keyB, t0);
    expect(other.allowed).toBe(true);
    expect(other.headers['RateLimit-Policy']).toContain('"tenant";q=10');
    // Tenant has 10 - 3 = 7 tokens left; key B has 1 of 2 left, so the key is reported.
    expect(other.headers.RateLimit).toBe('"key";r=1;t=1');
  });

  it('allows everything, with no headers, when the plan sets no limit', async () => {
    const limiter = createRateLimiter();
    const result = await limiter.take(scopesForPlan({ tenant: 'free', keyId: 'k', plan: {} }));
    expect(result).toEqual({ allowed: true, retryAfterMs: 0, headers: {} });
  });

  it('keeps at most maxBuckets buckets, dropping the least recently used', () => {
    const store = createMemoryBucketStore(3);
    const limit = { capacity: 1, refillPerSec: 0.001 };
    for (const key of ['a', 'b', 'c']) store.take([{ key, limit }], 0);
    store.take([{ key: 'a', limit }], 0); // a is now the most recent (and refused)
    store.take([{ key: 'd', limit }], 0); // evicts b
    expect(store.size).toBe(3);
    expect(store.take([{ key: 'a', limit }], 0).allowed).toBe(false);
    expect(store.take([{ key: 'b', limit }], 0).allowed).toBe(true); // came back full
  });
});

describe('memory bucket store contract', () => {
  runBucketStoreContract(async () => {
    const store = createMemoryBucketStore();
    return { take: async (scopes) => store.take(scopes, Date.now()) };
  });
});
