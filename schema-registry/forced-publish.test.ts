/**
 * `force` on a publish (RULINGS): admins only, a reason required, usage-judged breaking changes and
 * lint overridden, composition never; the reason, the verified caller and what was overridden are
 * kept in the version (the audit record).
 */
import { RegistryClient } from './client/registry-client';
import { booksSdl, FED, startTestRegistry, type TestRegistry } from './test-support';
import { sha256Hex } from './auth';

const ADMIN = 'forced-publish-admin';
const PUBLISHER = 'forced-publish-publisher';
let t: TestRegistry;
const as = (token: string): RegistryClient => new RegistryClient(t.registry.url, token);
const url = 'http://books.test/graphql';

beforeAll(async () => {
  t = await startTestRegistry({
    tokens: [
      { id: 'ops', tokenSha256: sha256Hex(ADMIN), scopes: ['admin'] },
      { id: 'ci', tokenSha256: sha256Hex(PUBLISHER), scopes: ['publish'] },
    ],
  });
  expect((await as(ADMIN).publish('prod', { name: 'books', url, sdl: booksSdl() })).status).toBe(201);
  // Book.year is used: removing it is breaking.
  expect((await as(ADMIN).reportUsage([{ coordinate: 'Book.year', count: 5 }])).status).toBe(202);
});
afterAll(() => t.close());

test('without force the used field cannot be removed', async () => {
  const res = await as(ADMIN).publish('prod', { name: 'books', url, sdl: booksSdl('isbn: String') });
  expect(res.status).toBe(422);
  expect(res.body.error.code).toBe('CHECKS_FAILED');
});

test('a publisher may not force (403), and a force needs a reason (400)', async () => {
  const publisher = await as(PUBLISHER).publish('prod', { name: 'books', url, sdl: booksSdl('isbn: String'), force: { reason: 'because' } });
  expect(publisher).toEqual({ status: 403, body: { error: { code: 'FORBIDDEN', message: 'this action needs the "admin" scope; this credential has scopes "publish", "read"' } } });
  const noReason = await as(ADMIN).publish('prod', { name: 'books', url, sdl: booksSdl('isbn: String'), force: {} as { reason: string } });
  expect(noReason.status).toBe(400);
  expect(noReason.body.error).toEqual({ code: 'BAD_REQUEST', message: 'force: reason: a reason is required' });
  expect((await as(ADMIN).history('prod')).body.versions).toHaveLength(1);
});

test('a forced publish never skips composition', async () => {
  const broken = `${FED}\ntype Book @key(fields: "id") {\n  id: ID!\n  title: Int!\n}\ntype Query { other: Book }`;
  const res = await as(ADMIN).publish('prod', { name: 'other', url: 'http://other.test/graphql', sdl: broken, force: { reason: 'try anyway' } });
  expect(res.status).toBe(422);
  expect(res.body.error.code).toBe('COMPOSITION_FAILED');
});

test('an admin force publishes and records reason, caller and the overridden failures', async () => {
  const res = await as(ADMIN).publish('prod', { name: 'books', url, sdl: booksSdl('isbn: String'), author: 'someone else', force: { reason: 'year moved to editions' } });
  expect(res.status).toBe(201);
  const version = (await as(ADMIN).history('prod')).body.versions[0];
  expect(version).toMatchObject({ author: 'someone else', force: { reason: 'year moved to editions', by: 'token:ops' } });
  expect(version.force.overridden).toEqual([
    expect.objectContaining({ kind: 'change', rule: 'FIELD_REMOVED', coordinate: 'Book.year' }),
    expect.objectContaining({ kind: 'lint', rule: 'deprecate-before-delete', coordinate: 'Book.year' }),
  ]);
});

test('the GraphQL API: force is admin-only there too, and recorded the same way', async () => {
  const gql = async (token: string, sdl: string): Promise<{ status: number; body: any }> => {
    const res = await fetch(`${t.registry.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'mutation($sdl: String!) { publish(variant: "prod", input: { name: "books", url: "http://books.test/graphql", sdl: $sdl, force: { reason: "graphql force" } }) { status version { id force } } }', variables: { sdl } }),
    });
    return { status: res.status, body: await res.json() };
  };
  const sdl = booksSdl('isbn: String\n  pages: Int');
  const denied = await gql(PUBLISHER, sdl);
  expect(denied.status).toBe(403);
  expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
  const forced = await gql(ADMIN, sdl);
  expect(forced.body.data.publish).toMatchObject({ status: 'PUBLISHED', version: { force: { reason: 'graphql force', by: 'token:ops' } } });
});
