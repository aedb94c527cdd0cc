/** Budgets are checked before any provider call: a refused request sends zero requests. */
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, USER_HELLO, model, testConfig } from '../test-support/fixtures';
import { createAiService } from '../routing';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import type { CharterError } from '../../../core/errors';
import type { TenantBudget } from '../models';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

function setup() {
  const config = testConfig({
    providers: { oa: { kind: 'openai', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV } },
    // $1 per million tokens each way: 1,000,000 tokens cost $1.00 exactly.
    models: [model('gpt', 'oa', { inputPricePerMTok: 1, outputPricePerMTok: 1, contextWindow: 100_000, maxOutputTokens: 100 }), model('cheap', 'oa', { inputPricePerMTok: 0, outputPricePerMTok: 0 })],
    routes: { default: ['gpt'] },
  });
  const ledger = new MemoryUsageLedger();
  return { ledger, ai: createAiService({ config, ledger }) };
}

async function refusal(promise: Promise<unknown>): Promise<CharterError> {
  return (await promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (err: unknown) => err,
  )) as CharterError;
}

test('a spent daily budget refuses with BUDGET_EXCEEDED naming it, and the fake gets no request', async () => {
  const { ai } = setup();
  const budget: TenantBudget = { dailyUsd: 1 };
  fake.enqueue({ kind: 'reply', inputTokens: 600_000, outputTokens: 400_000 });
  const first = await ai.runChat({ request: { messages: USER_HELLO }, tenant: { tenant: 'acme', budget } });
  expect(first.costUsd).toBeCloseTo(1, 12);
  const before = fake.requests.length;
  const error = await refusal(ai.runChat({ request: { messages: USER_HELLO }, tenant: { tenant: 'acme', budget } }));
  expect(error.code).toBe('BUDGET_EXCEEDED');
  expect(error.message).toBe('daily budget of $1.00 for tenant acme is spent');
  expect(fake.requests.length).toBe(before);
  // Another tenant is unaffected.
  await ai.runChat({ request: { messages: USER_HELLO }, tenant: { tenant: 'globex', budget } });
  expect(fake.requests.length).toBe(before + 1);
});

test('a request whose estimate would overrun the monthly budget is refused up front', async () => {
  const { ai } = setup();
  const before = fake.requests.length;
  // maxOutputTokens 100 at $1/M => the estimate is above $0.00001.
  const error = await refusal(ai.runChat({ request: { messages: USER_HELLO }, tenant: { tenant: 'acme', budget: { monthlyUsd: 0.00001 } } }));
  expect(error.code).toBe('BUDGET_EXCEEDED');
  expect(error.message).toMatch(/^monthly budget of \$0\.000010 for tenant acme would be exceeded: \$0\.00 spent, this request may cost up to \$0\.00011$/);
  expect(fake.requests.length).toBe(before);
});

test('tokens per minute: the second of two concurrent requests that only fit once is refused', async () => {
  const { ai } = setup();
  const budget: TenantBudget = { tokensPerMinute: 150 };
  const before = fake.requests.length;
  fake.enqueue({ kind: 'reply', inputTokens: 5, outputTokens: 5 });
  // Each request holds ~7 prompt + 100 output tokens; both start before either settles.
  const outcomes = await Promise.allSettled([
    ai.runChat({ request: { messages: USER_HELLO }, tenant: { tenant: 'acme', budget } }),
    ai.runChat({ request: { messages: USER_HELLO }, tenant: { tenant: 'acme', budget } }),
  ]);
  expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
  const rejected = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
  expect((rejected.reason as CharterError).code).toBe('BUDGET_EXCEEDED');
  expect((rejected.reason as CharterError).message).toMatch(/^tokens-per-minute budget of 150 for tenant acme would be exceeded/);
  expect(fake.requests.length).toBe(before + 1);
});

test('a model outside allowedModels is FORBIDDEN with no request, and a route skips it', async () => {
  const { ai } = setup();
  const before = fake.requests.length;
  const budget: TenantBudget = { allowedModels: ['cheap'] };
  const error = await refusal(ai.runChat({ request: { model: 'gpt', messages: USER_HELLO }, tenant: { tenant: 'acme', budget } }));
  expect(error.code).toBe('FORBIDDEN');
  expect(error.message).toBe("model 'gpt' is not allowed for tenant acme");
  const routeError = await refusal(ai.runChat({ request: { route: 'default', messages: USER_HELLO }, tenant: { tenant: 'acme', budget } }));
  expect(routeError.code).toBe('FORBIDDEN');
  expect(fake.requests.length).toBe(before);
  expect(ai.listModels(budget).map((m) => m.id)).toEqual(['cheap']);
});

test('a failed call releases its hold: the budget is not eaten by errors', async () => {
  const { ai } = setup();
  const budget: TenantBudget = { dailyUsd: 0.00015 };
  fake.enqueue({ kind: 'status', status: 400 });
  await refusal(ai.runChat({ request: { messages: USER_HELLO }, tenant: { tenant: 'acme', budget } }));
  fake.enqueue({ kind: 'reply', inputTokens: 1, outputTokens: 1 });
  const result = await ai.runChat({ request: { messages: USER_HELLO }, tenant: { tenant: 'acme', budget } });
  expect(result.costUsd).toBeCloseTo(0.000002, 15);
});
