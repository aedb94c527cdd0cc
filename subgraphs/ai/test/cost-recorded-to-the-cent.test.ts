/** Cost = in * price_in / 1e6 + out * price_out / 1e6, recorded at full precision for every billed call. */
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, USER_HELLO, model, testConfig } from '../test-support/fixtures';
import { createAiService } from '../routing';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { aggregateUsage } from '../usage/aggregate';
import { computeCostUsd, formatUsd } from '../models';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

test('known token counts give the exact cost in the result and the ledger', async () => {
  const config = testConfig({
    providers: { oa: { kind: 'openai', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV } },
    models: [model('gpt-4o', 'oa', { inputPricePerMTok: 2.5, outputPricePerMTok: 10 })],
    routes: { default: ['gpt-4o'] },
  });
  const ledger = new MemoryUsageLedger();
  const ai = createAiService({ config, ledger });
  fake.enqueue({ kind: 'reply', inputTokens: 1_234_567, outputTokens: 89_012 });
  fake.enqueue({ kind: 'reply', inputTokens: 1, outputTokens: 1 });
  const big = await ai.runChat({ request: { messages: USER_HELLO }, tenant: { tenant: 'acme', keyId: 'k1', budget: {} } });
  const tiny = await ai.runChat({ request: { messages: USER_HELLO }, tenant: { tenant: 'acme', keyId: 'k2', budget: {} } });

  // 1,234,567 * 2.5 / 1e6 = 3.0864175; 89,012 * 10 / 1e6 = 0.89012; total $3.9765375 -> $3.98 shown.
  expect(big.costUsd).toBeCloseTo(3.9765375, 12);
  expect(formatUsd(big.costUsd)).toBe('$3.98');
  // A fraction of a cent is kept, not rounded away: 2.5e-6 + 1e-5.
  expect(tiny.costUsd).toBeCloseTo(0.0000125, 15);

  const records = await ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) });
  expect(records).toEqual([
    expect.objectContaining({ tenant: 'acme', keyId: 'k1', model: 'gpt-4o', provider: 'oa', inputTokens: 1_234_567, outputTokens: 89_012, costUsd: big.costUsd }),
    expect.objectContaining({ tenant: 'acme', keyId: 'k2', inputTokens: 1, outputTokens: 1, costUsd: tiny.costUsd }),
  ]);
  expect(records[0]!.latencyMs).toBeGreaterThanOrEqual(0);
  expect(Date.parse(records[0]!.at)).not.toBeNaN();
  const [row] = aggregateUsage(records, 'TENANT');
  expect(row).toEqual({ key: 'acme', requests: 2, inputTokens: 1_234_568, outputTokens: 89_013, totalTokens: 1_323_581, costUsd: expect.any(Number) });
  expect(row!.costUsd).toBeCloseTo(3.9765500, 12);
  expect(aggregateUsage(records, 'KEY').map((r) => r.key)).toEqual(['k1', 'k2']);
});

test('computeCostUsd keeps full precision', () => {
  expect(computeCostUsd({ inputPricePerMTok: 0.15, outputPricePerMTok: 0.6 }, 3, 7)).toBeCloseTo(0.00000045 + 0.0000042, 18);
  expect(formatUsd(0.0000047)).toBe('$0.0000047');
  expect(formatUsd(1)).toBe('$1.00');
});
