import { createMemoryCacheStore } from './memory-store';
import { createResponseCache } from './response-cache';
import { runResponseCacheContract } from './response-cache-store.contract';

const entry = (body: string, storedAt = 0): { body: string; storedAt: number; ttlSec: number } => ({ body, storedAt, ttlSec: 60 });

describe('in-memory response cache', () => {
  it('returns what was stored, and nothing for an unknown key', async () => {
    const cache = createResponseCache({ maxEntries: 10 });
    await cache.set('k', { body: '{"data":{"a":1}}', storedAt: 123, ttlSec: 30, headers: { 'x-a': '1' } }, 30);
    expect(await cache.get('k')).toEqual({ body: '{"data":{"a":1}}', storedAt: 123, ttlSec: 30, headers: { 'x-a': '1' } });
    expect(await cache.get('other')).toBeNull();
  });

  it('evicts the least recently used entry past maxEntries', () => {
    const store = createMemoryCacheStore(2, 1_000_000);
    store.set('a', entry('A'), 60, 0);
    store.set('b', entry('B'), 60, 0);
    expect(store.get('a', 1)?.body).toBe('A'); // a is now more recent than b
    store.set('c', entry('C'), 60, 2);
    expect(store.get('b', 3)).toBeNull();
    expect(store.get('a', 3)?.body).toBe('A');
    expect(store.get('c', 3)?.body).toBe('C');
    expect(store.size).toBe(2);
  });

  it('evicts past maxBytes and refuses a single entry larger than the whole budget', () => {
    const store = createMemoryCacheStore(100, 1000);
    store.set('a', entry('x'.repeat(300)), 60, 0); // ~664 bytes
    store.set('b', entry('y'.repeat(100)), 60, 0); // ~264 bytes: both fit
    expect(store.size).toBe(2);
    store.set('c', entry('z'.repeat(100)), 60, 0); // over budget: a goes
    expect(store.get('a', 0)).toBeNull();
    expect(store.bytes).toBeLessThanOrEqual(1000);
    store.set('huge', entry('h'.repeat(1000)), 60, 0);
    expect(store.get('huge', 0)).toBeNull();
    expect(store.get('b', 0)?.body).toBe('y'.repeat(100));
  });

  it('forgets an entry once its TTL has passed', () => {
    const store = createMemoryCacheStore(10, 1_000_000);
    store.set('a', entry('A'), 5, 1000);
    expect(store.get('a', 5999)?.body).toBe('A');
    expect(store.get('a', 6000)).toBeNull();
    expect(store.size).toBe(0);
    store.set('zero', entry('Z'), 0, 0);
    expect(store.get('zero', 0)).toBeNull();
  });
});

describe('memory response cache contract', () => {
  runResponseCacheContract(async () => createResponseCache({ maxEntries: 100 }));
});
