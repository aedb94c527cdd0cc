/**
 * Charter's per-request path (its own data source, signing, pipeline) must not change a single byte
 * of what the federation answers: every gateway-bound benchmark query and a set of federation
 * fixtures (entities, @requires, @provides, a union, errors with partial data, null propagation)
 * run through Charter and through a plain Apollo Gateway over the same four in-memory subgraphs,
 * and the answers are compared exactly (data byte for byte, errors by message and path). Run as an
 * admin tenant, since other tenants may get masked upstream errors (RULINGS.md).
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SUBGRAPH_FIXTURES } from '../bench/gateway-bound/fixtures';
import { serveGraphQL, type GraphQLHttpServer } from '../bench/gateway-bound/graphql-http';
import { BENCH_LIMITS, GATEWAY_BOUND_QUERIES } from '../bench/gateway-bound/queries';
import { ApiKeyDirectory, hashApiKey } from '../gateway/auth/api-keys';
import { startGateway, type RunningGateway } from '../gateway/server';
import { fileSupergraphSource } from '../gateway/supergraph/file-source';
import { TenantDirectory } from '../gateway/tenants/tenant-directory';
import { composeSubgraphs } from '../governance/check';
import type { TenantConfig } from '../cli/config';

const ADMIN_KEY = 'answers-admin-key-0123456789abcdef';
const tenants: TenantConfig[] = [{ id: 'ops', roles: ['admin'], scopes: [], plan: {}, apiKeys: [{ id: 'ops-key', sha256: hashApiKey(ADMIN_KEY) }] }];

let subgraphs: GraphQLHttpServer[] = [];
let charter: RunningGateway;
let apollo: ApolloServer;
let apolloUrl: string;
let dir: string;

beforeAll(async () => {
  subgraphs = await Promise.all(SUBGRAPH_FIXTURES.map((f) => serveGraphQL(f.schema())));
  const composed = composeSubgraphs(SUBGRAPH_FIXTURES.map((f, i) => ({ name: f.name, url: subgraphs[i]!.url, sdl: f.typeDefs })));
  if (!composed.ok) throw new Error(composed.errors.map((e) => e.message).join('; '));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-answers-'));
  const file = path.join(dir, 'supergraph.graphql');
  fs.writeFileSync(file, composed.supergraphSdl);
  charter = await startGateway({
    source: fileSupergraphSource(file),
    keys: new ApiKeyDirectory(tenants),
    tenants: new TenantDirectory(tenants),
    subgraphSecret: 'answers-secret-answers-secret-0123',
    host: '127.0.0.1',
    port: 0,
    introspection: false,
    limits: BENCH_LIMITS,
    cache: false,
    dedupe: false,
  });
  await charter.ready;
  apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl }), includeStacktraceInErrorResponses: false });
  apolloUrl = (await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' } })).url;
}, 60_000);

afterAll(async () => {
  await charter?.close();
  await apollo?.stop();
  await Promise.all(subgraphs.map((s) => s.close()));
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  text: string;
  body: { data?: unknown; errors?: Array<{ message: string; path?: unknown[] }> };
}

async function ask(url: string, query: string, variables: Record<string, unknown> | undefined, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Answer['body'] };
}

const subgraphRequests = () => subgraphs.reduce((n, s) => n + s.requests, 0);

/**
 * Both gateways' answers to one operation; Charter's subgraph fetches counted on the subgraphs.
 * Charter is asked twice: the first request of a document runs Apollo's executor (which plans
 * it), later ones run the prepared plan (gateway/pipeline/run-query-plan.ts); both must agree.
 */
async function both(query: string, variables?: Record<string, unknown>): Promise<{ charter: Answer; apollo: Answer; charterFetches: number }> {
  const first = await ask(`${charter.url}/graphql`, query, variables, { 'x-api-key': ADMIN_KEY });
  const before = subgraphRequests();
  const fromCharter = await ask(`${charter.url}/graphql`, query, variables, { 'x-api-key': ADMIN_KEY });
  const charterFetches = subgraphRequests() - before;
  expectSameAnswer(fromCharter, first);
  return { charter: fromCharter, apollo: await ask(apolloUrl, query, variables), charterFetches };
}

