/**
 * The AI subgraph in the stack `npm start` runs: chat and a prompt template (published through the
 * registry as subgraph `ai`) answered as typed GraphQL fields at the gateway, usage metered per
 * tenant, and the OpenAI-compatible API reached through the gateway with the tenant's key.
 */
import { startDevStack, type DevStack } from '../cli/commands/dev';
import { loadConfig } from '../cli/config';
import { graphql, REPO_ROOT, tempDir } from './support/charter-process';
import { freePortRange } from './support/ports';

let stack: DevStack;
let base: string;
const key = (tenant: string) => stack.demoKeys.find((k) => k.tenant === tenant)!.apiKey;

beforeAll(async () => {
  const port = await freePortRange(20);
  stack = await startDevStack(loadConfig(`${REPO_ROOT}/charter.config.yaml`, { PORT: String(port), CHARTER_DATA_DIR: tempDir('ai') }));
  base = stack.gatewayUrl.replace(/\/graphql$/, '');
});
afterAll(() => stack?.close());

test('chat and the sentiment template are typed fields of the one endpoint, metered per tenant', async () => {
  const query = `{
    chat(input: { model: "local/echo", messages: [{ role: USER, content: "hello there" }] }) { text model provider finishReason usage { inputTokens outputTokens } }
    sentiment(text: "I love this lamp") { label score }
  }`;
  const { status, body } = await graphql(stack.gatewayUrl, query, { headers: { 'x-api-key': key('globex') } });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data.chat).toMatchObject({ text: 'Echo: hello there', model: 'local/echo', provider: 'local', finishReason: 'STOP' });
  expect(body.data.chat.usage.outputTokens).toBeGreaterThan(0);
  expect(body.data.sentiment).toEqual({ label: 'POSITIVE', score: 0.5 });

  const today = new Date().toISOString().slice(0, 10);
  const usage = await graphql(stack.gatewayUrl, `{ aiUsage(from: "${today}", to: "${today}", groupBy: TENANT) { key requests } }`, { headers: { 'x-api-key': key('globex') } });
  expect(usage.body.errors).toBeUndefined();
  expect(usage.body.data.aiUsage).toEqual([{ key: "globex", requests: 2 }]);
});

test('a tenant whose policy does not name the AI fields cannot call them', async () => {
  const { body } = await graphql(stack.gatewayUrl, '{ sentiment(text: "x") { label } }', { headers: { 'x-api-key': key('initech') } });
  expect(body.data).toBeNull();
  expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
});

test('OpenAI-compatible chat completions through the gateway, plain and streamed', async () => {
  const request = { model: 'local/echo', messages: [{ role: 'user', content: 'stream me' }] };
  // Exactly as the official OpenAI client sends its key: as a bearer token.
  const plain = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key('acme')}` }, body: JSON.stringify(request) });
  expect(plain.status).toBe(200);
  const json = await plain.json();
  expect(json.object).toBe('chat.completion');
  expect(json.choices[0].message).toEqual({ role: 'assistant', content: 'Echo: stream me' });

  const streamed = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key('acme') }, body: JSON.stringify({ ...request, stream: true }) });
  expect(streamed.headers.get('content-type')).toMatch(/text\/event-stream/);
  const text = await streamed.text();
  const frames = text.split('\n\n').filter(Boolean);
  expect(frames.at(-1)).toBe('data: [DONE]');
  const content = frames.slice(0, -1).map((f) => JSON.parse(f.slice('data: '.length)).choices[0]?.delta?.content ?? '').join('');
  expect(content).toBe('Echo: stream me');
});

test('the OpenAI-compatible API needs a tenant key, and the AI subgraph refuses direct calls', async () => {
  const noKey = await fetch(`${base}/v1/models`);
  expect(noKey.status).toBe(401);
  const wrongKey = await fetch(`${base}/v1/models`, { headers: { authorization: 'Bearer ck_acme_not-a-real-key' } });
  expect(wrongKey.status).toBe(401);
  const models = await fetch(`${base}/v1/models`, { headers: { 'x-api-key': key('acme') } });
  expect((await models.json()).data.map((m: any) => m.id)).toContain('local/echo');
});
