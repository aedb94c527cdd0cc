/**
 * The provider kinds that speak OpenAI's chat-completions format on the wire — Groq, xAI, DeepSeek,
 * Together, Fireworks and Ollama — each through its own AI SDK package, against the loopback
 * OpenAI-format server: the answer, its usage and cost, the key sent, and a 429 falling back.
 */
import { createAiService } from '../routing';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, USER_HELLO, model, testConfig } from '../test-support/fixtures';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

const KINDS = ['groq', 'xai', 'deepseek', 'togetherai', 'fireworks', 'ollama'] as const;

test.each(KINDS)('%s: answers with usage and cost, sending the key', async (kind) => {
  const config = testConfig({ providers: { p: { kind, baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV } }, models: [model('m', 'p')] });
  const ai = createAiService({ config, ledger: new MemoryUsageLedger() });
  fake.enqueue({ kind: 'reply', text: `from ${kind}`, inputTokens: 1000, outputTokens: 100 });
  const result = await ai.runChat({ request: { model: 'm', messages: USER_HELLO }, tenant: { tenant: 't', budget: {} } });
  expect([result.text, result.usage.totalTokens]).toEqual([`from ${kind}`, 1100]);
  expect(result.costUsd).toBeCloseTo(0.0035, 12);
  const sent = fake.requests.at(-1)!;
  expect([sent.path, sent.body.model, sent.headers.authorization]).toEqual(['/v1/chat/completions', 'm-upstream', 'Bearer sk-test-fake']);
});

test('a 429 from one falls back to the next', async () => {
  const config = testConfig({
    providers: { g: { kind: 'groq', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV }, x: { kind: 'xai', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV } },
    models: [model('fast', 'g'), model('grok', 'x')],
    routes: { default: ['fast', 'grok'] },
  });
  const ai = createAiService({ config, ledger: new MemoryUsageLedger() });
  fake.enqueue({ kind: 'status', status: 429, message: 'busy' }, { kind: 'reply', text: 'grok answered' });
  const result = await ai.runChat({ request: { messages: USER_HELLO }, tenant: { tenant: 't', budget: {} } });
  expect(result.text).toBe('grok answered');
  expect(result.attempts.map((a) => [a.model, a.error?.code])).toEqual([['fast', 'PROVIDER_RATE_LIMITED'], ['grok', undefined]]);
});
