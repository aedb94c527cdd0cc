/**
 * Per-tenant field permissions through the real gateway: the same operations as four tenants with
 * different policies, asserting exact data, errors and paths; denied mutations never reach the
 * subgraph; plans are never shared across permission sets; introspection shows each tenant only
 * its view; subgraphs trust only signed calls from the gateway.
 */
import fs from 'node:fs';
import path from 'node:path';
import { encodePrincipal, PRINCIPAL_HEADER, SIGNATURE_HEADER, signRequest } from '../core/principal-signature';
import { createLogger } from '../core/logger';
import type { TenantConfig } from '../cli/config';
import { ApiKeyDirectory, hashApiKey } from '../gateway/auth/api-keys';
import { startGateway, type RunningGateway } from '../gateway/server';
import { fileSupergraphSource } from '../gateway/supergraph/file-source';
import { TenantDirectory } from '../gateway/tenants/tenant-directory';
import { composeSubgraphs } from '../governance/check';
import { graphql, tempDir } from './support/charter-process';
import { SHOP_SDL, startShopSubgraph, type ShopSubgraph } from './support/shop-subgraph';

const SECRET = 'shop-secret';
const logger = createLogger('test', 'silent');
let shop: ShopSubgraph;
let gateway: RunningGateway;
let endpoint: string;

const tenant = (id: string, policy: unknown, roles: string[] = []): TenantConfig => ({
  id,
  roles,
  scopes: [],
  plan: {},
  policy,
  apiKeys: [{ id: `${id}-key`, sha256: hashApiKey(`key-${id}`) }],
});

const TENANTS = [
  tenant('full', { fallback: 'allow' }),
  tenant('nopii', { fallback: 'allow', rules: { 'User.email': 'deny', 'Mutation.deleteUser': { role: 'admin' } } }),
  tenant('catalog', { fallback: 'deny', rules: { 'Query.products': 'allow', 'Query.search': 'allow', 'Query.whoami': 'allow', 'Product.*': 'allow', 'Mutation.addProduct': { role: 'editor' } } }, ['editor']),
  tenant('strict', { mode: 'reject', fallback: 'allow', rules: { 'User.email': 'deny' } }),
];

const as = (id: string) => ({ headers: { 'x-api-key': `key-${id}` } });
const forbidden = (path: Array<string | number>, coordinate: string) => expect.objectContaining({ message: `Not authorized to access ${coordinate}`, path, extensions: expect.objectContaining({ code: 'FORBIDDEN' }) });

beforeAll(async () => {
  shop = await startShopSubgraph(SECRET);
  const composed = composeSubgraphs([{ name: 'shop', url: `${shop.url}/graphql`, sdl: SHOP_SDL }]);
  if (!composed.ok) throw new Error(JSON.stringify(composed.errors));
  const file = path.join(tempDir('perm'), 'supergraph.graphql');
  fs.writeFileSync(file, composed.supergraphSdl);
  gateway = await startGateway({
    source: fileSupergraphSource(file),
    keys: new ApiKeyDirectory(TENANTS),
    tenants: new TenantDirectory(TENANTS),
    subgraphSecret: SECRET,
    introspection: true,
    logger,
  });
  await gateway.ready;
  endpoint = `${gateway.url}/graphql`;
});

afterAll(async () => {
  await gateway?.close();
  await shop?.close();
});

