/** The Redis ledger against a real redis-server: atomic budget holds, counters, records and reports. */
import Redis from 'ioredis';
import { RedisUsageLedger } from '../usage/redis-ledger';
import type { UsageRecord } from '../usage/ledger';
import { aggregateUsage } from '../usage/aggregate';
import { describeWithRedis, startRedis, type TestRedis } from '../../../test/support/redis';
import { createAiService } from '../routing';
import { parseAiConfig } from '../models';


describeWithRedis('RedisUsageLedger', () => {
  let server: TestRedis;
  let redis: Redis;
  let prefix: string;
  let ledger: RedisUsageLedger;
  const now = new Date();

  beforeAll(async () => {
    server = await startRedis();
    redis = new Redis(server.port, '127.0.0.1', { lazyConnect: false, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });
  beforeEach(() => {
    prefix = `t${Math.random().toString(36).slice(2)}:`;
    ledger = new RedisUsageLedger({ redis, prefix });
  });

  test('concurrent holds on two ledgers (two replicas) never pass a budget only some fit', async () => {
    const secondClient = new Redis(server.port, '127.0.0.1');
    const replicaB = new RedisUsageLedger({ redis: secondClient, prefix });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? ledger : replicaB).reserve({ tenant: 'acme', budget: { dailyUsd: 1 }, estimateUsd: 0.3, estimateTokens: 10, at: now })),
    );
    expect(outcomes.filter((o) => o.status === 'reserved')).toHaveLength(3);
    const refused = outcomes.find((o) => o.status === 'refused');
    expect(refused).toEqual({ status: 'refused', budget: 'daily', message: 'daily budget of $1.00 for tenant acme would be exceeded: $0.90 spent, this request may cost up to $0.30' });
    secondClient.disconnect();
  });

  test('settling replaces the estimate by the real cost; a spent budget says so', async () => {
    const held = await ledger.reserve({ tenant: 'acme', budget: { dailyUsd: 1, monthlyUsd: 5 }, estimateUsd: 0.5, estimateTokens: 100, at: now });
    if (held.status !== 'reserved') throw new Error('expected a hold');
    await ledger.settle(held.reservation, { costUsd: 1.0000001, tokens: 40 });
    const stats = await ledger.readStats('acme', now.toISOString().slice(0, 10));
    expect(stats.spentUsd).toBeCloseTo(1.0000001, 12);
    const refused = await ledger.reserve({ tenant: 'acme', budget: { dailyUsd: 1 }, estimateUsd: 0, estimateTokens: 0, at: now });
    expect(refused).toMatchObject({ status: 'refused', message: 'daily budget of $1.00 for tenant acme is spent' });
    const tpm = await ledger.reserve({ tenant: 'acme', budget: { tokensPerMinute: 50 }, estimateUsd: 0, estimateTokens: 11, at: now });
    expect(tpm).toMatchObject({ status: 'refused', budget: 'tokensPerMinute', message: 'tokens-per-minute budget of 50 for tenant acme would be exceeded: 40 tokens used this minute, this request may use up to 11' });
  });

  test('records go to the stream and per-tenant day/month counters, and list by time and tenant', async () => {
    const record = (tenant: string, costUsd: number, at: Date): UsageRecord => ({ tenant, keyId: 'k', model: 'gpt', provider: 'oa', inputTokens: 3, outputTokens: 2, costUsd, latencyMs: 5, at: at.toISOString() });
    const yesterday = new Date(now.getTime() - 86_400_000);
    await ledger.record(record('acme', 0.001, now));
    await ledger.record(record('acme', 0.002, now));
    await ledger.record(record('globex', 0.004, now));
    await ledger.record(record('acme', 0.008, yesterday));
    const day = await ledger.readStats('acme', now.toISOString().slice(0, 10));
    expect(day).toMatchObject({ requests: 2, inputTokens: 6, outputTokens: 4 });
    expect(day.costUsd).toBeCloseTo(0.003, 15);
    const from = new Date(now.getTime() - 60_000);
    const to = new Date(now.getTime() + 60_000);
    expect((await ledger.list({ from, to, tenant: 'acme' })).map((r) => r.costUsd)).toEqual([0.001, 0.002]);
    expect(aggregateUsage(await ledger.list({ from, to }), 'TENANT').map((r) => [r.key, r.requests])).toEqual([
      ['acme', 2],
      ['globex', 1],
    ]);
  });

  test('runChat over the Redis ledger records the call and settles the hold', async () => {
    const ai = createAiService({ config: parseAiConfig(undefined), ledger });
    const result = await ai.runChat({ request: { messages: [{ role: 'user', content: 'hi' }] }, tenant: { tenant: 'acme', keyId: 'k9', budget: { tokensPerMinute: 10_000 } } });
    const records = await ledger.list({ from: new Date(now.getTime() - 60_000), to: new Date(Date.now() + 60_000) });
    expect(records).toEqual([expect.objectContaining({ tenant: 'acme', keyId: 'k9', model: 'local/echo', inputTokens: result.usage.inputTokens, outputTokens: result.usage.outputTokens })]);
    // The 4,096-token estimate was replaced by the real token count.
    const minuteKey = `${prefix}tokens:acme:${Math.floor(Date.now() / 60_000)}`;
    expect(Number(await redis.get(minuteKey))).toBe(result.usage.totalTokens);
  });
});