function expectSameAnswer(charterAnswer: Answer, apolloAnswer: Answer): void {
  expect(charterAnswer.status).toBe(apolloAnswer.status);
  // Byte for byte: same values, same key order, same nulls.
  expect(JSON.stringify(charterAnswer.body.data)).toBe(JSON.stringify(apolloAnswer.body.data));
  const errors = (a: Answer) => (a.body.errors ?? []).map((e) => ({ message: e.message, path: e.path }));
  expect(errors(charterAnswer)).toEqual(errors(apolloAnswer));
}

describe('every gateway-bound benchmark query', () => {
  for (const q of GATEWAY_BOUND_QUERIES) {
    test(`${q.name} (${q.about}): the same answer as Apollo Gateway, in ${q.fetches} subgraph fetches`, async () => {
      for (const i of [0, 5]) {
        const { charter: c, apollo: a, charterFetches } = await both(q.query, q.variables(i));
        expect(c.status).toBe(200);
        expect(c.body.errors).toBeUndefined();
        expectSameAnswer(c, a);
        expect(charterFetches).toBe(q.fetches);
      }
    });
  }
});

describe('federation fixtures', () => {
  test('entities across three subgraphs', async () => {
    const { charter: c, apollo: a } = await both('{ product(upc: "p3") { upc name inStock reviews { id author { name email } } } }');
    expectSameAnswer(c, a);
    expect(c.body.data).toMatchObject({ product: { upc: 'p3', name: 'Product 3', inStock: false } });
  });

  test('@requires: inventory gets price and weight from products without the client asking for them', async () => {
    const { charter: c, apollo: a } = await both('{ topProducts(first: 4, offset: 100) { upc shippingEstimate } }');
    expectSameAnswer(c, a);
    expect((c.body.data as { topProducts: unknown[] }).topProducts).toHaveLength(4);
  });

  test('@provides: the username comes from reviews, users is never asked', async () => {
    const { charter: c, apollo: a, charterFetches } = await both('{ latestReviews(first: 5) { id author { id username } } }');
    expectSameAnswer(c, a);
    expect(charterFetches).toBe(1);
  });

  test('a union with members of two kinds, one of them an entity extended elsewhere', async () => {
    const query = '{ search(text: "o", first: 8) { __typename ... on Category { id name } ... on Product { upc name inStock } } }';
    const { charter: c, apollo: a } = await both(query);
    expectSameAnswer(c, a);
    const kinds = new Set((c.body.data as { search: Array<{ __typename: string }> }).search.map((r) => r.__typename));
    expect(kinds).toEqual(new Set(['Category', 'Product']));
  });

  test('an error in one subgraph: partial data, the error at its path', async () => {
    const { charter: c, apollo: a } = await both('{ topProducts(first: 3, offset: 994) { upc name inStock } }');
    expectSameAnswer(c, a);
    expect(c.body.data).toEqual({ topProducts: [{ upc: 'p994', name: 'Product 994', inStock: true }, { upc: 'p995', name: 'Product 995', inStock: null }, { upc: 'p996', name: 'Product 996', inStock: false }] });
    expect(c.body.errors).toEqual([expect.objectContaining({ path: ['topProducts', 1, 'inStock'] })]);
  });

  test('null in a non-null field propagates up to the nearest nullable parent (root fetch)', async () => {
    const { charter: c, apollo: a } = await both('{ product(upc: "p997") { upc name } }');
    expectSameAnswer(c, a);
    expect(c.body.data).toEqual({ product: null });
  });

  test('null in a non-null field of an entity fetch propagates through non-null lists', async () => {
    const { charter: c, apollo: a } = await both('{ product(upc: "p997") { upc reviews { id product { upc name } } } }');
    expectSameAnswer(c, a);
    expect(c.body.data).toEqual({ product: null });
    expect(c.body.errors?.length).toBeGreaterThan(0);
  });

  test('null propagation up to the root: data is null', async () => {
    const { charter: c, apollo: a } = await both('{ topProducts(first: 2, offset: 996) { upc name } }');
    expectSameAnswer(c, a);
    expect(c.body.data).toBeNull();
  });

  test('an unknown subgraph field is refused by both before any fetch', async () => {
    const { charter: c, apollo: a, charterFetches } = await both('{ topProducts(first: 1) { upc secret } }');
    expect(c.status).toBe(400);
    expect(a.status).toBe(400);
    expect(charterFetches).toBe(0);
  });
});