describe('the same operation as each tenant', () => {
  const USERS = '{ users { name email } }';

  test('full sees everything', async () => {
    const { status, body } = await graphql(endpoint, USERS, as('full'));
    expect(status).toBe(200);
    expect(body).toEqual({ data: { users: [{ name: 'Ada', email: 'ada@example.com' }, { name: 'Alan', email: 'alan@example.com' }] } });
  });

  test('nopii gets null and FORBIDDEN at each denied email, and the rest', async () => {
    const { status, body } = await graphql(endpoint, USERS, as('nopii'));
    expect(status).toBe(200);
    expect(body.data).toEqual({ users: [{ name: 'Ada', email: null }, { name: 'Alan', email: null }] });
    expect(body.errors).toEqual([forbidden(['users', 0, 'email'], 'User.email'), forbidden(['users', 1, 'email'], 'User.email')]);
  });

  test('catalog may not read users: the non-null root field nulls data', async () => {
    const { status, body } = await graphql(endpoint, USERS, as('catalog'));
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([forbidden(['users'], 'Query.users')]);
  });

  test('strict (reject mode) refuses the whole operation with 403 and calls no subgraph', async () => {
    const before = shop.calls.operations;
    const { status, body } = await graphql(endpoint, USERS, as('strict'));
    expect(status).toBe(403);
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect(body.errors[0].message).toContain('User.email');
    expect(shop.calls.operations).toBe(before);
  });

  test('restricted and unrestricted answers never leak into each other, in either order', async () => {
    for (const order of [['nopii', 'full', 'nopii'], ['full', 'nopii', 'full']]) {
      for (const id of order) {
        const { body } = await graphql(endpoint, USERS, as(id));
        expect(body.data.users[0].email).toBe(id === 'full' ? 'ada@example.com' : null);
      }
    }
  });
});

test('fragments and aliases: the path uses the alias', async () => {
  const query = 'query Q { people: users { ...U } } fragment U on User { who: name mail: email orders { total } }';
  const { body } = await graphql(endpoint, query, as('nopii'));
  expect(body.data).toEqual({ people: [{ who: 'Ada', mail: null, orders: [{ total: 1200 }] }, { who: 'Alan', mail: null, orders: [] }] });
  expect(body.errors).toEqual([forbidden(['people', 0, 'mail'], 'User.email'), forbidden(['people', 1, 'mail'], 'User.email')]);
});

test('unions: each member type is checked; a denied non-null field nulls its list item', async () => {
  const query = '{ search(term: "a") { __typename ... on User { name } ... on Product { name price } } }';
  const { body } = await graphql(endpoint, query, as('catalog'));
  expect(body.data).toEqual({ search: [null, { __typename: 'Product', name: 'Desk', price: 25000 }] });
  expect(body.errors).toEqual([forbidden(['search', 0, 'name'], 'User.name')]);
  const full = await graphql(endpoint, query, as('full'));
  expect(full.body).toEqual({ data: { search: [{ __typename: 'User', name: 'Ada' }, { __typename: 'Product', name: 'Desk', price: 25000 }] } });
});

test('interfaces: a field selected on an implementing type is checked for that type', async () => {
  const { body } = await graphql(endpoint, '{ node(id: "u1") { id ... on User { email } } }', as('nopii'));
  expect(body.data).toEqual({ node: { id: 'u1', email: null } });
  expect(body.errors).toEqual([forbidden(['node', 'email'], 'User.email')]);
});

test('@include/@skip with variables decide which fields are checked', async () => {
  const query = 'query ($withEmail: Boolean!) { users { name email @include(if: $withEmail) } }';
  const without = await graphql(endpoint, query, { ...as('nopii'), variables: { withEmail: false } });
  expect(without.body).toEqual({ data: { users: [{ name: 'Ada' }, { name: 'Alan' }] } });
  const withIt = await graphql(endpoint, query, { ...as('nopii'), variables: { withEmail: true } });
  expect(withIt.body.errors).toHaveLength(2);
});

describe('mutations', () => {
  test('a denied mutation never reaches its subgraph', async () => {
    const before = shop.calls.deleteUser;
    const { body } = await graphql(endpoint, 'mutation { deleteUser(id: "u1") }', as('nopii'));
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([forbidden(['deleteUser'], 'Mutation.deleteUser')]);
    expect(shop.calls.deleteUser).toBe(before);
  });

  test('an allowed mutation runs once', async () => {
    const before = shop.calls.deleteUser;
    const { body } = await graphql(endpoint, 'mutation { deleteUser(id: "u1") }', as('full'));
    expect(body).toEqual({ data: { deleteUser: true } });
    expect(shop.calls.deleteUser).toBe(before + 1);
  });

  test('a role rule allows the tenant holding the role', async () => {
    const { body } = await graphql(endpoint, 'mutation { addProduct(name: "Chair") { name price } }', as('catalog'));
    expect(body).toEqual({ data: { addProduct: { name: 'Chair', price: 0 } } });
  });
});

