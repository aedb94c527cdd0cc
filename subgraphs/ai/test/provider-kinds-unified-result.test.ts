/** Every provider kind, reached through its base URL, answers with the same unified result. */
import { streamText } from 'ai';
import { startFakeOpenAI } from '../test-support/fake-openai';
import { startFakeAnthropic } from '../test-support/fake-anthropic';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, USER_HELLO, model, testConfig } from '../test-support/fixtures';
import { createAiService } from '../routing';
import { createLanguageModelResolver } from '../providers';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import type { AiConfig } from '../models';

const tenant = { tenant: 'acme', keyId: 'key-1', budget: {} };
let openai: FakeServer;
let anthropic: FakeServer;
let config: AiConfig;

beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
  config = testConfig({
    providers: {
      oa: { kind: 'openai', baseUrl: openai.baseUrl, apiKeyEnv: FAKE_KEY_ENV },
      an: { kind: 'anthropic', baseUrl: anthropic.baseUrl, apiKeyEnv: FAKE_KEY_ENV },
      mi: { kind: 'mistral', baseUrl: openai.baseUrl, apiKeyEnv: FAKE_KEY_ENV },
      compat: { kind: 'openai-compatible', baseUrl: openai.baseUrl },
      local: { kind: 'local' },
    },
    models: [model('gpt', 'oa'), model('claude', 'an'), model('mistral', 'mi'), model('ollama', 'compat'), model('local/echo', 'local', { model: 'echo', inputPricePerMTok: 0, outputPricePerMTok: 0 })],
    routes: { default: ['local/echo'] },
  });
});
afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close()]);
});

test.each([
  ['gpt', 'oa', () => openai, '/v1/chat/completions'],
  ['claude', 'an', () => anthropic, '/v1/messages'],
  ['mistral', 'mi', () => openai, '/v1/chat/completions'],
  ['ollama', 'compat', () => openai, '/v1/chat/completions'],
])('%s answers through its base URL with text, usage, cost, finish reason and model', async (modelId, provider, fake, path) => {
  const server = fake();
  server.enqueue({ kind: 'reply', text: `hi from ${modelId}`, inputTokens: 12, outputTokens: 4 });
  const before = server.requests.length;
  const service = createAiService({ config, ledger: new MemoryUsageLedger() });
  const result = await service.runChat({ request: { model: modelId, messages: USER_HELLO, maxTokens: 50 }, tenant });
  expect(result).toEqual({
    text: `hi from ${modelId}`,
    usage: { inputTokens: 12, outputTokens: 4, totalTokens: 16 },
    costUsd: (12 * 2.5) / 1e6 + (4 * 10) / 1e6,
    finishReason: 'stop',
    model: modelId,
    provider,
    attempts: [{ model: modelId, provider }],
  });
  const request = server.requests[before]!;
  expect(request.path).toBe(path);
  expect(request.body.model).toBe(`${modelId}-upstream`);
  expect(JSON.stringify(request.body.messages)).toContain('Hello there');
});

test('the API key comes from the named environment variable', async () => {
  const service = createAiService({ config, ledger: new MemoryUsageLedger() });
  const before = { openai: openai.requests.length, anthropic: anthropic.requests.length };
  await service.runChat({ request: { model: 'gpt', messages: USER_HELLO }, tenant });
  await service.runChat({ request: { model: 'claude', messages: USER_HELLO }, tenant });
  expect(openai.requests[before.openai]!.headers.authorization).toBe('Bearer sk-test-fake');
  expect(anthropic.requests[before.anthropic]!.headers['x-api-key']).toBe('sk-test-fake');
});

test('a provider whose key variable is unset is skipped for the next model, with no request sent', async () => {
  const cfg = testConfig({
    providers: { oa: { kind: 'openai', baseUrl: openai.baseUrl, apiKeyEnv: 'CHARTER_TEST_UNSET_KEY' }, local: { kind: 'local' } },
    models: [model('gpt', 'oa'), model('local/echo', 'local')],
    routes: { default: ['gpt', 'local/echo'] },
  });
  const before = openai.requests.length;
  const result = await createAiService({ config: cfg, ledger: new MemoryUsageLedger() }).runChat({ request: { messages: USER_HELLO }, tenant });
  expect(result.model).toBe('local/echo');
  expect(result.attempts[0]).toEqual({ model: 'gpt', provider: 'oa', error: { code: 'PROVIDER_NOT_CONFIGURED', message: expect.stringContaining('CHARTER_TEST_UNSET_KEY') } });
  expect(openai.requests.length).toBe(before);
});

test('structured output: JSON from OpenAI (response_format) and Anthropic (forced tool) becomes result.object', async () => {
  const service = createAiService({ config, ledger: new MemoryUsageLedger() });
  const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
  openai.enqueue({ kind: 'reply', text: '{"city":"Paris"}' });
  anthropic.enqueue({ kind: 'reply', text: '{"city":"Rome"}' });
  const fromOpenAI = await service.runChat({ request: { model: 'gpt', messages: USER_HELLO, responseFormat: { type: 'json', schema } }, tenant });
  const fromAnthropic = await service.runChat({ request: { model: 'claude', messages: USER_HELLO, responseFormat: { type: 'json', schema } }, tenant });
  expect(fromOpenAI.object).toEqual({ city: 'Paris' });
  expect(fromAnthropic.object).toEqual({ city: 'Rome' });
  expect(openai.requests.at(-1)!.body.response_format.type).toBe('json_schema');
});

test.each([
  ['gpt', () => openai],
  ['claude', () => anthropic],
])('the %s fake streams SSE with usage the SDK reads', async (modelId, fake) => {
  fake().enqueue({ kind: 'reply', text: 'one two three', inputTokens: 7, outputTokens: 3 });
  const resolve = createLanguageModelResolver(config);
  const result = streamText({ model: resolve(config.models.find((m) => m.id === modelId)!), prompt: 'count', maxRetries: 0 });
  let text = '';
  for await (const delta of result.textStream) text += delta;
  expect(text).toBe('one two three');
  expect(await result.usage).toMatchObject({ inputTokens: 7, outputTokens: 3 });
  expect(await result.finishReason).toBe('stop');
});
