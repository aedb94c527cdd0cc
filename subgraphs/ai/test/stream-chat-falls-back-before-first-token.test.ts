/**
 * streamChat: routing and fallback work until the first token; usage is recorded when the stream
 * ends, also when it is cancelled mid-way (for what was produced) or fails mid-way.
 */
import { startFakeOpenAI } from '../test-support/fake-openai';
import { startFakeAnthropic } from '../test-support/fake-anthropic';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, USER_HELLO, model, testConfig } from '../test-support/fixtures';
import { createAiService } from '../routing';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { estimatePromptTokens, estimateTokens } from '../tokens';
import type { CharterError } from '../../../core/errors';

let openai: FakeServer;
let anthropic: FakeServer;
beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
});
afterAll(() => Promise.all([openai.close(), anthropic.close()]));

const tenant = { tenant: 'acme', keyId: 'k1', budget: {} };

function setup(timeoutMs = 5_000) {
  const config = testConfig({
    providers: { oa: { kind: 'openai', baseUrl: openai.baseUrl, apiKeyEnv: FAKE_KEY_ENV }, an: { kind: 'anthropic', baseUrl: anthropic.baseUrl, apiKeyEnv: FAKE_KEY_ENV } },
    models: [model('gpt', 'oa'), model('claude', 'an')],
    routes: { default: ['gpt', 'claude'], only: ['gpt'] },
    timeoutMs,
  });
  const ledger = new MemoryUsageLedger();
  return { ledger, ai: createAiService({ config, ledger }) };
}

const allRecords = (ledger: MemoryUsageLedger) => ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) });

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const deltas: string[] = [];
  for await (const delta of stream) deltas.push(delta);
  return deltas;
}

test('a 500 before the first token falls back; the stream says who answers and records usage at the end', async () => {
  const { ai, ledger } = setup();
  openai.enqueue({ kind: 'status', status: 500 });
  anthropic.enqueue({ kind: 'reply', text: 'Hello from Claude', inputTokens: 12, outputTokens: 4 });
  const stream = await ai.streamChat({ request: { messages: USER_HELLO }, tenant });
  expect([stream.model, stream.provider]).toEqual(['claude', 'an']);
  expect(stream.attempts).toEqual([{ model: 'gpt', provider: 'oa', error: { code: 'PROVIDER_ERROR', message: expect.stringMatching(/^HTTP 500/) } }]);
  expect(await collect(stream.textStream)).toEqual(['Hello', ' from', ' Claude']);
  const result = await stream.result;
  expect(result).toMatchObject({ text: 'Hello from Claude', outcome: 'completed', finishReason: 'stop', usage: { inputTokens: 12, outputTokens: 4, totalTokens: 16 }, model: 'claude' });
  expect(result.costUsd).toBeCloseTo((12 * 2.5 + 4 * 10) / 1e6, 15);
  expect(result.attempts.map((attempt) => [attempt.model, attempt.error?.code])).toEqual([
    ['gpt', 'PROVIDER_ERROR'],
    ['claude', undefined],
  ]);
  expect(anthropic.requests.at(-1)!.body.stream).toBe(true);
  const records = await allRecords(ledger);
  expect(records.map((r) => [r.model, r.inputTokens, r.outputTokens, r.keyId])).toEqual([['claude', 12, 4, 'k1']]);
});

test('the OpenAI stream reports usage from its last chunk', async () => {
  const { ai, ledger } = setup();
  openai.enqueue({ kind: 'reply', text: 'one two three', inputTokens: 30, outputTokens: 3 });
  const stream = await ai.streamChat({ request: { route: 'only', messages: USER_HELLO }, tenant });
  expect((await collect(stream.textStream)).join('')).toBe('one two three');
  expect((await stream.result).usage).toEqual({ inputTokens: 30, outputTokens: 3, totalTokens: 33 });
  const records = await allRecords(ledger);
  expect(records).toHaveLength(1);
  expect(records[0]!.costUsd).toBeCloseTo((30 * 2.5 + 3 * 10) / 1e6, 15);
});