describe('each tenant sees only its view of the schema', () => {
  test('__type hides denied fields', async () => {
    const { body } = await graphql(endpoint, '{ __type(name: "User") { fields { name } } }', as('nopii'));
    expect(body.data.__type.fields.map((f: any) => f.name).sort()).toEqual(['friends', 'id', 'name', 'orders']);
  });

  test('__schema hides types the tenant cannot reach, also through a fragment', async () => {
    const { body } = await graphql(endpoint, '{ ...F } fragment F on Query { __schema { types { name } queryType { fields { name } } } }', as('catalog'));
    const types = body.data.__schema.types.map((t: any) => t.name);
    expect(types).toContain('Product');
    expect(types).not.toContain('User');
    expect(types).not.toContain('Order');
    expect(body.data.__schema.queryType.fields.map((f: any) => f.name).sort()).toEqual(['products', 'search', 'whoami']);
  });

  test('validation errors suggest nothing and never name a hidden type', async () => {
    const typo = await graphql(endpoint, '{ product { name } }', as('catalog'));
    expect(typo.status).toBe(400);
    expect(typo.body.errors[0].message).toBe('Cannot query field "product" on type "Query".');
    const hidden = await graphql(endpoint, '{ users { nam } }', as('catalog'));
    expect(hidden.status).toBe(400);
    expect(hidden.body.errors[0].message).not.toContain('User');
  });
});

describe('subgraphs trust only the gateway', () => {
  const body = JSON.stringify({ query: '{ whoami }' });
  const post = (headers: Record<string, string>) => fetch(`${shop.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const principal = encodePrincipal({ tenant: 'full', subject: 'key:full-key', roles: [], scopes: [] });
  const signed = (text: string) => ({ method: 'POST', audience: 'shop', pathAndQuery: '/graphql', body: text });

  test('the principal reaching the subgraph is the one the key proves; client identity headers are ignored', async () => {
    const forged = encodePrincipal({ tenant: 'full', subject: 'admin', roles: ['admin'], scopes: [] });
    const { body: res } = await graphql(endpoint, '{ whoami }', { headers: { 'x-api-key': 'key-catalog', [PRINCIPAL_HEADER]: forged, 'x-tenant': 'full' } });
    expect(res).toEqual({ data: { whoami: 'catalog/key:catalog-key' } });
  });

  test('a direct call without a signature is refused', async () => {
    const res = await post({ [PRINCIPAL_HEADER]: principal });
    expect(res.status).toBe(401);
    expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  test('a signed call works once; the same call replayed is refused', async () => {
    const signature = signRequest(SECRET, principal, signed(body));
    const first = await post({ [PRINCIPAL_HEADER]: principal, [SIGNATURE_HEADER]: signature });
    expect(await first.json()).toEqual({ data: { whoami: 'full/key:full-key' } });
    const replay = await post({ [PRINCIPAL_HEADER]: principal, [SIGNATURE_HEADER]: signature });
    expect(replay.status).toBe(401);
    expect((await replay.json()).errors[0].message).toMatch(/replayed/);
  });

  test('forged, stale or tampered signatures are refused', async () => {
    const forged = await post({ [PRINCIPAL_HEADER]: principal, [SIGNATURE_HEADER]: signRequest('wrong-secret', principal, signed(body)) });
    expect(forged.status).toBe(401);
    const stale = await post({ [PRINCIPAL_HEADER]: principal, [SIGNATURE_HEADER]: signRequest(SECRET, principal, signed(body), Date.now() - 5 * 60_000) });
    expect(stale.status).toBe(401);
    const other = encodePrincipal({ tenant: 'full', subject: 'x', roles: ['admin'], scopes: [] });
    const tampered = await post({ [PRINCIPAL_HEADER]: other, [SIGNATURE_HEADER]: signRequest(SECRET, principal, signed(body)) });
    expect(tampered.status).toBe(401);
  });
});
