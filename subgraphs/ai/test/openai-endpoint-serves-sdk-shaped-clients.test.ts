/**
 * `/v1/chat/completions` and `/v1/models` over real HTTP, called with exactly what the official
 * `openai` client sends: same answers, routing, budgets and metering as GraphQL, errors in OpenAI's shape.
 */
import { listen } from '../../../core/http';
import type { RunningServer } from '../../../core/http';
import { createAiHttpRoutes } from '../http-routes';
import { createAiService } from '../routing';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import type { TenantBudget } from '../models';
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, model, testConfig } from '../test-support/fixtures';
import { openAiSdkHeaders, principalFromTestHeader, readSse } from '../test-support/ai-http';

let fake: FakeServer;
let server: RunningServer;
let ledger: MemoryUsageLedger;
const budgets: Record<string, TenantBudget> = {
  broke: { dailyUsd: 0 },
  cheap: { allowedModels: ['local/echo'] },
};

beforeAll(async () => {
  fake = await startFakeOpenAI();
  const config = testConfig({
    providers: { oa: { kind: 'openai', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV }, local: { kind: 'local' } },
    models: [model('gpt', 'oa'), model('local/echo', 'local', { inputPricePerMTok: 0, outputPricePerMTok: 0 })],
    routes: { default: ['gpt', 'local/echo'], only: ['gpt'] },
    timeoutMs: 400,
  });
  ledger = new MemoryUsageLedger();
  const service = createAiService({ config, ledger });
  const routes = createAiHttpRoutes({ service, templates: [], resolvePrincipal: principalFromTestHeader, budgets: (tenant) => budgets[tenant] ?? {} });
  server = await listen(async (req, res) => {
    if (!(await routes(req, res))) {
      res.writeHead(418);
      res.end('not mine');
    }
  });
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

const records = () => ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) });

function post(path: string, body: unknown, headers: Record<string, string> = openAiSdkHeaders('acme')): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

test('a non-streaming completion answers in the chat.completion shape and is metered for the tenant and key', async () => {
  fake.enqueue({ kind: 'reply', text: 'Paris is the capital.', inputTokens: 20, outputTokens: 6 });
  const before = (await records()).length;
  const response = await post('/v1/chat/completions', { model: 'gpt', messages: [{ role: 'user', content: 'Capital of France?' }] }, { ...openAiSdkHeaders('acme'), 'x-test-key': 'key-7' });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  const body = await response.json();
  expect(body).toEqual({
    id: expect.stringMatching(/^chatcmpl-[0-9a-f]{32}$/),
    object: 'chat.completion',
    created: expect.any(Number),
    model: 'gpt',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Paris is the capital.' }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 20, completion_tokens: 6, total_tokens: 26 },
    charter: { provider: 'oa', cost_usd: expect.any(Number), attempts: [{ model: 'gpt', provider: 'oa' }] },
  });
  expect(body.charter.cost_usd).toBeCloseTo((20 * 2.5 + 6 * 10) / 1e6, 15);
  expect(Math.abs(body.created - Date.now() / 1000)).toBeLessThan(5);
  expect(fake.requests.at(-1)!.body.messages).toEqual([{ role: 'user', content: 'Capital of France?' }]);
  const added = (await records()).slice(before);
  expect(added.map((r) => [r.tenant, r.keyId, r.model, r.inputTokens, r.outputTokens])).toEqual([['acme', 'key-7', 'gpt', 20, 6]]);
});

test('stream: true answers with OpenAI chunks ending in [DONE], usage in the last chunk when asked', async () => {
  fake.enqueue({ kind: 'reply', text: 'one two three', inputTokens: 11, outputTokens: 3 });
  const response = await post(
    '/v1/chat/completions',
    { model: 'gpt', messages: [{ role: 'system', content: 'terse' }, { role: 'user', content: 'count' }], stream: true, stream_options: { include_usage: true } },
    openAiSdkHeaders('acme', true),
  );
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const frames = await readSse(response);
  expect(frames.at(-1)).toBe('[DONE]');
  const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame));
  const id = chunks[0].id;
  for (const chunk of chunks) expect(chunk).toMatchObject({ id, object: 'chat.completion.chunk', model: 'gpt', created: expect.any(Number) });
  expect(chunks[0].choices).toEqual([{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }]);
  expect(chunks.slice(1, -2).map((chunk) => chunk.choices[0].delta.content)).toEqual(['one', ' two', ' three']);
  expect(chunks.at(-2).choices).toEqual([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
  // With include_usage every other chunk carries usage: null, and the last one the totals.
  for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull();
  expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 11, completion_tokens: 3, total_tokens: 14 }, charter: { provider: 'oa' } });
  expect(fake.requests.at(-1)!.body.stream).toBe(true);
});

test('without include_usage the stream has no usage chunk; a route name works as the model', async () => {
  const response = await post('/v1/chat/completions', { model: 'local/echo', messages: [{ role: 'user', content: 'hi there' }], stream: true }, openAiSdkHeaders('acme', true));
  const frames = await readSse(response);
  const chunks = frames.slice(0, -1).map((frame) => JSON.parse(frame));
  expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? null).join('')).toBe('Echo: hi there');
  expect(chunks.every((chunk) => !('usage' in chunk))).toBe(true);
  expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');

  fake.enqueue({ kind: 'status', status: 500 });
  const routed = await (await post('/v1/chat/completions', { model: 'default', messages: [{ role: 'user', content: 'x' }] })).json();
  expect(routed.model).toBe('local/echo');
  expect(routed.charter.attempts.map((attempt: { model: string; error?: { code: string } }) => [attempt.model, attempt.error?.code ?? null])).toEqual([
    ['gpt', 'PROVIDER_ERROR'],
    ['local/echo', null],
  ]);
});

