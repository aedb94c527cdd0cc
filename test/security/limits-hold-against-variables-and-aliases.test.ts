/**
 * Limits read the operation as it will run. Attacks reproduced from the hardening issue, against the
 * demo stack `npm start` runs: `first: $n` given as a variable was ignored by the cost limit, nested
 * lists without `first` counted as one element, 3,000 aliases of `__typename` passed, variables
 * nested 5,000 deep answered 500, and any tenant could learn whether another had registered a
 * persisted-query hash (and broken operations were kept by the caches).
 */
import crypto from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { startDevStack, type DevStack } from '../../cli/commands/dev';
import { loadConfig } from '../../cli/config';
import { graphql, REPO_ROOT, tempDir } from '../support/charter-process';
import { freePortRange } from '../support/ports';

let stack: DevStack;
const key = (tenant: string) => stack.demoKeys.find((k) => k.tenant === tenant)!.apiKey;
const as = (tenant: string) => ({ 'x-api-key': key(tenant) });

beforeAll(async () => {
  const port = await freePortRange(20);
  stack = await startDevStack(loadConfig(`${REPO_ROOT}/charter.config.yaml`, { PORT: String(port), CHARTER_DATA_DIR: tempDir('limits') }));
});
afterAll(() => stack?.close());

function expectLimit(res: { status: number; body: any }, what: string): void {
  expect(res.status).toBe(400);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors).toEqual([{ message: `The operation exceeds the ${what} limit of its plan`, extensions: { code: 'OPERATION_LIMIT_EXCEEDED' } }]);
}

const NESTED = 'reviews { author { reviews { product { reviews { body rating } } } } }';

test('first given as a variable counts: a large $n is refused before any subgraph is called', async () => {
  const query = `query Top($n: Int) { products(first: $n) { name ${NESTED} } }`;
  expectLimit(await graphql(stack.gatewayUrl, query, { variables: { n: 100_000 }, headers: as('acme') }), 'cost');
  // The same operation with a small $n is an ordinary query.
  const small = await graphql(stack.gatewayUrl, query, { variables: { n: 1 }, headers: as('acme') });
  expect(small.status).toBe(200);
  expect(small.body.errors).toBeUndefined();
});

test('nested lists without first count as lists (the 97,200-leaf query of 200 bytes is refused)', async () => {
  const query = `{ products(first: 100) { ${NESTED} } }`;
  expect(Buffer.byteLength(query)).toBeLessThan(200);
  expectLimit(await graphql(stack.gatewayUrl, query, { headers: as('acme') }), 'cost');
});

test('aliases of __typename are counted: 3,000 of them are refused, as are aliases hidden in fragments', async () => {
  const typenames = Array.from({ length: 3000 }, (_, i) => `t${i}: __typename`).join(' ');
  expectLimit(await graphql(stack.gatewayUrl, `{ ${typenames} }`, { headers: as('acme') }), 'alias');
  const viaFragments = `{ ...F ...F ...F ...F } fragment F on Query { ${Array.from({ length: 10 }, (_, i) => `x${i}: __typename`).join(' ')} }`;
  expectLimit(await graphql(stack.gatewayUrl, viaFragments, { headers: as('acme') }), 'alias');
});

test("GraphiQL's introspection query stays within the default limits", async () => {
  const res = await graphql(stack.gatewayUrl, getIntrospectionQuery(), { headers: as('acme') });
  expect(res.status).toBe(200);
  expect(res.body.data.__schema.queryType.name).toBe('Query');
});

test('variables nested 5,000 deep answer 400 with a code, and the gateway stays healthy', async () => {
  // Written as text: even the test's own JSON.stringify would overflow on it.
  const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
  const res = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...as('acme') },
    body: `{"query":"query Q($v: String) { products(first: 1) { name } }","variables":{"v":${deep}}}`,
  });
  expect(res.status).toBe(400);
  expect((await res.json()).errors[0]).toMatchObject({ message: '"variables" is nested too deeply', extensions: { code: 'BAD_REQUEST' } });
  // Over GET the URL length caps it first (431); 100 deep fits in a URL and is still refused.
  const deepArray = `${'['.repeat(100)}1${']'.repeat(100)}`;
  const viaGet = await fetch(`${stack.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}&extensions=${encodeURIComponent(`{"x":${deepArray}}`)}`, { headers: as('acme') });
  expect(viaGet.status).toBe(400);
  expect((await viaGet.json()).errors[0].extensions.code).toBe('BAD_REQUEST');
  expect((await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/health'))).status).toBe(200);
});

describe('persisted queries: one namespace per tenant, only operations that passed the checks', () => {
  const persisted = (query: string | undefined, hash: string, tenant: string) =>
    fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...as(tenant) },
      body: JSON.stringify({ ...(query ? { query } : {}), extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }),
    }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

  test("a tenant cannot learn whether another registered a hash, nor run another's", async () => {
    const query = '{ products(first: 2) { name } }';
    const registered = await persisted(query, sha(query), 'acme');
    expect(registered.body.data.products).toHaveLength(2);
    expect((await persisted(undefined, sha(query), 'acme')).body.data.products).toHaveLength(2);
    const probe = await persisted(undefined, sha(query), 'globex');
    expect(probe).toEqual({ status: 200, body: { errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } });
  });

  test('an operation that fails validation or the limits is not stored', async () => {
    const invalid = '{ noSuchField }';
    expect((await persisted(invalid, sha(invalid), 'acme')).status).toBe(400);
    expect((await persisted(undefined, sha(invalid), 'acme')).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const costly = `{ products(first: 100) { ${NESTED} } }`;
    expect((await persisted(costly, sha(costly), 'acme')).status).toBe(400);
    expect((await persisted(undefined, sha(costly), 'acme')).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });
});
