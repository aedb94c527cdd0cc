import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { execute, parse } from 'graphql';
import { startRestBackend, type RestBackend } from '../backend/rest-backend';
import { DEMO_USERS } from '../demo/data';
import { DEMO_REST_SUBGRAPHS } from '../demo/index';
import { startDemoRestStack, type DemoRestStack } from '../demo/start';
import { buildRestSubgraph } from './build';
import type { RestMapping } from './mapping';

const ACCOUNTS_SDL = readFileSync(DEMO_REST_SUBGRAPHS.find((s) => s.name === 'accounts')!.schemaFile, 'utf8');
const UNKEYED_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Team { id: ID! name: String! }
  type Query { team(id: ID!): Team }
`;

function buildAccounts(mapping: RestMapping, typeDefs = ACCOUNTS_SDL) {
  return () => buildRestSubgraph({ name: 'accounts', typeDefs, mapping, baseUrl: 'http://127.0.0.1:1' });
}

describe('a mapping that does not fit the schema fails the build, naming subgraph and coordinate', () => {
  test('a field the schema lacks', () => {
    expect(buildAccounts({ fields: { 'Query.usres': { list: '/users' } } })).toThrow(
      /REST subgraph "accounts".*\n.*fields\.Query\.usres: field Query\.usres is not in the schema/,
    );
  });

  test('a type the schema lacks, as an entity and as a field parent', () => {
    const build = buildAccounts({ entities: { Customer: { get: '/customers/{id}' } }, fields: { 'Account.name': { from: 'fullName' } } });
    expect(build).toThrow('entities.Customer: type Customer is not in the schema');
    expect(build).toThrow('fields.Account.name: type Account is not in the schema');
  });

  test('an entity whose type has no @key', () => {
    expect(buildAccounts({ entities: { Team: { get: '/teams/{id}' } } }, UNKEYED_SDL)).toThrow('entities.Team: type Team has no @key in the schema');
  });

  test('an argument or an entity the field does not have', () => {
    const build = buildAccounts({
      entities: { User: { batch: '/users?ids={ids}' } },
      fields: { 'Query.users': { list: '/users', args: { count: 'limit' } }, 'Query.user': { entity: 'User', keyArg: 'userId' } },
    });
    expect(build).toThrow('fields.Query.users: argument Query.users(count:) is not in the schema');
    expect(build).toThrow('fields.Query.user: argument Query.user(userId:) is not in the schema');
  });

  test('a malformed mapping names the key path', () => {
    const build = buildAccounts({
      entities: { User: { key: 'id' } },
      fields: { 'Query.users': { list: '/users', entity: 'User' } as never, Query: { from: 'x' } },
    });
    expect(build).toThrow(/entities\.User: needs "get" or "batch"/);
    expect(build).toThrow(/fields\.Query\.users: has both "list" and "entity"/);
    expect(build).toThrow(/fields\.Query: must be a "Type\.field" coordinate/);
  });
});

describe('REST failures inside one subgraph', () => {
  let backend: RestBackend;
  beforeAll(async () => {
    backend = await startRestBackend({ name: 'users', collections: { users: DEMO_USERS } });
  });
  afterAll(() => backend.close());
  beforeEach(() => {
    backend.resetStats();
    backend.setLatency(0);
  });

  const getOnly: RestMapping = { entities: { User: { get: '/users/{id}' } }, fields: { 'Query.user': { entity: 'User', keyArg: 'id' } } };

  test('without a batch endpoint, a 404 is null and each key is fetched once per request', async () => {
    const { schema } = buildRestSubgraph({ name: 'accounts', typeDefs: ACCOUNTS_SDL, mapping: getOnly, baseUrl: backend.url });
    const result = await execute({
      schema,
      document: parse('{ a: user(id: "1") { name } b: user(id: "99") { name } c: user(id: "1") { email } }'),
      contextValue: {},
    });
    expect(result).toEqual({ data: { a: { name: 'Ada Lovelace' }, b: null, c: { email: 'ada.lovelace@example.com' } } });
    expect(backend.stats()).toEqual({ requests: 2, byPath: { '/users/1': 1, '/users/99': 1 } });
  });

  test('a slow backend fails the field with UPSTREAM_TIMEOUT naming subgraph and endpoint', async () => {
    backend.setLatency(300);
    const { schema } = buildRestSubgraph({ name: 'accounts', typeDefs: ACCOUNTS_SDL, mapping: getOnly, baseUrl: backend.url, timeoutMs: 50 });
    const result = await execute({ schema, document: parse('{ user(id: "1") { name } }'), contextValue: {} });
    expect(result.data).toEqual({ user: null });
    expect(result.errors).toHaveLength(1);
    // Nothing of the backend (URL, endpoint, timings) reaches the client: those are in the log.
    expect(result.errors![0]!.message).toBe('Subgraph "accounts": the backend did not answer in time');
    expect(result.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_TIMEOUT', subgraph: 'accounts' });
    expect(result.errors![0]!.path).toEqual(['user']);
  });

  test('an unreachable backend fails the field with UPSTREAM_ERROR', async () => {
    const closed = await startRestBackend({ name: 'gone', collections: {} });
    await closed.close();
    const { schema } = buildRestSubgraph({ name: 'accounts', typeDefs: ACCOUNTS_SDL, mapping: getOnly, baseUrl: closed.url });
    const result = await execute({ schema, document: parse('{ user(id: "1") { name } }'), contextValue: {} });
    expect(result.data).toEqual({ user: null });
    expect(result.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_ERROR', subgraph: 'accounts' });
    expect(JSON.stringify(result.errors)).not.toContain('127.0.0.1');
  });
});

describe('a backend down behind the gateway', () => {
  let stack: DemoRestStack;
  let gateway: ApolloServer;
  beforeAll(async () => {
    stack = await startDemoRestStack();
    const composed = composeServices(stack.subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.typeDefs) })));
    if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
    gateway = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: composed.supergraphSdl }) as any });
    await gateway.start();
  });
  afterAll(async () => {
    await gateway?.stop();
    await stack?.close();
  });

  test('yields partial data and UPSTREAM_ERROR at the path that needed it', async () => {
    stack.backends.backends.users.setDown(true);
    const response = await gateway.executeOperation({ query: '{ products(first: 2) { id name } user(id: "1") { name } }' });
    stack.backends.backends.users.setDown(false);
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const { data, errors } = response.body.singleResult;
    expect(data).toEqual({ products: [{ id: '1', name: 'Compact Lamp' }, { id: '2', name: 'Sturdy Lamp' }], user: null });
    expect(errors).toHaveLength(1);
    expect(errors![0]!.message).toBe('Subgraph "accounts": the backend failed');
    expect(errors![0]!.path).toEqual(['user']);
    expect(errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', serviceName: 'accounts' });
    expect(JSON.stringify(errors)).not.toMatch(/503|\/users/);
  });

  test('an entity fetch that fails nulls only the entity fields it owns', async () => {
    stack.backends.backends.users.setDown(true);
    const response = await gateway.executeOperation({ query: '{ review(id: "1") { rating author { id } } product(id: "1") { name } }' });
    stack.backends.backends.users.setDown(false);
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    // author { id } needs no users call: a reference is resolved without its subgraph.
    expect(response.body.singleResult).toEqual({ data: { review: { rating: 3, author: { id: '18' } }, product: { name: 'Compact Lamp' } } });
  });
});
