/**
 * Operations run on @apollo/gateway's executor without Apollo Server's pipeline, so what that
 * pipeline did for clients is proved here through a real gateway and subgraph: variables that do
 * not coerce are a 400 with BAD_USER_INPUT and never reach a subgraph; subgraph errors keep their
 * code and partial data; a subgraph's Cache-Control narrows the answer's cacheability.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';
import type { RunningServer } from '../../core/http';
import { createLogger } from '../../core/logger';
import { composeSubgraphs } from '../../governance/check';
import { startSubgraphServer } from '../../subgraphs/serve';
import { startGateway, type RunningGateway } from '../server';
import { fileSupergraphSource } from '../supergraph/file-source';

const FED = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])';
const SDL = `${FED}\ntype Book @key(fields: "id") { id: ID! title: String! secret: String }\ntype Query { book(id: ID!): Book books(first: Int!): [Book!]! }`;
const BOOKS = [
  { id: '1', title: 'Dune' },
  { id: '2', title: 'Emma' },
];

let dir: string;
let books: RunningServer;
let gateway: RunningGateway;
let received = 0;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-execute-plan-'));
  const schema = buildSubgraphSchema({
    typeDefs: parse(SDL),
    resolvers: {
      Query: {
        book: (_: unknown, args: { id: string }) => {
          received++;
          return BOOKS.find((b) => b.id === args.id) ?? null;
        },
        books: (_: unknown, args: { first: number }) => {
          received++;
          return BOOKS.slice(0, args.first);
        },
      },
      Book: {
        secret: () => {
          throw new GraphQLError('sealed', { extensions: { code: 'SEALED' } });
        },
      },
    } as never,
  });
  books = await startSubgraphServer({ name: 'books', schema, cacheMaxAgeSec: 30 });
  const composed = composeSubgraphs([{ name: 'books', url: `${books.url}/graphql`, sdl: SDL }]);
  if (!composed.ok) throw new Error('does not compose');
  fs.writeFileSync(path.join(dir, 'supergraph.graphql'), composed.supergraphSdl);
  gateway = await startGateway({ source: fileSupergraphSource(path.join(dir, 'supergraph.graphql')), subgraphSecret: 'x', logger: createLogger('test', 'silent'), cache: { defaultTtlSec: 0 }, upstreamErrorDetails: 'everyone' }); // the executor's own shaping, unmasked
  await gateway.ready;
});

afterAll(async () => {
  await gateway?.close();
  await books?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function post(body: unknown): Promise<{ status: number; headers: Headers; json: { data?: unknown; errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }> } }> {
  const response = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, json: (await response.json()) as never };
}

test('variables that do not coerce are a 400 BAD_USER_INPUT, and no subgraph is called', async () => {
  const before = received;
  const answer = await post({ query: 'query Q($first: Int!) { books(first: $first) { id } }', variables: { first: 'many' } });
  expect(answer.status).toBe(400);
  expect(answer.json.data).toBeUndefined();
  expect(answer.json.errors).toHaveLength(1);
  expect(answer.json.errors![0]!.message).toMatch(/^Variable "\$first" got invalid value "many"/);
  expect(answer.json.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT' });
  expect(received).toBe(before);
});

test('a subgraph error keeps its code and path beside the data, and the answer is not cacheable', async () => {
  const answer = await post({ query: '{ book(id: "1") { title secret } }' });
  expect(answer.status).toBe(200);
  expect(answer.json.data).toEqual({ book: { title: 'Dune', secret: null } });
  expect(answer.json.errors).toEqual([expect.objectContaining({ message: 'sealed', path: ['book', 'secret'], extensions: expect.objectContaining({ code: 'SEALED' }) })]);
  expect(answer.headers.get('cache-control')).toBe('no-store');
});

test("an answer the subgraph lets be cached is cached for the subgraph's max-age, then served from cache", async () => {
  const first = await post({ query: '{ books(first: 2) { id title } }' });
  expect(first.status).toBe(200);
  expect(first.json).toEqual({ data: { books: BOOKS } });
  expect(first.headers.get('cache-control')).toBe('max-age=30, public');
  const before = received;
  const second = await post({ query: '{ books(first: 2) { id title } }' });
  expect(second.json).toEqual({ data: { books: BOOKS } });
  expect(received).toBe(before);
});
