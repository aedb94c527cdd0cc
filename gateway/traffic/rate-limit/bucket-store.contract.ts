/**
 * The behaviour every rate-limit bucket store must have, as one jest suite run against the memory
 * store and the Redis store (rate-limit-memory.test.ts, rate-limit-redis.test.ts). `open` gives a
 * store over fresh, empty buckets; time is real time (Redis keeps its own clock).
 */
import { expect, test } from '@jest/globals';
import { sleep } from '../../../core/async';
import type { BucketDecision, RateLimitScope } from './token-bucket';

export interface ContractBucketStore {
  take(scopes: RateLimitScope[]): Promise<BucketDecision>;
}

const slow = (key: string, capacity: number): RateLimitScope => ({ key, limit: { capacity, refillPerSec: 0.01 } });

export function runBucketStoreContract(open: () => Promise<ContractBucketStore>): void {
  test('allows a burst up to capacity, then refuses with the wait until a token is back', async () => {
    const store = await open();
    const allowed: boolean[] = [];
    for (let i = 0; i < 4; i++) allowed.push((await store.take([slow('tenant:acme', 3)])).allowed);
    expect(allowed).toEqual([true, true, true, false]);
    const refused = await store.take([slow('tenant:acme', 3)]);
    // One token at 0.01/s is about 100 s away.
    expect(refused.retryAfterMs).toBeGreaterThan(90_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(100_000);
    expect(refused.buckets[0]!.remaining).toBeLessThan(1);
  });

  test('takes from every bucket of a request or from none', async () => {
    const store = await open();
    const tenant = slow('tenant:acme', 10);
    const keyA = slow('key:acme:a', 2);
    expect((await store.take([tenant, keyA])).allowed).toBe(true);
    expect((await store.take([tenant, keyA])).allowed).toBe(true);
    // Key A is spent; its refusals must not drain the tenant's bucket.
    for (let i = 0; i < 5; i++) expect((await store.take([tenant, keyA])).allowed).toBe(false);
    const other = await store.take([tenant, slow('key:acme:b', 2)]);
    expect(other.allowed).toBe(true);
    expect(Math.floor(other.buckets.find((b) => b.key.endsWith('tenant:acme'))!.remaining)).toBe(7);
  });

  test('buckets of different keys are independent', async () => {
    const store = await open();
    expect((await store.take([slow('tenant:one', 1)])).allowed).toBe(true);
    expect((await store.take([slow('tenant:one', 1)])).allowed).toBe(false);
    expect((await store.take([slow('tenant:two', 1)])).allowed).toBe(true);
  });

  test('refills at the configured rate and never above capacity', async () => {
    const store = await open();
    const fast: RateLimitScope = { key: 'tenant:fast', limit: { capacity: 2, refillPerSec: 20 } };
    await store.take([fast]);
    await store.take([fast]);
    expect((await store.take([fast])).allowed).toBe(false);
    await sleep(200); // 4 tokens' worth at 20/s, capped at the capacity of 2
    const results: boolean[] = [];
    for (let i = 0; i < 3; i++) results.push((await store.take([fast])).allowed);
    expect(results).toEqual([true, true, false]);
  });
}
