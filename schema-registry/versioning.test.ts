/**
 * Versions over time: history, diff between any two versions, rollback through the checks,
 * promotion between variants, the subgraph lifecycle (retiring is refused while its fields are
 * used), concurrent publishes, and clear errors for bad requests.
 */
import { booksSdl, REVIEWS_SDL, startTestRegistry, type TestRegistry } from './test-support';

let t: TestRegistry;
const URL_BOOKS = 'http://books.test/graphql';
const URL_REVIEWS = 'http://reviews.test/graphql';

beforeEach(async () => {
  t = await startTestRegistry();
  expect((await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: booksSdl(), author: 'ada', commit: 'c1' })).status).toBe(201);
  expect((await t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: booksSdl('year: Int\n  isbn: String'), author: 'bob' })).status).toBe(201);
});
afterEach(() => t.close());

const get = async (path: string): Promise<{ status: number; body: any }> => {
  const res = await fetch(`${t.registry.url}${path}`);
  return { status: res.status, body: await res.json() };
};

test('history lists versions newest first with parent, author and commit', async () => {
  const { status, body } = await t.client.history('prod');
  expect(status).toBe(200);
  expect(body.versions).toEqual([
    expect.objectContaining({ id: 2, parentId: 1, action: 'publish', subgraph: 'books', author: 'bob' }),
    expect.objectContaining({ id: 1, parentId: null, action: 'publish', subgraph: 'books', author: 'ada', commit: 'c1' }),
  ]);
  expect((await t.client.history('prod', 1)).body.versions.map((v: any) => v.id)).toEqual([2]);
});

test('diff classifies the changes between any two versions, both ways', async () => {
  const forward = await t.client.diff('prod', 1, 2);
  expect(forward.status).toBe(200);
  expect(forward.body.changes).toEqual([expect.objectContaining({ criticality: 'SAFE', type: 'FIELD_ADDED', coordinate: 'Book.isbn' })]);
  const backward = await t.client.diff('prod', 2, 1);
  expect(backward.body.changes).toEqual([expect.objectContaining({ criticality: 'BREAKING', type: 'FIELD_REMOVED', coordinate: 'Book.isbn' })]);
  expect((await t.client.diff('prod', 1, 9)).status).toBe(404);
  expect((await t.client.diff('prod', 1, 9)).body.error.message).toBe('Variant "prod" has no version 9');
  expect((await get('/api/variants/prod/diff?from=1')).body.error.message).toBe('query parameter "to" is required');
  expect((await get('/api/variants/prod/diff?from=x&to=2')).status).toBe(400);
});

test('rollback re-publishes an old subgraph set as a new version with action "rollback"', async () => {
  const { status, body } = await t.client.rollback('prod', 1, 'ops');
  expect(status).toBe(201);
  expect(body.version).toMatchObject({ id: 3, parentId: 2, action: 'rollback', author: 'ops', source: { variant: 'prod', id: 1 } });
  const head = (await get('/api/variants/prod/versions/3')).body;
  const v1 = (await get('/api/variants/prod/versions/1')).body;
  expect(head.supergraphSdl).toBe(v1.supergraphSdl);
  expect(head.report.notes.join(' ')).toMatch(/Rollback to version 1/);
  // Rolling back to what is live changes nothing.
  expect((await t.client.rollback('prod', 3)).body.status).toBe('unchanged');
});

test('a rollback that would remove a used field is refused by the usage check', async () => {
  await t.client.reportUsage([{ coordinate: 'Book.isbn', client: { name: 'web' }, count: 7 }]);
  const { status, body } = await t.client.rollback('prod', 1);
  expect(status).toBe(422);
  expect(body.error.code).toBe('CHECKS_FAILED');
  expect(body.error.problems).toEqual([expect.objectContaining({ coordinate: 'Book.isbn', message: expect.stringContaining('7 requests in the last 7 days from web') })]);
  expect((await t.client.history('prod')).body.versions).toHaveLength(2);
});

test('rollback errors: unknown version 404, bad body 400', async () => {
  expect(await t.client.rollback('prod', 42)).toEqual({ status: 404, body: { status: 'rejected', error: { code: 'NOT_FOUND', message: 'Variant "prod" has no version 42', problems: [] } } });
  const bad = await t.client.rollback('prod', 'one' as any);
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toMatch(/toVersion: Expected number/);
});

test('variants have their own heads; promotion takes the source head through the target checks', async () => {
  expect((await t.client.publish('dev', { name: 'reviews', url: URL_REVIEWS, sdl: REVIEWS_SDL })).status).toBe(201);
  expect((await t.client.publish('dev', { name: 'books', url: URL_BOOKS, sdl: booksSdl('year: Int\n  isbn: String\n  pages: Int') })).status).toBe(201);
  expect((await get('/api/variants')).body).toEqual({ variants: ['dev', 'prod'] });

  const promoted = await t.client.promote('dev', 'prod', 'release-bot');
  expect(promoted.status).toBe(201);
  expect(promoted.body.version).toMatchObject({ id: 3, action: 'promote', source: { variant: 'dev', id: 2 } });
  const subgraphs = (await t.client.subgraphs('prod')).body.subgraphs.map((s: any) => s.name).sort();
  expect(subgraphs).toEqual(['books', 'reviews']);
  const promotedChanges = (await t.client.diff('prod', 2, 3)).body.changes;
  expect([...new Set(promotedChanges.map((c: any) => c.coordinate))].sort()).toEqual(['Book.pages', 'Book.reviews', 'Query.latestReviews', 'Review', 'Review.id', 'Review.stars']);
  expect(promotedChanges.every((c: any) => c.criticality === 'SAFE')).toBe(true);

  expect((await t.client.promote('dev', 'prod')).body.status).toBe('unchanged');
  expect((await t.client.promote('staging', 'prod')).status).toBe(404);
  expect((await t.client.promote('prod', 'prod')).status).toBe(400);
});

