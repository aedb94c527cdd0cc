/**
 * The stack `npm start` runs (startDevStack, in-process so the test can read the demo backends'
 * request counts): one query crosses all four REST-wrapped subgraphs, returns exactly the demo data,
 * and costs one backend call per entity type per level.
 */
import { startDevStack, type DevStack } from '../cli/commands/dev';
import { loadConfig } from '../cli/config';
import { DEMO_INVENTORY, DEMO_PRODUCTS, DEMO_REVIEWS, DEMO_USERS } from '../subgraphs/rest/demo/data';
import { graphql, REPO_ROOT, tempDir } from './support/charter-process';
import { freePortRange } from './support/ports';

let stack: DevStack;
let headers: Record<string, string>;

beforeAll(async () => {
  const port = await freePortRange(20);
  const config = loadConfig(`${REPO_ROOT}/charter.config.yaml`, { PORT: String(port), CHARTER_DATA_DIR: tempDir('fq') });
  stack = await startDevStack(config);
  headers = { 'x-api-key': stack.demoKeys.find((k) => k.tenant === 'acme')!.apiKey };
});

afterAll(() => stack?.close());

const QUERY = /* GraphQL */ `
  query TopProducts($first: Int!) {
    products(first: $first) {
      id
      name
      price
      inStock
      reviews {
        rating
        body
        author { name }
      }
    }
  }
`;

function expectedProducts(first: number) {
  return DEMO_PRODUCTS.slice(0, first).map((p) => ({
    id: p.id,
    name: p.name,
    price: p.price,
    inStock: DEMO_INVENTORY.find((i) => i.productId === p.id)!.quantity > 0,
    reviews: DEMO_REVIEWS.filter((r) => r.productId === p.id).map((r) => ({
      rating: r.rating,
      body: r.body,
      author: { name: DEMO_USERS.find((u) => u.id === r.authorId)!.name },
    })),
  }));
}

test('a query crossing all four subgraphs returns exactly the demo data', async () => {
  const { status, body } = await graphql(stack.gatewayUrl, QUERY, { variables: { first: 20 }, headers });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data.products).toEqual(expectedProducts(20));
  // The data set must make the query meaningful: reviews and authors are really there.
  expect(body.data.products.flatMap((p: any) => p.reviews).length).toBeGreaterThan(20);
});

test('20 products with reviews and authors cost one backend call per entity type per level', async () => {
  const backends = stack.demo!.backends;
  for (const b of Object.values(backends)) b.resetStats();
  await graphql(stack.gatewayUrl, QUERY, { variables: { first: 20 }, headers });
  expect({
    catalog: backends.catalog.stats().requests,
    inventory: backends.inventory.stats().requests,
    reviews: backends.reviews.stats().requests,
    users: backends.users.stats().requests,
  }).toEqual({ catalog: 1, inventory: 1, reviews: 1, users: 1 });
});

test('a REST backend that is down yields partial data with an error at its path', async () => {
  const catalog = stack.demo!.backends.catalog;
  catalog.setDown(true);
  try {
    const { status, body } = await graphql(stack.gatewayUrl, '{ product(id: "1") { name } user(id: "2") { name } }', { headers });
    expect(status).toBe(200);
    expect(body.data).toEqual({ product: null, user: { name: DEMO_USERS[1]!.name } });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].path).toEqual(['product']);
    expect(body.errors[0].extensions.code).toBe('UPSTREAM_ERROR');
  } finally {
    catalog.setDown(false);
  }
  const after = await graphql(stack.gatewayUrl, '{ product(id: "1") { name } }', { headers });
  expect(after.body).toEqual({ data: { product: { name: DEMO_PRODUCTS[0]!.name } } });
});

describe('malformed requests get a 4xx with a clear message, never a 500', () => {
  test('a query that does not parse', async () => {
    const { status, body } = await graphql(stack.gatewayUrl, '{ products(first: 2) { name ', { headers });
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(body.errors[0].message).toMatch(/Syntax Error/);
  });

  test('a body that is not JSON', async () => {
    const res = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"query": ' });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].message).toMatch(/not valid JSON/);
  });

  test('a body without a query', async () => {
    const res = await fetch(stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{"variables": {}}' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/query/i);
  });

  test('a field that does not exist', async () => {
    const { status, body } = await graphql(stack.gatewayUrl, '{ products { nope } }', { headers });
    expect(status).toBe(400);
    expect(body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(body.errors[0].message).toContain('nope');
  });

  test('a missing or unknown API key is 401 UNAUTHENTICATED', async () => {
    for (const h of [{}, { 'x-api-key': 'ck_nobody_000' }] as Array<Record<string, string>>) {
      const { status, body } = await graphql(stack.gatewayUrl, '{ products { name } }', { headers: h });
      expect(status).toBe(401);
      expect(body.errors[0]).toEqual({ message: 'Missing or invalid credentials', extensions: { code: 'UNAUTHENTICATED' } });
    }
  });
});

test('catalog answers are cached at the gateway for the TTL the subgraphs hint', async () => {
  const catalog = stack.demo!.backends.catalog;
  catalog.resetStats();
  const first = await graphql(stack.gatewayUrl, '{ products(first: 7) { name price } }', { headers });
  const second = await graphql(stack.gatewayUrl, '{ products(first: 7) { name price } }', { headers });
  expect(second.body).toEqual(first.body);
  expect(catalog.stats().requests).toBe(1);
  expect(second.headers.get('cache-control')).toMatch(/^max-age=(29|30), public$/);
  // A query that also reads accounts (no cache hint) is never cached.
  const withAuthors = '{ products(first: 1) { reviews { author { name } } } }';
  await graphql(stack.gatewayUrl, withAuthors, { headers });
  expect((await graphql(stack.gatewayUrl, withAuthors, { headers })).headers.get('cache-control')).toBe('no-store');
});
