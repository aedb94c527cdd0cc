/**
 * Each provider kind against a loopback server speaking its wire format: an answer with its token
 * usage and cost, a refusal surfaced with the provider's message, and a 429 falling back to the
 * next model of the route (only the answering call is billed). OpenAI and Anthropic are covered
 * by fallback-and-retry.test.ts; here Google, Mistral (its own error shape) and Bedrock (Converse).
 */
import { createAiService } from '../routing';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { bedrockBaseUrl, startFakeBedrock } from '../test-support/fake-bedrock';
import { googleBaseUrl, startFakeGoogle } from '../test-support/fake-google';
import { startFakeMistral } from '../test-support/fake-mistral';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, USER_HELLO, model, testConfig } from '../test-support/fixtures';
import { CharterError } from '../../../core/errors';

const tenant = { tenant: 'acme', budget: {} };
let google: FakeServer;
let mistral: FakeServer;
let bedrock: FakeServer;

beforeAll(async () => {
  [google, mistral, bedrock] = await Promise.all([startFakeGoogle(), startFakeMistral(), startFakeBedrock()]);
});
afterAll(() => Promise.all([google.close(), mistral.close(), bedrock.close()]));

function service() {
  const config = testConfig({
    providers: {
      gg: { kind: 'google', baseUrl: googleBaseUrl(google), apiKeyEnv: FAKE_KEY_ENV },
      mi: { kind: 'mistral', baseUrl: mistral.baseUrl, apiKeyEnv: FAKE_KEY_ENV },
      br: { kind: 'bedrock', baseUrl: bedrockBaseUrl(bedrock), region: 'eu-west-1', apiKeyEnv: FAKE_KEY_ENV },
    },
    models: [model('gemini', 'gg'), model('mistral', 'mi'), model('nova', 'br')],
    routes: { default: ['gemini', 'mistral', 'nova'] },
  });
  const ledger = new MemoryUsageLedger();
  return { ledger, ai: createAiService({ config, ledger }) };
}

test.each([
  ['google', () => google, 'gemini', (r: any) => r.path === '/v1beta/models/gemini-upstream:generateContent' && r.headers['x-goog-api-key'] === 'sk-test-fake'],
  ['mistral', () => mistral, 'mistral', (r: any) => r.path === '/v1/chat/completions' && r.body.model === 'mistral-upstream' && r.headers.authorization === 'Bearer sk-test-fake'],
  ['bedrock', () => bedrock, 'nova', (r: any) => r.path === '/model/nova-upstream/converse' && r.headers.authorization === 'Bearer sk-test-fake'],
])('%s: an answer with its usage and cost, sent in the provider\'s format', async (_kind, fake, modelId, sentRight) => {
  const { ai, ledger } = service();
  fake().enqueue({ kind: 'reply', text: `hello from ${modelId}`, inputTokens: 1000, outputTokens: 100 });
  const result = await ai.runChat({ request: { model: modelId, messages: USER_HELLO }, tenant });
  expect([result.text, result.model, result.usage]).toEqual([`hello from ${modelId}`, modelId, { inputTokens: 1000, outputTokens: 100, totalTokens: 1100 }]);
  // 1000 × 2.5 / 1e6 + 100 × 10 / 1e6
  expect(result.costUsd).toBeCloseTo(0.0035, 12);
  expect(sentRight(fake().requests.at(-1))).toBe(true);
  const records = await ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) });
  expect(records.map((r) => [r.model, r.costUsd])).toEqual([[modelId, expect.closeTo(0.0035, 12)]]);
});

test.each([
  ['google', () => google, 'gemini'],
  ['mistral', () => mistral, 'mistral'],
  ['bedrock', () => bedrock, 'nova'],
])("%s: a 400 is refused with the provider's message and not retried or billed", async (_kind, fake, modelId) => {
  const { ai, ledger } = service();
  const before = fake().requests.length;
  fake().enqueue({ kind: 'status', status: 400, message: `bad field in request to ${modelId}` });
  const failure = await ai.runChat({ request: { model: modelId, messages: USER_HELLO }, tenant }).catch((err: unknown) => err);
  expect(failure).toBeInstanceOf(CharterError);
  const { attempts } = (failure as CharterError).details as { attempts: Array<{ error: { code: string; message: string } }> };
  expect(attempts).toEqual([{ model: modelId, provider: expect.any(String), error: { code: 'PROVIDER_REJECTED', message: expect.stringContaining(`bad field in request to ${modelId}`) } }]);
  expect(fake().requests.length).toBe(before + 1);
  expect(await ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) })).toEqual([]);
});

test('429s fall back along the route: google then mistral are rate limited, bedrock answers; one bill', async () => {
  const { ai, ledger } = service();
  google.enqueue({ kind: 'status', status: 429, message: 'quota' });
  mistral.enqueue({ kind: 'status', status: 429, message: 'slow down' });
  bedrock.enqueue({ kind: 'reply', text: 'bedrock here' });
  const result = await ai.runChat({ request: { route: 'default', messages: USER_HELLO }, tenant });
  expect(result.text).toBe('bedrock here');
  expect(result.attempts).toEqual([
    { model: 'gemini', provider: 'gg', error: { code: 'PROVIDER_RATE_LIMITED', message: expect.stringContaining('429') } },
    { model: 'mistral', provider: 'mi', error: { code: 'PROVIDER_RATE_LIMITED', message: expect.stringContaining('429') } },
    { model: 'nova', provider: 'br' },
  ]);
  const records = await ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) });
  expect(records.map((r) => r.model)).toEqual(['nova']);
});
