/**
 * The behaviour every response-cache store must have, as one jest suite run against the memory
 * store and Redis (response-cache-memory.test.ts, response-cache-redis.test.ts). `open` gives a
 * cache over fresh, empty storage.
 */
import { expect, test } from '@jest/globals';
import { sleep } from '../../../core/async';
import type { CachedResponse } from './cached-response';
import type { ResponseCache } from './response-cache';

const answer = (body: string): CachedResponse => ({ body, storedAt: Date.now(), ttlSec: 30, headers: { scope: 'PUBLIC' } });

export function runResponseCacheContract(open: () => Promise<ResponseCache>): void {
  test('returns exactly what was stored, and null for a key never stored', async () => {
    const cache = await open();
    const stored = answer('{"data":{"product":{"name":"Lamp ✓"}}}');
    await cache.set('k1', stored, 30);
    expect(await cache.get('k1')).toEqual(stored);
    expect(await cache.get('k2')).toBeNull();
  });

  test('a second set of the same key replaces the first', async () => {
    const cache = await open();
    await cache.set('k', answer('{"data":1}'), 30);
    await cache.set('k', answer('{"data":2}'), 30);
    expect((await cache.get('k'))?.body).toBe('{"data":2}');
  });

  test('keys that differ only slightly never share an entry', async () => {
    const cache = await open();
    await cache.set('tenant:a|op', answer('A'), 30);
    expect(await cache.get('tenant:a|op ')).toBeNull();
    expect(await cache.get('tenant:A|op')).toBeNull();
  });

  test('an entry is gone once its TTL has passed', async () => {
    const cache = await open();
    await cache.set('short', answer('S'), 1);
    expect((await cache.get('short'))?.body).toBe('S');
    await sleep(1_100);
    expect(await cache.get('short')).toBeNull();
  });
}