test('leaving the loop mid-stream aborts the provider call and records what was produced', async () => {
  const { ai, ledger } = setup();
  const abandoned = openai.abandoned;
  openai.enqueue({ kind: 'reply', text: 'alpha beta gamma delta', stallAfterDeltas: 2 });
  const stream = await ai.streamChat({ request: { route: 'only', messages: USER_HELLO }, tenant });
  const seen: string[] = [];
  for await (const delta of stream.textStream) {
    seen.push(delta);
    if (seen.length === 2) break;
  }
  const result = await stream.result;
  expect(seen).toEqual(['alpha', ' beta']);
  expect(result.outcome).toBe('cancelled');
  expect(result.text).toBe('alpha beta');
  // No usage came from the provider: the prompt and the produced text are estimated.
  const inputTokens = estimatePromptTokens(USER_HELLO);
  expect(result.usage).toEqual({ inputTokens, outputTokens: estimateTokens('alpha beta'), totalTokens: inputTokens + estimateTokens('alpha beta') });
  expect((await allRecords(ledger)).map((r) => [r.model, r.inputTokens, r.outputTokens])).toEqual([['gpt', inputTokens, 3]]);
  for (let waited = 0; openai.abandoned === abandoned && waited < 2_000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(openai.abandoned).toBe(abandoned + 1);
});

test('a provider that stalls after the first token times out: the reader gets UPSTREAM_TIMEOUT, the partial answer is billed', async () => {
  const { ai, ledger } = setup(300);
  openai.enqueue({ kind: 'reply', text: 'first second third', stallAfterDeltas: 1 });
  const stream = await ai.streamChat({ request: { route: 'only', messages: USER_HELLO }, tenant });
  const seen: string[] = [];
  const error = (await (async () => {
    for await (const delta of stream.textStream) seen.push(delta);
  })().catch((err: unknown) => err)) as CharterError;
  expect(seen).toEqual(['first']);
  expect(error.code).toBe('UPSTREAM_TIMEOUT');
  expect(error.message).toBe('gpt failed mid-stream: no answer within 300 ms');
  const result = await stream.result;
  expect(result).toMatchObject({ outcome: 'failed', finishReason: 'error', text: 'first', error: { code: 'PROVIDER_TIMEOUT' } });
  expect((await allRecords(ledger)).map((r) => r.outputTokens)).toEqual([estimateTokens('first')]);
});

test('over budget: BUDGET_EXCEEDED before any request; JSON output cannot stream', async () => {
  const { ai } = setup();
  const before = openai.requests.length + anthropic.requests.length;
  const refused = (await ai.streamChat({ request: { messages: USER_HELLO }, tenant: { tenant: 'acme', budget: { dailyUsd: 0 } } }).catch((err: unknown) => err)) as CharterError;
  expect(refused.code).toBe('BUDGET_EXCEEDED');
  const json = (await ai.streamChat({ request: { messages: USER_HELLO, responseFormat: { type: 'json' } }, tenant }).catch((err: unknown) => err)) as CharterError;
  expect(json.code).toBe('BAD_USER_INPUT');
  expect(openai.requests.length + anthropic.requests.length).toBe(before);
});

test('every model failing before the first token is UPSTREAM_UNAVAILABLE with no charge', async () => {
  const { ai, ledger } = setup();
  openai.enqueue({ kind: 'status', status: 503 });
  anthropic.enqueue({ kind: 'status', status: 529 });
  const error = (await ai.streamChat({ request: { messages: USER_HELLO }, tenant }).catch((err: unknown) => err)) as CharterError;
  expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  expect(error.message).toBe('no model answered (gpt: PROVIDER_ERROR, claude: PROVIDER_ERROR)');
  expect(await allRecords(ledger)).toEqual([]);
});
