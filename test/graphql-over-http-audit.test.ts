/**
 * GraphQL over HTTP conformance: the third-party `graphql-http` server audit runs against the
 * gateway (the demo stack, with a tenant key added to every request) and must report no error and
 * no warning. Media types: `application/graphql-response+json` when the client asks for it (with
 * the spec's status codes), `application/json` for older clients.
 */
import { auditServer } from 'graphql-http';
import { startDevStack, type DevStack } from '../cli/commands/dev';
import { loadConfig } from '../cli/config';
import { REPO_ROOT, tempDir } from './support/charter-process';
import { freePortRange } from './support/ports';

let stack: DevStack;
let key: string;

beforeAll(async () => {
  const port = await freePortRange(20);
  stack = await startDevStack(loadConfig(`${REPO_ROOT}/charter.config.yaml`, { PORT: String(port), CHARTER_DATA_DIR: tempDir('http-audit') }));
  key = stack.demoKeys.find((k) => k.tenant === 'acme')!.apiKey;
});
afterAll(() => stack?.close());

const withKey: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('x-api-key', key);
  return fetch(input, { ...init, headers });
};

test('the graphql-http server audit passes with no error and no warning', async () => {
  const results = await auditServer({ url: stack.gatewayUrl, fetchFn: withKey });
  const notOk = results.filter((r) => r.status !== 'ok').map((r) => `${r.status} ${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
  expect(notOk).toEqual([]);
  expect(results.length).toBeGreaterThan(50);
});

test('application/graphql-response+json is served when asked for, application/json otherwise', async () => {
  const ask = (accept?: string) => withKey(`${stack.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, { headers: accept ? { accept } : {} });
  expect((await ask('application/graphql-response+json')).headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
  expect((await ask('application/graphql-response+json, application/json;q=0.9')).headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
  expect((await ask('application/json')).headers.get('content-type')).toMatch(/^application\/json/);
  expect((await ask()).headers.get('content-type')).toMatch(/^application\/json/);
});

test("request errors: 400 with the spec's media type or no preference, 200 for clients that asked for application/json only", async () => {
  const invalid = (accept?: string) =>
    withKey(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...(accept ? { accept } : {}) }, body: JSON.stringify({ query: '{ noSuchField }' }) });
  const modern = await invalid('application/graphql-response+json');
  expect([modern.status, (await modern.json()).errors[0].extensions.code]).toEqual([400, 'GRAPHQL_VALIDATION_FAILED']);
  expect((await invalid()).status).toBe(400);
  const legacy = await invalid('application/json');
  expect([legacy.status, (await legacy.json()).errors[0].extensions.code]).toEqual([200, 'GRAPHQL_VALIDATION_FAILED']);
  // Refusals that are not GraphQL request errors keep their status whatever the media type.
  const noKey = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
  expect(noKey.status).toBe(401);
});