test('GET /v1/models lists the models the tenant may use, in the OpenAI list shape', async () => {
  const all = await fetch(`${server.url}/v1/models`, { headers: openAiSdkHeaders('acme') });
  expect(await all.json()).toEqual({
    object: 'list',
    data: [
      { id: 'gpt', object: 'model', created: 0, owned_by: 'oa' },
      { id: 'local/echo', object: 'model', created: 0, owned_by: 'local' },
    ],
  });
  const limited = await fetch(`${server.url}/v1/models`, { headers: openAiSdkHeaders('cheap') });
  expect((await limited.json()).data.map((entry: { id: string }) => entry.id)).toEqual(['local/echo']);
  const one = await fetch(`${server.url}/v1/models/local%2Fecho`, { headers: openAiSdkHeaders('acme') });
  expect(await one.json()).toEqual({ id: 'local/echo', object: 'model', created: 0, owned_by: 'local' });
  const hidden = await fetch(`${server.url}/v1/models/gpt`, { headers: openAiSdkHeaders('cheap') });
  expect(hidden.status).toBe(404);
});

test('over budget: 429 insufficient_quota, streaming or not, and the provider gets zero requests', async () => {
  const before = fake.requests.length;
  const plain = await post('/v1/chat/completions', { model: 'gpt', messages: [{ role: 'user', content: 'x' }] }, openAiSdkHeaders('broke'));
  expect(plain.status).toBe(429);
  expect(await plain.json()).toEqual({
    error: { message: 'daily budget of $0.00 for tenant broke is spent', type: 'insufficient_quota', code: 'budget_exceeded', param: null },
  });
  const streamed = await post('/v1/chat/completions', { model: 'gpt', messages: [{ role: 'user', content: 'x' }], stream: true }, openAiSdkHeaders('broke', true));
  expect(streamed.status).toBe(429);
  expect(streamed.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect((await streamed.json()).error.code).toBe('budget_exceeded');
  expect(fake.requests.length).toBe(before);
  expect((await records()).filter((r) => r.tenant === 'broke')).toEqual([]);
});

test.each([
  ['no caller', 'gpt', undefined, {}, 401, 'authentication_error', 'unauthenticated'],
  ['an unknown model', 'gpt-9', 'acme', {}, 404, 'invalid_request_error', 'model_not_found'],
  ['a model the tenant may not use', 'gpt', 'cheap', {}, 403, 'permission_error', 'forbidden'],
  ['a malformed message', 'gpt', 'acme', { messages: [{ role: 'wizard', content: 'x' }] }, 400, 'invalid_request_error', 'bad_user_input'],
  ['a bad temperature', 'gpt', 'acme', { temperature: 7 }, 400, 'invalid_request_error', 'bad_user_input'],
])('%s is refused with its status and the OpenAI error shape', async (_label, modelId, tenant, extra, status, type, code) => {
  const before = fake.requests.length;
  const response = await post('/v1/chat/completions', { model: modelId, messages: [{ role: 'user', content: 'x' }], ...extra }, openAiSdkHeaders(tenant));
  expect(response.status).toBe(status);
  const body = await response.json();
  expect(body).toEqual({ error: { message: expect.any(String), type, code, param: null } });
  expect(fake.requests.length).toBe(before);
});

test('a body that is not JSON is 400; a wrong method is 405; other paths are not handled', async () => {
  const notJson = await post('/v1/chat/completions', '{"model": ');
  expect(notJson.status).toBe(400);
  expect((await notJson.json()).error).toEqual({ message: 'Request body is not valid JSON', type: 'api_error', code: 'bad_request', param: null });
  const wrongMethod = await fetch(`${server.url}/v1/chat/completions`, { headers: openAiSdkHeaders('acme') });
  expect(wrongMethod.status).toBe(405);
  expect(wrongMethod.headers.get('allow')).toBe('POST');
  const other = await fetch(`${server.url}/v1/audio/speech`, { method: 'POST', headers: openAiSdkHeaders('acme'), body: '{}' });
  expect(other.status).toBe(418);
});

test('upstream failures: 502 when every model fails, 504 when the only model hangs', async () => {
  fake.enqueue({ kind: 'status', status: 500 });
  const failed = await post('/v1/chat/completions', { model: 'only', messages: [{ role: 'user', content: 'x' }] });
  expect(failed.status).toBe(502);
  expect((await failed.json()).error).toMatchObject({ type: 'api_error', code: 'upstream_unavailable', message: 'no model answered (gpt: PROVIDER_ERROR)' });
  fake.enqueue({ kind: 'hang' });
  const hung = await post('/v1/chat/completions', { model: 'gpt', messages: [{ role: 'user', content: 'x' }], stream: true }, openAiSdkHeaders('acme', true));
  expect(hung.status).toBe(504);
  expect((await hung.json()).error.code).toBe('upstream_timeout');
});
