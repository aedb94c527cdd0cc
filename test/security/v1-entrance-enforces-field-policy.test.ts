/**
 * The OpenAI-compatible entrance answers to the same field policy as GraphQL. Attack reproduced
 * from the hardening issue: `initech` is denied `Query.chat`, `Query.models` and the `sentiment`
 * prompt over GraphQL, yet got answers on /v1. Each /v1 route now stands for its field and is
 * refused (403, OpenAI error shape, nothing of the AI subgraph's answer) before the AI subgraph is
 * called; routes with no field behind them are refused as unknown, never proxied.
 */
import { startDevStack, type DevStack } from '../../cli/commands/dev';
import { loadConfig } from '../../cli/config';
import { graphql, REPO_ROOT, tempDir } from '../support/charter-process';
import { freePortRange } from '../support/ports';

let stack: DevStack;
let base: string;
const key = (tenant: string) => stack.demoKeys.find((k) => k.tenant === tenant)!.apiKey;
const chat = { model: 'local/echo', messages: [{ role: 'user', content: 'leak me' }] };

function call(path: string, tenant: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: init.method ?? (init.body ? 'POST' : 'GET'),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key(tenant)}` },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
}

beforeAll(async () => {
  const port = await freePortRange(20);
  stack = await startDevStack(loadConfig(`${REPO_ROOT}/charter.config.yaml`, { PORT: String(port), CHARTER_DATA_DIR: tempDir('v1-policy') }));
  base = stack.gatewayUrl.replace(/\/graphql$/, '');
});
afterAll(() => stack?.close());

test('over GraphQL initech is denied the AI fields (the premise)', async () => {
  const { body } = await graphql(stack.gatewayUrl, '{ sentiment(text: "x") { label } }', { headers: { 'x-api-key': key('initech') } });
  expect(body.data).toBeNull();
  expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
});

test.each([
  ['POST /v1/chat/completions', '/v1/chat/completions', chat],
  ['POST /v1/chat/completions (stream)', '/v1/chat/completions', { ...chat, stream: true }],
  ['POST /v1/messages', '/v1/messages', { model: 'local/echo', max_tokens: 50, messages: [{ role: 'user', content: 'leak me' }] }],
  ['POST /v1/embeddings', '/v1/embeddings', { model: 'local/embed', input: ['leak me'] }],
  ['GET /v1/models', '/v1/models', undefined],
  ['GET /v1/models/{id}', '/v1/models/local%2Fecho', undefined],
  ['POST /v1/prompts/sentiment', '/v1/prompts/sentiment', { text: 'I love this lamp' }],
])('%s is refused to a tenant whose policy denies the field behind it', async (_name, path, body) => {
  const res = await call(path, 'initech', { body });
  expect(res.status).toBe(403);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const text = await res.text();
  const json = JSON.parse(text);
  expect(json.error).toMatchObject({ type: 'permission_error', code: 'forbidden' });
  // Nothing of an answer: no completion, no model list, no template output.
  expect(text).not.toMatch(/Echo:|local\/echo|POSITIVE|chat\.completion|"data"/);
});

test('a tenant the policy allows still gets every route', async () => {
  const completion = await call('/v1/chat/completions', 'acme', { body: chat });
  expect(completion.status).toBe(200);
  expect((await completion.json()).choices[0].message.content).toBe('Echo: leak me');
  const models = await call('/v1/models', 'acme');
  expect(models.status).toBe(200);
  expect((await models.json()).data.map((m: { id: string }) => m.id)).toContain('local/echo');
  const prompt = await call('/v1/prompts/sentiment', 'acme', { body: { text: 'I love this lamp' } });
  expect(prompt.status).toBe(200);
  expect((await prompt.json()).output).toEqual({ label: 'POSITIVE', score: 0.5 });
  // Allowed field, wrong method: the AI subgraph's own 405, as before.
  expect((await call('/v1/chat/completions', 'acme', { method: 'GET' })).status).toBe(405);
});

test('routes with no field behind them are unknown, not proxied', async () => {
  for (const [method, path] of [
    ['POST', '/v1/prompts/noSuchTemplate'],
    ['POST', '/v1/prompts/..%2F..%2Fgraphql'],
    ['POST', '/v1/anything-else'],
    ['POST', '/v1/prompts/%E0%A4%A'],
  ] as const) {
    const res = await call(path, 'acme', { method, body: method === 'POST' ? chat : undefined });
    expect({ path, status: res.status }).toEqual({ path, status: 404 });
    expect((await res.json()).error.code).toBe('not_found');
  }
});
