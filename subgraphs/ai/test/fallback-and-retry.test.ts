/** Routes fall back in order; only retryable failures are retried, with every attempt listed. */
import { startFakeOpenAI } from '../test-support/fake-openai';
import { startFakeAnthropic } from '../test-support/fake-anthropic';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, USER_HELLO, model, testConfig } from '../test-support/fixtures';
import { createAiService } from '../routing';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { CharterError } from '../../../core/errors';
import type { AiConfigInput } from '../models';

const tenant = { tenant: 'acme', budget: {} };
let openai: FakeServer;
let anthropic: FakeServer;

beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
});
afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close()]);
});

function service(extra: Partial<AiConfigInput> = {}) {
  const config = testConfig({
    providers: { oa: { kind: 'openai', baseUrl: openai.baseUrl, apiKeyEnv: FAKE_KEY_ENV }, an: { kind: 'anthropic', baseUrl: anthropic.baseUrl, apiKeyEnv: FAKE_KEY_ENV } },
    models: [model('gpt', 'oa'), model('claude', 'an')],
    routes: { default: ['gpt', 'claude'] },
    ...extra,
  });
  const ledger = new MemoryUsageLedger();
  return { ledger, ai: createAiService({ config, ledger }) };
}

function counts() {
  return { openai: openai.requests.length, anthropic: anthropic.requests.length };
}

test('first model answers 429, the second answers, and both attempts are listed', async () => {
  const { ai, ledger } = service();
  const before = counts();
  openai.enqueue({ kind: 'status', status: 429, message: 'slow down' });
  anthropic.enqueue({ kind: 'reply', text: 'claude here' });
  const result = await ai.runChat({ request: { route: 'default', messages: USER_HELLO }, tenant });
  expect(result.text).toBe('claude here');
  expect(result.model).toBe('claude');
  expect(result.attempts).toEqual([
    { model: 'gpt', provider: 'oa', error: { code: 'PROVIDER_RATE_LIMITED', message: expect.stringContaining('429') } },
    { model: 'claude', provider: 'an' },
  ]);
  expect(counts()).toEqual({ openai: before.openai + 1, anthropic: before.anthropic + 1 });
  // Only the call that answered is billed.
  const records = await ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) });
  expect(records.map((record) => record.model)).toEqual(['claude']);
});

test('a 500 is retried on the same model (maxRetries 1) before falling back', async () => {
  const { ai } = service({ maxRetries: 1 });
  const before = counts();
  openai.enqueue({ kind: 'status', status: 500 }, { kind: 'reply', text: 'second try' });
  const result = await ai.runChat({ request: { messages: USER_HELLO }, tenant });
  expect(result.text).toBe('second try');
  expect(result.attempts.map((attempt) => [attempt.model, attempt.error?.code])).toEqual([
    ['gpt', 'PROVIDER_ERROR'],
    ['gpt', undefined],
  ]);
  expect(counts()).toEqual({ openai: before.openai + 2, anthropic: before.anthropic });
});

test('a 400 is not retried even with retries left: one request, then the next model', async () => {
  const { ai } = service({ maxRetries: 3 });
  const before = counts();
  openai.enqueue({ kind: 'status', status: 400, message: 'bad parameter' });
  const result = await ai.runChat({ request: { messages: USER_HELLO }, tenant });
  expect(openai.requests.length - before.openai).toBe(1);
  expect(result.attempts.map((attempt) => [attempt.model, attempt.error?.code])).toEqual([
    ['gpt', 'PROVIDER_REJECTED'],
    ['claude', undefined],
  ]);
});

test('a 400 on a single model is not retried and fails as UPSTREAM_UNAVAILABLE', async () => {
  const { ai } = service({ maxRetries: 3 });
  const before = counts();
  openai.enqueue({ kind: 'status', status: 400 });
  const error = await ai.runChat({ request: { model: 'gpt', messages: USER_HELLO }, tenant }).catch((err: unknown) => err);
  expect(error).toBeInstanceOf(CharterError);
  expect((error as CharterError).code).toBe('UPSTREAM_UNAVAILABLE');
  expect(openai.requests.length - before.openai).toBe(1);
});

test('garbage from every model ends in UPSTREAM_UNAVAILABLE naming each attempt', async () => {
  const { ai } = service({ maxRetries: 2 });
  openai.enqueue({ kind: 'garbage' });
  anthropic.enqueue({ kind: 'garbage' });
  const error = (await ai.runChat({ request: { messages: USER_HELLO }, tenant }).catch((err: unknown) => err)) as CharterError;
  expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  expect(error.message).toBe('no model answered (gpt: PROVIDER_INVALID_RESPONSE, claude: PROVIDER_INVALID_RESPONSE)');
  expect(error.details!.attempts).toHaveLength(2);
});

test('Retry-After is honoured between retries of a 429', async () => {
  const { ai } = service({ maxRetries: 1 });
  openai.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '0.3' } }, { kind: 'reply', text: 'after waiting' });
  const started = Date.now();
  const result = await ai.runChat({ request: { model: 'gpt', messages: USER_HELLO }, tenant });
  expect(result.text).toBe('after waiting');
  expect(Date.now() - started).toBeGreaterThanOrEqual(290);
});
