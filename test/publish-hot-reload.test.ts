/**
 * Publishing through the registry changes what a running gateway serves, without a restart; a
 * refused publish (bad SDL, no composition, missing fields) stores nothing and the gateway keeps
 * serving the previous supergraph.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import type { RunningServer } from '../core/http';
import { createLogger } from '../core/logger';
import { ApiKeyDirectory } from '../gateway/auth/api-keys';
import { startGateway, type RunningGateway } from '../gateway/server';
import { registrySupergraphSource } from '../gateway/supergraph/registry-source';
import { RegistryClient } from '../schema-registry/client';
import { startRegistry, type RunningRegistry } from '../schema-registry/server';
import { startSubgraphServer } from '../subgraphs/serve';
import { graphql, runCharter, tempDir } from './support/charter-process';

const logger = createLogger('test', 'silent');
let registry: RunningRegistry;
let gateway: RunningGateway;
let client: RegistryClient;
const subgraphs: RunningServer[] = [];
let gatewayUrl: string;

async function serveSubgraph(name: string, sdl: string, resolvers: any): Promise<string> {
  const server = await startSubgraphServer({ name, schema: buildSubgraphSchema({ typeDefs: parse(sdl), resolvers }) });
  subgraphs.push(server);
  return `${server.url}/graphql`;
}

const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';
const BOOKS_V1 = `${FED}\ntype Book @key(fields: "id") { id: ID! title: String! }\ntype Query { books: [Book!]! }`;
const BOOKS_V2 = `${FED}\ntype Book @key(fields: "id") { id: ID! title: String! year: Int! }\ntype Query { books: [Book!]! }`;
const BOOKS = [{ id: '1', title: 'Dune', year: 1965 }];

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  const dataDir = tempDir('publish');
  registry = await startRegistry({ insecureDev: true, dataDir, logger });
  client = new RegistryClient(registry.url);
  const url = await serveSubgraph('books', BOOKS_V2, { Query: { books: () => BOOKS } });
  // v1 first, served by a v2-capable subgraph: the gateway only exposes what the supergraph says.
  expect((await client.publish('prod', { name: 'books', url, sdl: BOOKS_V1 })).status).toBe(201);
  gateway = await startGateway({
    source: registrySupergraphSource({ registryUrl: registry.url, variant: 'prod', cacheFile: path.join(dataDir, 'last.json'), logger }),
    keys: new ApiKeyDirectory([]),
    subgraphSecret: 'test-secret',
    logger,
  });
  await gateway.ready;
  gatewayUrl = `${gateway.url}/graphql`;
});

afterAll(async () => {
  await gateway?.close();
  await Promise.all(subgraphs.map((s) => s.close()));
  await registry?.close();
});

test('a newly published subgraph version is served without a restart', async () => {
  const before = await graphql(gatewayUrl, '{ books { title year } }');
  expect(before.status).toBe(400);
  const url = (await client.fetchSupergraph('prod'))!;
  expect(url.id).toBe(1);

  const published = await client.publish('prod', { name: 'books', url: `${subgraphs[0]!.url}/graphql`, sdl: BOOKS_V2 });
  expect(published.status).toBe(201);
  expect(published.body.version.id).toBe(2);

  const after = await eventually(() => graphql(gatewayUrl, '{ books { title year } }'), (r) => r.status === 200, 3000);
  expect(after.body).toEqual({ data: { books: [{ title: 'Dune', year: 1965 }] } });
});

test('`charter publish` adds a subgraph the gateway then serves', async () => {
  const url = await serveSubgraph('quotes', `${FED}\ntype Query { quote: String! }`, { Query: { quote: () => 'Fear is the mind-killer.' } });
  const dir = tempDir('cli');
  const file = path.join(dir, 'quotes.graphql');
  fs.writeFileSync(file, `${FED}\ntype Query { quote: String! }`);
  const run = await runCharter(['publish', '--name', 'quotes', '--url', url, '--schema', file, '--registry', registry.url], {}, dir);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/Published: quotes -> variant prod version \d+/);
  const res = await eventually(() => graphql(gatewayUrl, '{ quote books { title } }'), (r) => r.status === 200, 3000);
  expect(res.body).toEqual({ data: { quote: 'Fear is the mind-killer.', books: [{ title: 'Dune' }] } });
});

describe('a refused publish stores nothing and the gateway keeps serving', () => {
  let headBefore: number;
  beforeEach(async () => {
    headBefore = (await client.fetchSupergraph('prod'))!.id;
  });
  afterEach(async () => {
    expect((await client.fetchSupergraph('prod'))!.id).toBe(headBefore);
    const still = await graphql(gatewayUrl, '{ books { title } }');
    expect(still.body).toEqual({ data: { books: [{ title: 'Dune' }] } });
  });

  test('SDL with a syntax error: 422 INVALID_SCHEMA naming the line', async () => {
    const { status, body } = await client.publish('prod', { name: 'books', url: 'http://127.0.0.1:1/graphql', sdl: `${FED}\ntype Book @key(fields: "id") { id: ID! title: String!` });
    expect(status).toBe(422);
    expect(body.error.code).toBe('INVALID_SCHEMA');
    expect(body.error.message).toMatch(/does not parse: .*line 2/);
  });

  test('SDL that does not compose: 422 COMPOSITION_FAILED naming the conflict', async () => {
    const sdl = `${FED}\ntype Book @key(fields: "id") { id: ID! title: Int! }\ntype Query { book: Book }`;
    const { status, body } = await client.publish('prod', { name: 'library', url: 'http://127.0.0.1:1/graphql', sdl });
    expect(status).toBe(422);
    expect(body.error.code).toBe('COMPOSITION_FAILED');
    expect(body.error.message).toContain('Book.title');
  });

  test('a publish without a name or URL: 400 naming the missing key', async () => {
    const noName = await client.publish('prod', { url: 'http://127.0.0.1:1/graphql', sdl: BOOKS_V1 } as any);
    expect(noName.status).toBe(400);
    expect(noName.body.error.message).toMatch(/name: is required/);
    const noUrl = await client.publish('prod', { name: 'books', sdl: BOOKS_V1 } as any);
    expect(noUrl.status).toBe(400);
    expect(noUrl.body.error.message).toMatch(/url: is required/);
    const badUrl = await client.publish('prod', { name: 'books', url: 'not a url', sdl: BOOKS_V1 });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.message).toMatch(/url: must be an absolute http\(s\) URL/);
  });

  test('a body that is not JSON: 400', async () => {
    const res = await fetch(`${registry.url}/api/variants/prod/subgraphs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'nope' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/not valid JSON/);
  });
});
