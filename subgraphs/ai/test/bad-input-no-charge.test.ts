/** Unknown models, malformed messages and prompts over the context window fail before any call or charge. */
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, USER_HELLO, model, testConfig } from '../test-support/fixtures';
import { createAiService } from '../routing';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import type { CharterError } from '../../../core/errors';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

const config = () =>
  testConfig({
    providers: { oa: { kind: 'openai', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV } },
    models: [model('gpt', 'oa', { contextWindow: 100, maxOutputTokens: 50 })],
    routes: { default: ['gpt'] },
  });

const cases: Array<[string, Record<string, unknown>, RegExp]> = [
  ['an unknown model', { model: 'gpt-9', messages: USER_HELLO }, /^unknown model 'gpt-9'; known models: gpt$/],
  ['an unknown route', { route: 'fast', messages: USER_HELLO }, /^unknown route 'fast'/],
  ['empty messages', { messages: [] }, /messages: messages must not be empty/],
  ['a bad role', { messages: [{ role: 'robot', content: 'hi' }] }, /messages\.0\.role: role must be one of 'system', 'user', 'assistant'/],
  ['non-string content', { messages: [{ role: 'user', content: 42 }] }, /messages\.0\.content: content must be a string/],
  ['only system messages', { messages: [{ role: 'system', content: 'be nice' }] }, /at least one user or assistant message/],
  ['both model and route', { model: 'gpt', route: 'default', messages: USER_HELLO }, /give either model or route, not both/],
  ['a prompt over the context window', { messages: [{ role: 'user', content: 'word '.repeat(200) }] }, /^the prompt of about 254 tokens exceeds the context window of gpt \(100\)$/],
  ['maxTokens pushing past the context window', { messages: USER_HELLO, maxTokens: 99 }, /tokens plus maxTokens 99 exceeds the context window of gpt \(100\)$/],
];

test.each(cases)('%s is BAD_USER_INPUT with no provider request and no charge', async (_name, request, message) => {
  const ledger = new MemoryUsageLedger();
  const ai = createAiService({ config: config(), ledger });
  const before = fake.requests.length;
  const error = (await ai.runChat({ request: request as never, tenant: { tenant: 'acme', budget: { dailyUsd: 1 } } }).catch((err: unknown) => err)) as CharterError;
  expect(error.code).toBe('BAD_USER_INPUT');
  expect(error.message).toMatch(message);
  expect(fake.requests.length).toBe(before);
  expect(await ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) })).toEqual([]);
  // Nothing was held either: a budget that fits exactly one good request still lets it through.
  fake.enqueue({ kind: 'reply', inputTokens: 1, outputTokens: 1 });
  await expect(ai.runChat({ request: { messages: USER_HELLO }, tenant: { tenant: 'acme', budget: { dailyUsd: 0.0006 } } })).resolves.toBeDefined();
});
