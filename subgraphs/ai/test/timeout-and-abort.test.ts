/** A hanging provider times out into the next model; the caller's AbortSignal cancels the call in flight. */
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, USER_HELLO, model, testConfig } from '../test-support/fixtures';
import { createAiService } from '../routing';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import type { CharterError } from '../../../core/errors';

const tenant = { tenant: 'acme', budget: {} };
let fake: FakeServer;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

function service(timeoutMs: number) {
  const config = testConfig({
    providers: { oa: { kind: 'openai', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV }, local: { kind: 'local' } },
    models: [model('gpt', 'oa'), model('local/echo', 'local')],
    routes: { default: ['gpt', 'local/echo'], only: ['gpt'] },
    timeoutMs,
    maxRetries: 2,
  });
  return createAiService({ config, ledger: new MemoryUsageLedger() });
}

test('a hanging model times out and the next model answers', async () => {
  fake.enqueue({ kind: 'hang' });
  // The hang never ends: an answer at all proves the deadline cut the call.
  const result = await service(300).runChat({ request: { messages: USER_HELLO }, tenant });
  expect(result.model).toBe('local/echo');
  // A timeout is not retried on the same model: waiting again would double the delay.
  expect(result.attempts).toEqual([
    { model: 'gpt', provider: 'oa', error: { code: 'PROVIDER_TIMEOUT', message: 'no answer within 300 ms' } },
    { model: 'local/echo', provider: 'local' },
  ]);
});

test('a hang with no fallback fails as UPSTREAM_TIMEOUT after the deadline', async () => {
  fake.enqueue({ kind: 'hang' });
  const started = Date.now();
  const error = (await service(300).runChat({ request: { route: 'only', messages: USER_HELLO }, tenant }).catch((err: unknown) => err)) as CharterError;
  const elapsed = Date.now() - started;
  expect(error.code).toBe('UPSTREAM_TIMEOUT');
  // Not before the deadline (the upper side is proven by the test finishing: the hang never ends).
  expect(elapsed).toBeGreaterThanOrEqual(280);
});

test("the caller's AbortSignal aborts the provider call: the fake sees the connection dropped", async () => {
  fake.enqueue({ kind: 'hang' });
  const abandonedBefore = fake.abandoned;
  const requestsBefore = fake.requests.length;
  const controller = new AbortController();
  const pending = service(10_000).runChat({ request: { messages: USER_HELLO }, tenant, signal: controller.signal });
  // Abort once the request has reached the fake.
  while (fake.requests.length === requestsBefore) await new Promise((resolve) => setTimeout(resolve, 10));
  controller.abort();
  const error = (await pending.catch((err: unknown) => err)) as CharterError;
  expect(error.code).toBe('UPSTREAM_TIMEOUT');
  expect(error.message).toBe('the chat request was cancelled before a provider answered');
  // No fallback runs after the caller is gone.
  expect((error.details!.attempts as unknown[]).length).toBe(0);
  await until(() => fake.abandoned > abandonedBefore);
  expect(fake.abandoned).toBe(abandonedBefore + 1);
});

/** Wait for a condition the code under test must bring about (jest's timeout fails the test otherwise). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
