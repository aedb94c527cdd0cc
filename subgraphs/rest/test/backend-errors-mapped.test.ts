/**
 * Backend failures become GraphQL errors a client can act on (extensions.code) and nothing more:
 * no backend URL, path, status or body. A per-endpoint timeout overrides the subgraph's.
 * Lists inside an envelope (`items: data.results`) are unwrapped.
 */
import type http from 'node:http';
import { execute, parse } from 'graphql';
import { listen, sendJson, type RunningServer } from '../../../core/http';
import { buildRestSubgraph } from '../wrap/build';
import type { RestMapping } from '../wrap/mapping';

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Item @key(fields: "id") { id: ID! name: String! }
  type Query {
    item(id: ID!): Item
    requiredItem(id: ID!): Item!
    items: [Item!]!
    slowItems: [Item!]!
  }
  type Mutation { saveItem(id: ID!, name: String!): Item }
`;

const MAPPING: RestMapping = {
  entities: { Item: { get: '/items/{id}' } },
  fields: {
    'Query.item': { entity: 'Item', keyArg: 'id' },
    'Query.requiredItem': { entity: 'Item', keyArg: 'id' },
    'Query.items': { list: '/envelope', items: 'data.results' },
    'Query.slowItems': { list: '/slow', timeoutMs: 50 },
    'Mutation.saveItem': { put: '/items/{id}', body: { name: 'name' } },
  },
};

const SECRET_BODY = { error: 'stack trace at /srv/internal/db.js:42 host=db-primary.internal' };

let server: RunningServer;

beforeAll(async () => {
  server = await listen(async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/envelope') return sendJson(res, 200, { data: { results: [{ id: 'a', name: 'Wrapped' }], total: 1 } });
    if (path === '/slow') {
      await new Promise((resolve) => setTimeout(resolve, 400));
      return sendJson(res, 200, []);
    }
    // /items/<status>: answer that status with a body full of internals.
    const status = Number(path.split('/')[2]);
    if (status === 200) return sendJson(res, 200, { id: '200', name: 'Fine' });
    sendJson(res, status, SECRET_BODY);
  }, { host: '127.0.0.1' });
});
afterAll(() => server.close());

async function run(query: string): Promise<{ data?: any; errors?: readonly any[] }> {
  const { schema } = buildRestSubgraph({ name: 'items', typeDefs: SDL, mapping: MAPPING, baseUrl: server.url, timeoutMs: 5000 });
  return (await execute({ schema, document: parse(query), contextValue: {} })) as any;
}

function expectNoLeak(result: unknown): void {
  const text = JSON.stringify(result);
  expect(text).not.toContain(server.url);
  expect(text).not.toContain('127.0.0.1');
  expect(text).not.toMatch(/internal|stack|\/items|HTTP \d/);
}

test.each([
  [400, 'BAD_USER_INPUT'],
  [409, 'BAD_USER_INPUT'],
  [422, 'BAD_USER_INPUT'],
  [500, 'UPSTREAM_ERROR'],
  [503, 'UPSTREAM_ERROR'],
  [401, 'UPSTREAM_ERROR'],
])('a write answered %i is %s, and nothing of the backend leaks', async (status, code) => {
  const result = await run(`mutation { saveItem(id: "${status}", name: "x") { id } }`);
  expect(result.data).toEqual({ saveItem: null });
  expect(result.errors).toHaveLength(1);
  expect(result.errors![0].extensions).toEqual({ code, subgraph: 'items' });
  expect(result.errors![0].path).toEqual(['saveItem']);
  expectNoLeak(result);
});

test('404 is null on a nullable field and NOT_FOUND on a nullable write target is null too', async () => {
  expect(await run('{ item(id: "404") { id } }')).toEqual({ data: { item: null } });
  expect(await run('mutation { saveItem(id: "404", name: "x") { id } }')).toEqual({ data: { saveItem: null } });
});

test('404 on a non-null field is NOT_FOUND at that path', async () => {
  const result = await run('{ requiredItem(id: "404") { id } }');
  expect(result.data).toBeNull();
  expect(result.errors![0].extensions).toEqual({ code: 'NOT_FOUND', subgraph: 'items' });
  expect(result.errors![0].path).toEqual(['requiredItem']);
});

test('a 500 on a read fails only that field; its sibling answers', async () => {
  const result = await run('{ broken: item(id: "500") { id } fine: item(id: "200") { name } }');
  expect(result.data).toEqual({ broken: null, fine: { name: 'Fine' } });
  expect(result.errors!.map((e) => e.extensions.code)).toEqual(['UPSTREAM_ERROR']);
  expectNoLeak(result);
});

test('an enveloped list is unwrapped from data.results', async () => {
  expect(await run('{ items { id name } }')).toEqual({ data: { items: [{ id: 'a', name: 'Wrapped' }] } });
});

test("an endpoint's own timeoutMs wins over the subgraph's: UPSTREAM_TIMEOUT after ~50 ms, not 5 s", async () => {
  const started = Date.now();
  const result = await run('{ slowItems { id } }');
  expect(Date.now() - started).toBeLessThan(350);
  expect(result.data).toBeNull();
  expect(result.errors![0].extensions).toEqual({ code: 'UPSTREAM_TIMEOUT', subgraph: 'items' });
  expectNoLeak(result);
});

test('a non-JSON 200 is UPSTREAM_ERROR, not a crash', async () => {
  const raw = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>');
  }, { host: '127.0.0.1' });
  try {
    const { schema } = buildRestSubgraph({ name: 'items', typeDefs: SDL, mapping: MAPPING, baseUrl: raw.url });
    const result = (await execute({ schema, document: parse('{ items { id } }'), contextValue: {} })) as any;
    expect(result.errors[0].extensions).toEqual({ code: 'UPSTREAM_ERROR', subgraph: 'items' });
    expect(JSON.stringify(result)).not.toContain('oops');
  } finally {
    await raw.close();
  }
});
