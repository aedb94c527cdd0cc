/**
 * A key (application) budget held through the Redis ledger is one budget for every replica:
 * concurrent calls through two AI services on one Redis pass only what fits, the refusals name the
 * key, and every hold settles to what was billed.
 */
import Redis from 'ioredis';
import { createAiService } from '../routing';
import { RedisUsageLedger } from '../usage/redis-ledger';
import { describeWithRedis, startRedis, type TestRedis } from '../../../test/support/redis';
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, USER_HELLO, model, testConfig } from '../test-support/fixtures';

describeWithRedis('key budgets across replicas', () => {
  let fake: FakeServer;
  let server: TestRedis;
  beforeAll(async () => {
    [fake, server] = await Promise.all([startFakeOpenAI(), startRedis()]);
    // Each call bills 100 in + 50 out at $10/M each: $0.0015; it holds about $0.00105 (100 output tokens at most).
    fake.setDefault({ kind: 'reply', inputTokens: 100, outputTokens: 50 });
  });
  afterAll(async () => {
    await fake?.close();
    await server?.stop();
  });

  test('concurrent calls through two replicas pass only what fits the shared key budget', async () => {
    const clients = [new Redis(server.port, '127.0.0.1'), new Redis(server.port, '127.0.0.1')];
    const prefix = `t${Math.random().toString(36).slice(2)}:`;
    try {
      const config = testConfig({
        providers: { oa: { kind: 'openai', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV } },
        models: [model('m', 'oa', { inputPricePerMTok: 10, outputPricePerMTok: 10 })],
        budgets: { keys: { k1: { dailyUsd: 0.005 } } },
      });
      const replicas = clients.map((redis) => createAiService({ config, ledger: new RedisUsageLedger({ redis, prefix }) }));
      const before = fake.requests.length;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) => replicas[i % 2]!.runChat({ request: { model: 'm', messages: USER_HELLO, maxTokens: 100 }, tenant: { tenant: 'acme', keyId: 'k1', budget: {} } })),
      );
      // Four holds of ~$0.00105 fit $0.005 at once; a settled call counts $0.0015, so at least three pass.
      const answered = outcomes.filter((o) => o.status === 'fulfilled').length;
      expect(answered).toBeGreaterThanOrEqual(3);
      expect(answered).toBeLessThanOrEqual(4);
      expect(fake.requests.length - before).toBe(answered);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toMatchObject({ code: 'BUDGET_EXCEEDED', details: { subject: 'acme/key:k1' } });
      const day = new Date().toISOString().slice(0, 10);
      expect(Number(await clients[0]!.get(`${prefix}spend:acme/key:k1:d:${day}`))).toBeCloseTo(answered * 0.0015, 12);
      // Another key of the tenant is not held back by k1's budget.
      await expect(replicas[0]!.runChat({ request: { model: 'm', messages: USER_HELLO, maxTokens: 100 }, tenant: { tenant: 'acme', keyId: 'k2', budget: {} } })).resolves.toMatchObject({ model: 'm' });
    } finally {
      for (const client of clients) client.disconnect();
    }
  });
});
