/** One behaviour suite for every call store (SQLite, PostgreSQL): `runCallStoreContract(open)`. */
import type { CallRecord } from './call-record';
import type { CallStore } from './call-store';
import { aggregateCalls } from './aggregate';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);

function call(over: Partial<CallRecord>): CallRecord {
  return { time: T0, tenant: 'acme', entrance: 'graphql', status: 200, errorCodes: [], latencyMs: 10, operationName: 'Books', ...over };
}

export function runCallStoreContract(open: () => Promise<CallStore>): void {
  let store: CallStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  test('a record comes back whole, newest first', async () => {
    const full = call({ keyId: 'k1', clientName: 'ios', clientVersion: '4.2', operationHash: 'a'.repeat(64), subgraphs: [{ name: 'books', latencyMs: 3.5 }], cacheHit: true, rateLimit: 'allowed', aiTokens: 120, aiCostUsd: 0.0012, errorCodes: ['FORBIDDEN'] });
    await store.insert([call({ time: T0 - 1000 }), full]);
    const got = await store.query({});
    expect(got).toHaveLength(2);
    expect(got[0]).toEqual(full);
    expect(got[1]!.time).toBe(T0 - 1000);
  });

  test('filters by tenant, operation, status and time; a limit is a limit', async () => {
    await store.insert([
      call({ tenant: 'acme', status: 200 }),
      call({ tenant: 'acme', status: 500, operationName: 'Orders', time: T0 + 60_000 }),
      call({ tenant: 'globex', status: 429, time: T0 + 120_000 }),
    ]);
    expect((await store.query({ tenant: 'globex' })).map((c) => c.status)).toEqual([429]);
    expect((await store.query({ operationName: 'Orders' })).map((c) => c.tenant)).toEqual(['acme']);
    expect((await store.query({ status: 'error' })).map((c) => c.status)).toEqual([429, 500]);
    expect((await store.query({ status: 200 })).length).toBe(1);
    expect((await store.query({ from: T0 + 60_000, to: T0 + 120_000 })).map((c) => c.status)).toEqual([500]);
    expect(await store.query({ limit: 1 })).toHaveLength(1);
  });

  test("hostile filter values are data, not SQL", async () => {
    await store.insert([call({ tenant: "x' OR '1'='1" })]);
    expect(await store.query({ tenant: "acme' OR '1'='1" })).toEqual([]);
    expect(await store.query({ tenant: "x' OR '1'='1" })).toHaveLength(1);
  });

  test('retention by age and by size', async () => {
    await store.insert([call({ time: T0 - 10 * 86_400_000 }), call({ time: T0 - 1000 }), call({ time: T0 - 500 }), call({ time: T0 })]);
    expect(await store.prune({ maxAgeMs: 86_400_000 }, T0)).toBe(1);
    expect(await store.prune({ maxRows: 2 }, T0)).toBe(1);
    expect((await store.query({})).map((c) => c.time)).toEqual([T0, T0 - 500]);
    expect(await store.count()).toBe(2);
  });

  test('aggregates per bucket and operation: requests, error rate, percentiles, AI spend', async () => {
    const calls: CallRecord[] = [];
    for (let i = 1; i <= 100; i++) calls.push(call({ time: T0 + i * 100, latencyMs: i, status: i <= 5 ? 500 : 200, aiCostUsd: 0.01 }));
    calls.push(call({ time: T0 + 3_600_000, operationName: 'Orders', latencyMs: 7 }));
    calls.push(call({ time: T0, tenant: 'globex', operationName: 'Orders', latencyMs: 7 }));
    await store.insert(calls);
    const rows = await aggregateCalls(store.samples({ tenant: 'acme', from: T0, to: T0 + 86_400_000 }), { bucket: 'hour', groupBy: ['operation'] });
    expect(rows).toHaveLength(2);
    const books = rows[0]!;
    expect(books).toMatchObject({ bucket: T0, operationName: 'Books', requests: 100, errors: 5, errorRate: 0.05, aiCostUsd: 1 });
    // DDSketch: within 1% of the exact percentile.
    expect(books.p50Ms).toBeGreaterThanOrEqual(49.5);
    expect(books.p50Ms).toBeLessThanOrEqual(51.5);
    expect(books.p95Ms).toBeGreaterThanOrEqual(94);
    expect(books.p95Ms).toBeLessThanOrEqual(96);
    expect(books.p99Ms).toBeGreaterThanOrEqual(98);
    expect(rows[1]).toMatchObject({ bucket: T0 + 3_600_000, operationName: 'Orders', requests: 1, errors: 0 });
  });
}
