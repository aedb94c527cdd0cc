/**
 * Issue 10, item 1: a valid token does only what its scopes allow. A gateway's read + usage token
 * cannot write tenants, publish or create keys; a publisher scoped to one subgraph cannot touch
 * another, nor tenants, nor roll back. Each refusal is 403 FORBIDDEN, and nothing changes.
 */
import { ADMIN, PUBLISHER, READER, startRegistryUnderAttack, storedTenant, type RegistryUnderAttack } from './support/registry-under-attack';
import { booksSdl, REVIEWS_SDL } from '../../schema-registry/test-support';

let r: RegistryUnderAttack;
beforeAll(async () => {
  r = await startRegistryUnderAttack();
});
afterAll(() => r.close());

test('wrong scope: 403 FORBIDDEN naming the missing scope, state unchanged', async () => {
  const before = await storedTenant(r, 'acme');
  const cases: Array<{ token: string; method: string; path: string; body?: unknown; message: string }> = [
    { token: READER, method: 'PUT', path: '/api/variants/prod/tenants/acme', body: { policy: { fallback: 'allow' } }, message: 'this action needs the "admin" scope; this credential has scopes "read", "report-usage"' },
    { token: READER, method: 'POST', path: '/api/variants/prod/tenants/acme/api-keys', body: {}, message: 'this action needs the "admin" scope; this credential has scopes "read", "report-usage"' },
    { token: READER, method: 'POST', path: '/api/variants/prod/subgraphs', body: { name: 'books', url: 'http://x.test/graphql', sdl: booksSdl('x: Int') }, message: 'this action needs the "publish" scope; this credential has scopes "read", "report-usage"' },
    { token: READER, method: 'POST', path: '/api/variants/prod/rollback', body: { toVersion: 1 }, message: 'this action needs the "admin" scope; this credential has scopes "read", "report-usage"' },
    { token: PUBLISHER, method: 'PUT', path: '/api/variants/prod/tenants/acme', body: { policy: { fallback: 'allow' } }, message: 'this action needs the "admin" scope; this credential has scopes "publish", "read"' },
    { token: PUBLISHER, method: 'POST', path: '/api/variants/prod/rollback', body: { toVersion: 1 }, message: 'this action needs the "admin" scope; this credential has scopes "publish", "read"' },
    { token: PUBLISHER, method: 'POST', path: '/api/variants/prod/subgraphs', body: { name: 'reviews', url: 'http://x.test/graphql', sdl: REVIEWS_SDL }, message: 'this token may only change subgraphs "books", not "reviews"' },
    { token: PUBLISHER, method: 'POST', path: '/api/usage', body: { reports: [{ coordinate: 'Book.title', count: 1000 }] }, message: 'this action needs the "report-usage" scope; this credential has scopes "publish", "read"' },
  ];
  for (const c of cases) {
    const res = await r.send({ method: c.method, path: c.path, headers: r.json(c.token), body: JSON.stringify(c.body) });
    expect({ path: c.path, status: res.status, body: res.body }).toEqual({ path: c.path, status: 403, body: { error: { code: 'FORBIDDEN', message: c.message } } });
  }
  expect(await storedTenant(r, 'acme')).toEqual(before);
  const versions = await r.send({ method: 'GET', path: '/api/variants/prod/versions', headers: r.json(ADMIN) });
  expect(versions.body.versions).toHaveLength(1);
});

test('the GraphQL API applies the same scopes', async () => {
  const res = await r.send({ method: 'POST', path: '/graphql', headers: r.json(READER), body: JSON.stringify({ query: 'mutation { promote(from: "prod", to: "dev") { status } }' }) });
  expect(res.status).toBe(403);
  expect(res.body.errors[0]).toMatchObject({ message: 'this action needs the "admin" scope; this credential has scopes "read", "report-usage"', extensions: { code: 'FORBIDDEN' } });
  expect(res.body.data).toBeNull();
});

test('the right scope is served', async () => {
  expect((await r.send({ method: 'GET', path: '/api/variants/prod/tenants', headers: r.json(READER) })).status).toBe(200);
  expect((await r.send({ method: 'POST', path: '/api/usage', headers: r.json(READER), body: JSON.stringify({ reports: [{ coordinate: 'Book.title', count: 1 }] }) })).status).toBe(202);
  expect((await r.send({ method: 'POST', path: '/api/variants/prod/subgraphs', headers: r.json(PUBLISHER), body: JSON.stringify({ name: 'books', url: 'http://books.test/graphql', sdl: booksSdl('year: Int\n  isbn: String') }) })).status).toBe(201);
});
