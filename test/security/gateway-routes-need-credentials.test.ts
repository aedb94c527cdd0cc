/**
 * Every gateway route that reads private data or costs money refuses a caller without credentials,
 * and a restricted tenant's key is no metrics token and opens no /v1 route its policy denies. Only
 * /health and /ready (no data) answer anyone. A new route belongs in ROUTES below.
 */
import { startDevStack, type DevStack } from '../../cli/commands/dev';
import { loadConfig } from '../../cli/config';
import { REPO_ROOT, tempDir } from '../support/charter-process';
import { freePortRange } from '../support/ports';

let stack: DevStack;
let base: string;

// Three cells in every row: jest hands a shorter row's test a `done` callback instead.
const ROUTES: Array<[method: string, path: string, body: unknown]> = [
  ['POST', '/graphql', { query: '{ products(first: 1) { name } }' }],
  ['GET', '/graphql?query=%7B__typename%7D', undefined],
  ['POST', '/v1/chat/completions', { model: 'local/echo', messages: [{ role: 'user', content: 'hi' }] }],
  ['POST', '/v1/messages', { model: 'local/echo', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }],
  ['POST', '/v1/embeddings', { model: 'local/embed', input: 'hi' }],
  ['GET', '/v1/models', undefined],
  ['GET', '/v1/models/local%2Fecho', undefined],
  ['POST', '/v1/prompts/sentiment', { text: 'x' }],
  ['POST', '/v1/anything', {}],
  ['GET', '/metrics', undefined],
];

beforeAll(async () => {
  const port = await freePortRange(20);
  stack = await startDevStack(loadConfig(`${REPO_ROOT}/charter.config.yaml`, { PORT: String(port), CHARTER_DATA_DIR: tempDir('routes') }));
  base = stack.gatewayUrl.replace(/\/graphql$/, '');
});
afterAll(() => stack?.close());

function send(method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', accept: 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
}

test.each(ROUTES)('%s %s answers 401 without credentials', async (method, path, body) => {
  const attempts: Array<Record<string, string>> = [{}, { 'x-api-key': 'ck_acme_forged' }, { authorization: 'Bearer not-a-key' }];
  for (const headers of attempts) {
    const res = await send(method, path, body, headers);
    expect({ path, headers, status: res.status }).toEqual({ path, headers, status: 401 });
    expect(await res.text()).not.toMatch(/Echo|local\/echo|charter_requests|"data":\{/);
  }
});

test('a restricted tenant key is refused where its policy or role does not reach', async () => {
  const initech = { authorization: `Bearer ${stack.demoKeys.find((k) => k.tenant === 'initech')!.apiKey}` };
  expect((await send('GET', '/metrics', undefined, initech)).status).toBe(401);
  for (const [method, path, body] of ROUTES.filter(([, p]) => p.startsWith('/v1/') && p !== '/v1/anything')) {
    const res = await send(method, path, body, initech);
    expect({ path, status: res.status }).toEqual({ path, status: 403 });
  }
});

test('/health and /ready answer anyone and carry no tenant data', async () => {
  for (const path of ['/health', '/ready']) {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(200);
    expect(await res.text()).not.toMatch(/acme|globex|initech/);
  }
});