test('promotion is refused when it would break a field prod clients use', async () => {
  // dev dropped isbn without prod ever seeing a deprecation: prod's usage and lint both object.
  expect((await t.client.publish('dev', { name: 'books', url: URL_BOOKS, sdl: booksSdl('year: Int') })).status).toBe(201);
  await t.client.reportUsage([{ coordinate: 'Book.isbn', client: { name: 'web' }, count: 1 }]);
  const { status, body } = await t.client.promote('dev', 'prod');
  expect(status).toBe(422);
  expect(body.error.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'change', coordinate: 'Book.isbn' }), expect.objectContaining({ kind: 'lint', code: 'deprecate-before-delete', coordinate: 'Book.isbn' })]));
});

describe('subgraph lifecycle', () => {
  beforeEach(async () => {
    expect((await t.client.publish('prod', { name: 'reviews', url: URL_REVIEWS, sdl: REVIEWS_SDL })).status).toBe(201);
  });

  test('deprecating keeps the supergraph; retiring removes the subgraph once nothing uses it', async () => {
    const deprecated = await t.client.setLifecycle('prod', 'reviews', 'deprecated');
    expect(deprecated.status).toBe(201);
    expect(deprecated.body.version).toMatchObject({ id: 4, action: 'lifecycle', subgraph: 'reviews' });
    expect((await t.client.subgraphs('prod')).body.subgraphs.find((s: any) => s.name === 'reviews').status).toBe('deprecated');
    expect((await t.client.diff('prod', 3, 4)).body.changes).toEqual([]);

    const retired = await t.client.setLifecycle('prod', 'reviews', 'retired');
    expect(retired.status).toBe(201);
    const sdl = (await t.client.fetchSupergraph('prod'))!.supergraphSdl;
    expect(sdl).not.toMatch(/latestReviews|type Review/);
    expect((await t.client.setLifecycle('prod', 'reviews', 'retired')).body.status).toBe('unchanged');
    // A retired subgraph cannot be published until it is made active again.
    const again = await t.client.publish('prod', { name: 'reviews', url: URL_REVIEWS, sdl: REVIEWS_SDL });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(/is retired/);
    expect((await t.client.setLifecycle('prod', 'reviews', 'active')).status).toBe(201);
    expect((await t.client.fetchSupergraph('prod'))!.supergraphSdl).toMatch(/latestReviews/);
  });

  test('retiring is refused while its fields are used, naming them and their usage', async () => {
    await t.client.reportUsage([{ coordinate: 'Query.latestReviews', client: { name: 'web' }, count: 12 }]);
    const { status, body } = await t.client.setLifecycle('prod', 'reviews', 'retired');
    expect(status).toBe(422);
    expect(body.error.code).toBe('CHECKS_FAILED');
    expect(body.error.problems).toContainEqual(expect.objectContaining({ coordinate: 'Query.latestReviews', message: expect.stringContaining('12 requests in the last 7 days from web -> breaking') }));
    expect((await t.client.subgraphs('prod')).body.subgraphs.find((s: any) => s.name === 'reviews').status).toBe('active');
  });

  test('bad lifecycle requests: unknown subgraph 404, bad status 400', async () => {
    expect((await t.client.setLifecycle('prod', 'nope', 'retired')).status).toBe(404);
    const bad = await t.client.setLifecycle('prod', 'reviews', 'gone' as any);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('status: must be "active", "deprecated" or "retired"');
  });
});

test('two concurrent publishes to one variant both land, in order, none lost', async () => {
  const [a, b] = await Promise.all([
    t.client.publish('prod', { name: 'reviews', url: URL_REVIEWS, sdl: REVIEWS_SDL }),
    t.client.publish('prod', { name: 'books', url: URL_BOOKS, sdl: booksSdl('year: Int\n  isbn: String\n  pages: Int') }),
  ]);
  expect([a.status, b.status]).toEqual([201, 201]);
  expect([a.body.version.id, b.body.version.id].sort()).toEqual([3, 4]);
  const head = (await get('/api/variants/prod/versions/4')).body;
  expect(head.subgraphs.map((s: any) => s.name).sort()).toEqual(['books', 'reviews']);
  expect(head.supergraphSdl).toMatch(/pages/);
  expect(head.supergraphSdl).toMatch(/latestReviews/);
});

test('unknown routes and variants answer 404 with a JSON error', async () => {
  expect(await get('/api/variants/prod/nothing')).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'No route for GET /api/variants/prod/nothing' } } });
  expect((await get('/api/variants/qa/supergraph')).status).toBe(404);
  expect((await get('/api/variants/prod/versions/abc')).status).toBe(400);
  expect((await get('/api/variants/prod/versions?limit=0')).status).toBe(400);
});
