/**
 * Usage decides whether a breaking change may go live: removing a field clients used in the window
 * is refused with a report naming the field and its traffic; the same removal with no traffic (or
 * only traffic from an excluded client) passes. A check runs the same pipeline and stores nothing.
 */
import { booksSdl, startTestRegistry, type TestRegistry } from './test-support';

let t: TestRegistry;
const URL_BOOKS = 'http://books.test/graphql';
// The removal path: deprecated first (so the lint rule deprecate-before-delete is satisfied), then removed.
const DEPRECATED = booksSdl('year: Int @deprecated(reason: "use published")\n  published: String');
const REMOVED = booksSdl('published: String');

beforeEach(async () => {
  t = await startTestRegistry({ governance: { usage: { excludedClients: ['ci-smoke'] } } });
  expect((await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: booksSdl() })).status).toBe(201);
  expect((await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: DEPRECATED })).status).toBe(201);
});
afterEach(() => t.close());

test('removing a field that clients used is refused with 422 CHECKS_FAILED naming the field and its usage', async () => {
  const reported = await t.client.reportUsage([
    { coordinate: 'Book.year', client: { name: 'web', version: '1.4.0' }, tenant: 'acme', count: 3 },
    { coordinate: 'Book.year', client: { name: 'ios' }, count: 2, at: new Date(Date.now() - 2 * 86_400_000).toISOString() },
    { coordinate: 'Book.title', client: { name: 'web' }, count: 100 },
  ]);
  expect(reported).toEqual({ status: 202, body: { accepted: 3 } });

  const { status, body } = await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: REMOVED });
  expect(status).toBe(422);
  expect(body.status).toBe('rejected');
  expect(body.error.code).toBe('CHECKS_FAILED');
  expect(body.error.problems).toEqual([{ kind: 'change', code: 'FIELD_REMOVED', coordinate: 'Book.year', message: expect.stringContaining('5 requests in the last 7 days from ios, web -> breaking') }]);
  expect(body.error.message).toMatch(/FIELD_REMOVED at Book\.year/);
  expect(body.report.verdict).toBe('fail');
  expect(body.report.changes).toContainEqual(expect.objectContaining({ coordinate: 'Book.year', criticality: 'BREAKING', safeByUsage: false, usage: { count: 5, clients: ['ios', 'web'], windowDays: 7 } }));
  // Nothing stored: the head is still version 2.
  expect((await t.client.history('prod')).body.versions.map((v: any) => v.id)).toEqual([2, 1]);
});

test('the same removal with no usage in the window passes, and the version keeps the report saying why', async () => {
  // Traffic older than the 7-day window does not count.
  await t.client.reportUsage([{ coordinate: 'Book.year', client: { name: 'web' }, count: 50, at: Date.now() - 9 * 86_400_000 }]);
  const { status, body } = await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: REMOVED });
  expect(status).toBe(201);
  expect(body.version).toMatchObject({ id: 3, parentId: 2, action: 'publish', subgraph: 'books' });
  const version = (await fetch(`${t.registry.url}/api/variants/prod/versions/3`).then((r) => r.json())) as any;
  expect(version.report.verdict).toBe('pass');
  expect(version.report.changes).toContainEqual(expect.objectContaining({ coordinate: 'Book.year', safeByUsage: true, message: expect.stringContaining('0 requests in the last 7 days -> safe') }));
  expect(version.supergraphSdl).not.toMatch(/\byear\b/);
});

test('traffic from an excluded client does not keep a field alive', async () => {
  await t.client.reportUsage([{ coordinate: 'Book.year', client: { name: 'ci-smoke' }, count: 40 }]);
  const { status } = await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: REMOVED });
  expect(status).toBe(201);
});

test('a check runs the same pipeline, answers the verdict and stores nothing', async () => {
  await t.client.reportUsage([{ coordinate: 'Book.year', count: 1 }]);
  const failing = await t.client.check('prod', { name: 'books', sdl: REMOVED });
  expect(failing.status).toBe(200);
  expect(failing.body.verdict).toBe('fail');
  expect(failing.body.report.failures).toEqual([expect.objectContaining({ kind: 'change', coordinate: 'Book.year', message: expect.stringContaining('1 request in the last 7 days from unknown') })]);
  const passing = await t.client.check('prod', { name: 'books', sdl: booksSdl('year: Int @deprecated(reason: "use published")\n  published: String\n  isbn: String') });
  expect(passing.body).toMatchObject({ status: 'checked', verdict: 'pass' });
  expect(passing.body.report.changes).toContainEqual(expect.objectContaining({ coordinate: 'Book.isbn', criticality: 'SAFE' }));
  expect((await t.client.history('prod')).body.versions).toHaveLength(2);
});

test('a change that breaks a lint rule is refused naming the rule and coordinate', async () => {
  const { status, body } = await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: booksSdl('year: Int @deprecated(reason: "use published")\n  published: String\n  page_count: Int') });
  expect(status).toBe(422);
  expect(body.error.code).toBe('CHECKS_FAILED');
  expect(body.error.problems).toContainEqual(expect.objectContaining({ kind: 'lint', code: 'field-names-camel-case', coordinate: 'Book.page_count' }));
});

describe('malformed usage batches are refused with 400 naming the problem, and count nothing', () => {
  test.each([
    ['not an object', 'nope', /not valid JSON/],
    ['no reports', {}, /reports: is required/],
    ['a bad coordinate', { reports: [{ coordinate: 'Book.year.x', count: 1 }] }, /reports\.0\.coordinate: must be a schema coordinate/],
    ['a zero count', { reports: [{ coordinate: 'Book.year', count: 0 }] }, /reports\.0\.count: must be at least 1/],
    ['a fractional count', { reports: [{ coordinate: 'Book.year', count: 1.5 }] }, /reports\.0\.count: must be an integer/],
    ['a bad time', { reports: [{ coordinate: 'Book.year', count: 1, at: 'yesterday' }] }, /reports\.0\.at/],
    ['an unknown key', { reports: [{ coordinate: 'Book.year', count: 1, user: 'x' }] }, /Unrecognized key/],
  ])('%s', async (_name, body, message) => {
    const res = await fetch(`${t.registry.url}/api/usage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.message).toMatch(message);
    const usage = (await fetch(`${t.registry.url}/api/usage?coordinates=Book.year`).then((r) => r.json())) as any;
    expect(usage).toEqual({ windowDays: 7, usage: {} });
  });
});
