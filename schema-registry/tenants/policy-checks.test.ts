/**
 * Policies are checked against the schema both ways: a policy naming a coordinate the variant's
 * current API lacks is refused with 422 naming each one, and a schema change that removes a
 * coordinate some tenant's policy names fails its check with a finding naming tenant and coordinate.
 */
import { booksSdl, startTestRegistry, type TestRegistry } from '../test-support';
import { TenantRegistryClient } from '../client/tenant-client';

let t: TestRegistry;
let tenants: TenantRegistryClient;
const URL_BOOKS = 'http://books.test/graphql';
// The removal path the lint rules accept: deprecate, then remove.
const DEPRECATED = booksSdl('year: Int @deprecated(reason: "use published")\n  published: String');
const REMOVED = booksSdl('published: String');

beforeEach(async () => {
  t = await startTestRegistry();
  tenants = new TenantRegistryClient(t.registry.url);
  expect((await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: booksSdl() })).status).toBe(201);
  expect((await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: DEPRECATED })).status).toBe(201);
});
afterEach(() => t.close());

describe('saving a policy', () => {
  test('a policy naming coordinates the API lacks is refused with 422, naming each one, and nothing is stored', async () => {
    const { status, body } = await tenants.putTenant('prod', 'acme', { policy: { fallback: 'allow', rules: { 'Book.title': 'allow', 'Book.isbn': 'deny', 'Author.*': 'deny', 'Query.books': { role: 'reader' } } } });
    expect(status).toBe(422);
    expect(body.error.code).toBe('CHECKS_FAILED');
    expect(body.error.message).toBe('The policy of tenant "acme" names coordinates that variant "prod" (version 2) lacks: Book.isbn, Author.*');
    expect(body.error.problems).toEqual([
      { coordinate: 'Book.isbn', code: 'POLICY_COORDINATE_UNKNOWN', message: 'Policy names field "Book.isbn", which the schema does not define.' },
      { coordinate: 'Author.*', code: 'POLICY_COORDINATE_UNKNOWN', message: 'Policy names type "Author", which the schema does not define.' },
    ]);
    expect((await tenants.fetchTenants('prod'))!.tenants).toEqual([]);
  });

  test('coordinates are checked against the API schema, not the supergraph: federation internals are not coordinates', async () => {
    const { status, body } = await tenants.putTenant('prod', 'acme', { policy: { rules: { 'Query._entities': 'deny' } } });
    expect(status).toBe(422);
    expect(body.error.problems.map((p: any) => p.coordinate)).toEqual(['Query._entities']);
  });

  test('a policy that does not parse is refused with 400 naming the bad key', async () => {
    const { status, body } = await tenants.putTenant('prod', 'acme', { policy: { fallback: 'maybe', rules: { 'Book.title': { role: '' } } } });
    expect(status).toBe(400);
    expect(body.error.code).toBe('BAD_REQUEST');
    expect(body.error.message).toContain('fallback');
    expect(body.error.message).toContain('rules["Book.title"]');
  });

  test('a policy naming only existing coordinates is saved', async () => {
    const { status, body } = await tenants.putTenant('prod', 'acme', { policy: { rules: { 'Book.year': 'deny', 'Book.*': 'allow', 'Query.books': 'allow' } } });
    expect(status).toBe(201);
    expect(body.tenant.policy).toEqual({ mode: 'filter', fallback: 'deny', rules: { 'Book.year': 'deny', 'Book.*': 'allow', 'Query.books': 'allow' } });
  });
});

describe('changing the schema under a policy', () => {
  test('the removal passes while no policy names the field', async () => {
    expect((await tenants.putTenant('prod', 'other', { policy: { fallback: 'allow', rules: { 'Book.title': 'deny' } } })).status).toBe(201);
    expect((await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: REMOVED })).status).toBe(201);
  });

  test('a publish that removes a coordinate a policy names fails, naming the tenant and coordinate, and stores nothing', async () => {
    expect((await tenants.putTenant('prod', 'acme', { policy: { fallback: 'allow', rules: { 'Book.year': 'deny' } } })).status).toBe(201);
    expect((await tenants.putTenant('prod', 'beta', { policy: { fallback: 'allow', rules: { 'Book.title': 'deny' } } })).status).toBe(201);

    const { status, body } = await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: REMOVED });
    expect(status).toBe(422);
    expect(body.error.code).toBe('CHECKS_FAILED');
    expect(body.error.problems).toEqual([
      { kind: 'change', code: 'policy-coordinate-removed', coordinate: 'Book.year', message: 'The policy of tenant "acme" names Book.year, which this change removes from the API; change the policy first.' },
    ]);
    expect(body.report.verdict).toBe('fail');
    expect((await t.client.history('prod')).body.versions.map((v: any) => v.id)).toEqual([2, 1]);
  });

  test('a check (the CI gate) reports the same failure without storing', async () => {
    expect((await tenants.putTenant('prod', 'acme', { policy: { rules: { 'Book.*': 'allow', 'Book.year': 'deny' } } })).status).toBe(201);
    const { status, body } = await t.client.check('prod', { name: 'books', sdl: REMOVED });
    expect(status).toBe(200);
    expect(body.verdict).toBe('fail');
    expect(body.report.failures).toEqual([expect.objectContaining({ rule: 'policy-coordinate-removed', coordinate: 'Book.year', message: expect.stringContaining('tenant "acme"') })]);
  });

  test('policies of another variant do not hold this one back', async () => {
    expect((await t.client.publish('dev', { name: 'books', url: URL_BOOKS, sdl: DEPRECATED })).status).toBe(201);
    expect((await tenants.putTenant('dev', 'acme', { policy: { rules: { 'Book.year': 'deny' } } })).status).toBe(201);
    expect((await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: REMOVED })).status).toBe(201);
  });

  test('once the policy stops naming the field, the removal passes', async () => {
    expect((await tenants.putTenant('prod', 'acme', { policy: { fallback: 'allow', rules: { 'Book.year': 'deny' } } })).status).toBe(201);
    expect((await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: REMOVED })).status).toBe(422);
    expect((await tenants.putTenant('prod', 'acme', { policy: { fallback: 'allow' } })).status).toBe(200);
    expect((await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: REMOVED })).status).toBe(201);
  });
});

test('the policy check also runs when composition runs in the worker thread', async () => {
  const w = await startTestRegistry({ governance: { composition: { workerMinSubgraphs: 0 } } });
  try {
    const client = new TenantRegistryClient(w.registry.url);
    expect((await w.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: DEPRECATED })).status).toBe(201);
    expect((await client.putTenant('prod', 'acme', { policy: { rules: { 'Book.year': 'deny' } } })).status).toBe(201);
    const { status, body } = await w.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: REMOVED });
    expect(status).toBe(422);
    expect(body.error.problems).toEqual([expect.objectContaining({ code: 'policy-coordinate-removed', coordinate: 'Book.year' })]);
  } finally {
    await w.close();
  }
});
