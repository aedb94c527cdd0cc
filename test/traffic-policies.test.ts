/**
 * Traffic policies through the real gateway: per-tenant rate limits with standard headers, the
 * response cache (identical answers, never shared across tenants or permission sets, never for
 * mutations or errors), operation limits refused before any subgraph call, body size, a slow
 * subgraph timing out while the rest answers, persisted queries, trusted documents, and /metrics.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { TenantConfig } from '../cli/config';
import type { RunningServer } from '../core/http';
import { createLogger } from '../core/logger';
import { createPrincipalVerifier } from '../core/principal-signature';
import { ApiKeyDirectory, hashApiKey } from '../gateway/auth/api-keys';
import { sha256Hex } from '../gateway/pipeline/persisted-queries';
import { startGateway, type RunningGateway } from '../gateway/server';
import { fileSupergraphSource } from '../gateway/supergraph/file-source';
import { TenantDirectory } from '../gateway/tenants/tenant-directory';
import { composeSubgraphs } from '../governance/check';
import { startSubgraphServer } from '../subgraphs/serve';
import { graphql, tempDir } from './support/charter-process';
import { SHOP_SDL, startShopSubgraph, type ShopSubgraph } from './support/shop-subgraph';

const SECRET = 'traffic';
const TRUSTED_QUERY = '{ products { name } }';
const tenant = (id: string, plan: TenantConfig['plan'], policy: unknown = { fallback: 'allow' }, roles: string[] = []): TenantConfig => ({
  id,
  roles,
  scopes: [],
  plan,
  policy,
  apiKeys: [{ id: `${id}-key`, sha256: hashApiKey(`key-${id}`) }],
});
const TENANTS = [
  tenant('acme', {}),
  tenant('limited', { rateLimit: { requestsPerMinute: 60, burst: 3 } }),
  tenant('nopii', {}, { fallback: 'allow', rules: { 'User.email': 'deny' } }),
  tenant('tight', { limits: { maxDepth: 4, maxAliases: 2 } }),
  tenant('trusted', { trustedDocuments: true }),
];
const as = (id: string) => ({ headers: { 'x-api-key': `key-${id}` } });

let shop: ShopSubgraph;
let slow: RunningServer;
let gateway: RunningGateway;
let endpoint: string;

beforeAll(async () => {
  shop = await startShopSubgraph(SECRET, { cacheMaxAgeSec: 30 });
  const slowSdl = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\ntype Query { slowThing: String }';
  slow = await startSubgraphServer({
    name: 'slow',
    schema: buildSubgraphSchema({ typeDefs: parse(slowSdl), resolvers: { Query: { slowThing: () => new Promise((r) => setTimeout(() => r('late'), 2000)) } } }),
    verify: createPrincipalVerifier({ secret: SECRET, audience: 'slow' }),
  });
  const composed = composeSubgraphs([
    { name: 'shop', url: `${shop.url}/graphql`, sdl: SHOP_SDL },
    { name: 'slow', url: `${slow.url}/graphql`, sdl: slowSdl },
  ]);
  if (!composed.ok) throw new Error(JSON.stringify(composed.errors));
  const file = path.join(tempDir('traffic'), 'supergraph.graphql');
  fs.writeFileSync(file, composed.supergraphSdl);
  gateway = await startGateway({
    source: fileSupergraphSource(file),
    keys: new ApiKeyDirectory(TENANTS),
    tenants: new TenantDirectory(TENANTS),
    subgraphSecret: SECRET,
    metricsToken: 'metrics-test-token',
    logger: createLogger('test', 'silent'),
    subgraphs: { slow: { timeoutMs: 300, retries: 0 } },
    trustedDocuments: new Set([sha256Hex(TRUSTED_QUERY)]),
  });
  await gateway.ready;
  endpoint = `${gateway.url}/graphql`;
});

afterAll(async () => {
  await gateway?.close();
  await slow?.close();
  await shop?.close();
});

describe('rate limits', () => {
  test('a tenant over its plan gets 429 with Retry-After and RateLimit headers; others are unaffected', async () => {
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof graphql>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await graphql(endpoint, '{ whoami }', as('limited'));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last!.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(last!.headers.get('ratelimit-policy')).toMatch(/"tenant";q=3;w=\d+/);
    expect(last!.headers.get('ratelimit')).toMatch(/r=0/);
    expect((await graphql(endpoint, '{ whoami }', as('acme'))).status).toBe(200);
    // The OpenAI-compatible API draws from the same buckets, and refuses in OpenAI's error shape.
    const ai = await fetch(`${gateway.url}/v1/models`, { headers: { authorization: 'Bearer key-limited' } });
    expect(ai.status).toBe(429);
    expect((await ai.json()).error.code).toBe('rate_limited');
    expect(ai.headers.get('retry-after')).toMatch(/^\d+$/);
    // With no ai subgraph in the supergraph, the API says so rather than failing.
    const missing = await fetch(`${gateway.url}/v1/models`, { headers: { authorization: 'Bearer key-acme' } });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.message).toMatch(/AI subgraph is not part of the current supergraph/);
  });
});

describe('response cache', () => {
  test('a repeated query is served from cache, byte-identical, with Cache-Control and Age', async () => {
    const before = shop.calls.operations;
    const first = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'key-acme' }, body: JSON.stringify({ query: '{ users { name email } }' }) });
    const firstText = await first.text();
    const second = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'key-acme' }, body: JSON.stringify({ query: '{ users { name email } }' }) });
    expect(await second.text()).toBe(firstText);
    expect(shop.calls.operations).toBe(before + 1);
    expect(second.headers.get('cache-control')).toMatch(/max-age=\d+, public/);
    expect(second.headers.get('age')).toMatch(/^\d+$/);
  });

  test('never shared across tenants or permission sets', async () => {
    const query = '{ users { email } }';
    const acme = await graphql(endpoint, query, as('acme'));
    const nopii = await graphql(endpoint, query, as('nopii'));
    expect(acme.body.data.users[0].email).toBe('ada@example.com');
    expect(nopii.body.data.users[0].email).toBeNull();
    const acmeAgain = await graphql(endpoint, query, as('acme'));
    expect(acmeAgain.body).toEqual(acme.body);
  });

  test('mutations and answers with errors are never cached', async () => {
    const before = shop.calls.addProduct;
    await graphql(endpoint, 'mutation { addProduct(name: "A") { name } }', as('acme'));
    await graphql(endpoint, 'mutation { addProduct(name: "A") { name } }', as('acme'));
    expect(shop.calls.addProduct).toBe(before + 2);
    const partial = await graphql(endpoint, '{ products { name } slowThing }', as('acme'));
    expect(partial.headers.get('cache-control')).toBe('no-store');
  });
});

describe('operation limits are refused before any subgraph call', () => {
  const refused = async (query: string, who = 'tight') => {
    const before = shop.calls.operations;
    const res = await graphql(endpoint, query, as(who));
    expect(shop.calls.operations).toBe(before);
    return res;
  };

  test('an alias bomb', async () => {
    const { status, body } = await refused(`{ ${Array.from({ length: 10 }, (_, i) => `a${i}: products { name }`).join(' ')} }`);
    expect(status).toBe(400);
    expect(body.errors[0]).toEqual({ message: 'The operation exceeds the alias limit of its plan', extensions: { code: 'OPERATION_LIMIT_EXCEEDED' } });
  });

  test('a 50-deep query (the default limits protect every tenant)', async () => {
    const deep = (levels: number) => `{ users { ${'friends { '.repeat(levels)}name${' }'.repeat(levels)} } }`;
    expect((await graphql(endpoint, deep(3), as('acme'))).status).toBe(200);
    const { status, body } = await refused(deep(50), 'acme');
    expect(status).toBe(400);
    expect(body.errors).toContainEqual({ message: 'The operation exceeds the depth limit of its plan', extensions: { code: 'OPERATION_LIMIT_EXCEEDED' } });
    const tight = await refused(deep(4), 'tight');
    expect(tight.status).toBe(400);
    expect(tight.body.errors).toEqual([{ message: 'The operation exceeds the depth limit of its plan', extensions: { code: 'OPERATION_LIMIT_EXCEEDED' } }]);
  });

  test('a token flood', async () => {
    const { status, body } = await refused(`{ ${'products { name } '.repeat(3000)} }`, 'acme');
    expect(status).toBe(400);
    expect(body.errors[0]).toEqual({ message: 'The operation exceeds the token limit of its plan', extensions: { code: 'OPERATION_LIMIT_EXCEEDED' } });
  });

  test('a 5 MB body is refused with 413', async () => {
    const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'key-acme' }, body: JSON.stringify({ query: '{ whoami }', variables: { pad: 'x'.repeat(5 * 1024 * 1024) } }) });
    expect(res.status).toBe(413);
    expect((await res.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('a batched (array) request is refused', async () => {
    const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'key-acme' }, body: JSON.stringify([{ query: '{ whoami }' }, { query: '{ whoami }' }]) });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].message).toMatch(/Batched requests/);
  });
});

test('a slow subgraph times out while the other subgraph’s data returns', async () => {
  const started = Date.now();
  const { status, body } = await graphql(endpoint, '{ products { name } slowThing }', as('acme'));
  expect(Date.now() - started).toBeLessThan(1500);
  expect(status).toBe(200);
  expect(body.data).toEqual({ products: [{ name: 'Lamp' }, { name: 'Desk' }], slowThing: null });
  expect(body.errors[0].extensions.code).toBe('UPSTREAM_TIMEOUT');
});

describe('persisted queries', () => {
  test('automatic persisted queries: hash unknown, then registered, then served by hash alone', async () => {
    const query = '{ products { price } }';
    const ext = { persistedQuery: { version: 1, sha256Hash: sha256Hex(query) } };
    const post = (body: object) => fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'key-acme' }, body: JSON.stringify(body) }).then((r) => r.json());
    expect((await post({ extensions: ext })).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(await post({ query, extensions: ext })).toEqual({ data: { products: [{ price: 1200 }, { price: 25000 }] } });
    expect(await post({ extensions: ext })).toEqual({ data: { products: [{ price: 1200 }, { price: 25000 }] } });
    const wrong = await post({ query: '{ whoami }', extensions: ext });
    expect(wrong.errors[0].message).toMatch(/does not match/);
  });

  test('a trusted-documents tenant runs registered operations only', async () => {
    expect((await graphql(endpoint, TRUSTED_QUERY, as('trusted'))).body).toEqual({ data: { products: [{ name: 'Lamp' }, { name: 'Desk' }] } });
    const other = await graphql(endpoint, '{ products { price } }', as('trusted'));
    expect(other.status).toBe(403);
    expect(other.body.errors[0].message).toMatch(/only registered operations/);
  });
});

test('/metrics exposes requests, errors, cache, rate limits and subgraph series with their labels', async () => {
  // Closed without the token: its series name tenants and their traffic.
  for (const authorization of [undefined, 'Bearer wrong-token', 'metrics-test-token']) {
    const refused = await fetch(`${gateway.url}/metrics`, { headers: authorization ? { authorization } : {} });
    expect(refused.status).toBe(401);
    const body = await refused.text();
    expect(JSON.parse(body).error.code).toBe('UNAUTHENTICATED');
    expect(body).not.toMatch(/acme|globex|charter_/);
  }
  const text = await (await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer metrics-test-token' } })).text();
  expect(text).toMatch(/charter_requests_total\{operation="anonymous",tenant="acme",status="200"\} \d+/);
  expect(text).toMatch(/charter_request_duration_seconds_bucket\{le="[^"]+",operation="anonymous",tenant="acme"\}/);
  expect(text).toMatch(/charter_rate_limited_total\{tenant="limited"\} 3/);
  expect(text).toMatch(/charter_cache_total\{result="hit"\} [1-9]/);
  expect(text).toMatch(/charter_errors_total\{code="OPERATION_LIMIT_EXCEEDED",tenant="(tight|acme)"\} \d+/);
  expect(text).toMatch(/charter_subgraph_requests_total\{subgraph="slow",outcome="timeout"\} \d+/);
  expect(text).toMatch(/charter_breaker_state\{subgraph="shop",url="[^"]+"\} 0/);
});
