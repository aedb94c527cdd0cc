/**
 * Mutations mapped to POST/PUT/PATCH/DELETE against a real loopback REST backend: the body is built
 * from the arguments, the answer becomes the entity, and a later query re-reads what was written.
 * Also: nested properties (`from: address.city`), enum values as the API spells them, idempotency
 * keys passed through, and a failed write sent exactly once.
 */
import { execute, parse } from 'graphql';
import { startRestBackend, type RestBackend } from '../backend/rest-backend';
import { buildRestSubgraph } from '../wrap/build';
import type { RestMapping } from '../wrap/mapping';

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  enum Plan { FREE PRO }
  type User @key(fields: "id") {
    id: ID!
    name: String!
    city: String
    plan: Plan
  }
  input NewUser { name: String!, city: String, plan: Plan }
  type Query { user(id: ID!): User }
  type Mutation {
    createUser(input: NewUser!, idempotencyKey: String): User!
    replaceUser(id: ID!, input: NewUser!): User
    renameUser(id: ID!, name: String!): User!
    deleteUser(id: ID!): Boolean!
  }
`;

const MAPPING: RestMapping = {
  entities: { User: { get: '/users/{id}' } },
  enums: { Plan: { FREE: 'free', PRO: 'pro' } },
  fields: {
    'Query.user': { entity: 'User', keyArg: 'id' },
    'User.city': { from: 'address.city' },
    'User.name': { from: 'fullName' },
    'Mutation.createUser': {
      post: '/users',
      body: { fullName: 'input.name', 'address.city': 'input.city', plan: 'input.plan' },
      headers: { 'Idempotency-Key': 'idempotencyKey' },
    },
    'Mutation.replaceUser': { put: '/users/{id}', body: { fullName: 'input.name', 'address.city': 'input.city', plan: 'input.plan' } },
    'Mutation.renameUser': { patch: '/users/{id}', body: { fullName: 'name' } },
    'Mutation.deleteUser': { delete: '/users/{id}' },
  },
};

let backend: RestBackend;
let run: (query: string, variables?: Record<string, unknown>) => Promise<{ data?: any; errors?: readonly any[] }>;

beforeAll(async () => {
  backend = await startRestBackend({ name: 'users', collections: { users: [{ id: '1', fullName: 'Ada Lovelace', address: { city: 'London' }, plan: 'pro' }] } });
  const { schema } = buildRestSubgraph({ name: 'accounts', typeDefs: SDL, mapping: MAPPING, baseUrl: backend.url });
  run = async (query, variables) => (await execute({ schema, document: parse(query), variableValues: variables, contextValue: {} })) as any;
});
afterAll(() => backend.close());
beforeEach(() => backend.resetStats());

test('reads map a nested property and an enum value the API spells in lower case', async () => {
  expect(await run('{ user(id: "1") { name city plan } }')).toEqual({ data: { user: { name: 'Ada Lovelace', city: 'London', plan: 'PRO' } } });
});

test('POST: the body is built from the input, the answer is the entity, and a re-read sees it', async () => {
  const created = await run('mutation { createUser(input: { name: "Grace Hopper", city: "Arlington", plan: FREE }) { id name city plan } }');
  expect(created.errors).toBeUndefined();
  expect(created.data.createUser).toEqual({ id: '2', name: 'Grace Hopper', city: 'Arlington', plan: 'FREE' });
  // The backend holds what a REST client would have sent: nested address, REST enum spelling.
  const raw = await (await fetch(`${backend.url}/users/2`)).json();
  expect(raw).toEqual({ id: '2', fullName: 'Grace Hopper', address: { city: 'Arlington' }, plan: 'free' });
  expect(await run('{ user(id: "2") { name city plan } }')).toEqual({ data: { user: { name: 'Grace Hopper', city: 'Arlington', plan: 'FREE' } } });
});

test('PUT replaces, PATCH changes only what was given, and both are re-read', async () => {
  const replaced = await run('mutation { replaceUser(id: "1", input: { name: "Ada King", city: "Ockham" }) { name city plan } }');
  expect(replaced).toEqual({ data: { replaceUser: { name: 'Ada King', city: 'Ockham', plan: null } } });
  const renamed = await run('mutation { renameUser(id: "1", name: "Ada, Countess of Lovelace") { name city } }');
  expect(renamed).toEqual({ data: { renameUser: { name: 'Ada, Countess of Lovelace', city: 'Ockham' } } });
  expect(await run('{ user(id: "1") { name city } }')).toEqual({ data: { user: { name: 'Ada, Countess of Lovelace', city: 'Ockham' } } });
  expect(backend.stats().byPath).toEqual({ '/users/1': 3 });
});

test('DELETE answers true on 204, the re-read is null, and deleting again is NOT_FOUND', async () => {
  const id = (await run('mutation { createUser(input: { name: "Temp" }) { id } }')).data.createUser.id as string;
  expect(await run(`mutation { deleteUser(id: "${id}") }`)).toEqual({ data: { deleteUser: true } });
  expect(await run(`{ user(id: "${id}") { name } }`)).toEqual({ data: { user: null } });
  const again = await run(`mutation { deleteUser(id: "${id}") }`);
  expect(again.data).toBeNull();
  expect(again.errors![0].extensions).toEqual({ code: 'NOT_FOUND', subgraph: 'accounts' });
});

test('a nullable write target that is gone is null, not an error', async () => {
  expect(await run('mutation { replaceUser(id: "404", input: { name: "Nobody" }) { name } }')).toEqual({ data: { replaceUser: null } });
});

test('an idempotency key reaches the backend: the same create twice makes one user', async () => {
  const mutation = 'mutation($key: String) { createUser(input: { name: "Once" }, idempotencyKey: $key) { id } }';
  const first = await run(mutation, { key: 'order-77' });
  const second = await run(mutation, { key: 'order-77' });
  expect(second.data.createUser.id).toBe(first.data.createUser.id);
  const all = (await (await fetch(`${backend.url}/users`)).json()) as Array<{ fullName: string }>;
  expect(all.filter((user) => user.fullName === 'Once')).toHaveLength(1);
});

test('a caller header named in passHeaders is copied to the backend', async () => {
  const { schema } = buildRestSubgraph({
    name: 'accounts',
    typeDefs: SDL,
    mapping: { ...MAPPING, fields: { ...MAPPING.fields, 'Mutation.createUser': { post: '/users', body: { fullName: 'input.name' }, passHeaders: ['Idempotency-Key'] } } },
    baseUrl: backend.url,
  });
  const mutation = parse('mutation { createUser(input: { name: "Passed" }) { id } }');
  const context = () => ({ headers: { 'idempotency-key': 'from-the-caller' } });
  const first = (await execute({ schema, document: mutation, contextValue: context() })) as any;
  const second = (await execute({ schema, document: mutation, contextValue: context() })) as any;
  expect(second.data.createUser.id).toBe(first.data.createUser.id);
});

test('a conflicting create is BAD_USER_INPUT, sent once, and the backend body does not leak', async () => {
  const { schema } = buildRestSubgraph({
    name: 'accounts',
    typeDefs: SDL,
    mapping: { ...MAPPING, fields: { ...MAPPING.fields, 'Mutation.createUser': { post: '/users', body: { id: 'input.name', fullName: 'input.name' } } } },
    baseUrl: backend.url,
  });
  backend.resetStats();
  const result = (await execute({ schema, document: parse('mutation { createUser(input: { name: "1" }) { id } }'), contextValue: {} })) as any;
  expect(result.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', subgraph: 'accounts' });
  expect(JSON.stringify(result.errors)).not.toMatch(/already exists|409|127\.0\.0\.1/);
  expect(backend.stats().requests).toBe(1);
});

test('a failing write is never retried: one request, UPSTREAM_ERROR', async () => {
  backend.setDown(true);
  try {
    backend.resetStats();
    const result = await run('mutation { createUser(input: { name: "Down" }) { id } }');
    expect(result.errors![0].extensions).toEqual({ code: 'UPSTREAM_ERROR', subgraph: 'accounts' });
    expect(backend.stats().requests).toBe(1);
  } finally {
    backend.setDown(false);
  }
});

test('a write on a Query field, a body reading a missing argument and an unknown enum value fail the build', () => {
  const build = () =>
    buildRestSubgraph({
      name: 'accounts',
      typeDefs: SDL,
      mappingSource: 'accounts.rest.yaml',
      mapping: {
        ...MAPPING,
        enums: { Plan: { FREE: 'free', GOLD: 'gold' } },
        fields: { 'Query.user': { post: '/users' }, 'Mutation.renameUser': { patch: '/users/{userId}', body: { fullName: 'newName' } } },
      },
      baseUrl: backend.url,
    });
  expect(build).toThrow('REST subgraph "accounts": accounts.rest.yaml does not match the schema');
  expect(build).toThrow('fields.Query.user: a POST endpoint belongs on a Mutation field');
  expect(build).toThrow('fields.Mutation.renameUser: path placeholder {userId} is not an argument of Mutation.renameUser');
  expect(build).toThrow('fields.Mutation.renameUser: body reads "newName", but Mutation.renameUser has no argument newName');
  expect(build).toThrow('enums.Plan.GOLD: GOLD is not a value of enum Plan');
});
