/**
 * Big graphs are checked in a worker thread with the same verdicts (usage included); a composition
 * that overruns its timeout is refused with a clear error and the registry keeps serving.
 */
import { CheckRunner } from './check-runner';
import { booksSdl, REVIEWS_SDL, startTestRegistry } from './test-support';
import type { SubgraphRecord } from './client/wire-types';

const records: SubgraphRecord[] = [
  { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl(), status: 'active' },
  { name: 'reviews', url: 'http://reviews.test/graphql', sdl: REVIEWS_SDL, status: 'active' },
];

test('in a worker, a publish gets the same checks, usage included', async () => {
  const t = await startTestRegistry({ governance: { composition: { workerMinSubgraphs: 0 } } });
  try {
    expect(t.registry.publisher.runner.workerMinSubgraphs).toBe(0);
    expect((await t.client.publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl('year: Int\n  isbn: String @deprecated(reason: "x")') })).status).toBe(201);
    await t.client.reportUsage([{ coordinate: 'Book.isbn', client: { name: 'web' }, count: 2 }]);
    const refused = await t.client.publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl('year: Int') });
    expect(refused.status).toBe(422);
    expect(refused.body.error.problems).toEqual([expect.objectContaining({ coordinate: 'Book.isbn', message: expect.stringContaining('2 requests in the last 7 days from web') })]);
    expect((await t.client.publish('prod', { name: 'reviews', url: 'http://reviews.test/graphql', sdl: REVIEWS_SDL })).status).toBe(201);
  } finally {
    await t.close();
  }
});

test('a composition that overruns the timeout comes back as COMPOSITION_TIMEOUT, and the next job runs', async () => {
  const runner = new CheckRunner({ workerMinSubgraphs: 0, timeoutMs: 1 });
  try {
    const slow = await runner.run({ subgraphs: records, changed: [{ name: 'books', newSdl: booksSdl() }] }, undefined);
    expect(slow.supergraphSdl).toBeUndefined();
    expect(slow.report.verdict).toBe('fail');
    expect(slow.report.failures).toEqual([{ kind: 'composition', rule: 'COMPOSITION_TIMEOUT', message: 'Composition of 2 subgraphs did not finish within 1 ms' }]);
  } finally {
    await runner.close();
  }
  const patient = new CheckRunner({ workerMinSubgraphs: 0, timeoutMs: 20_000 });
  try {
    const ok = await patient.run({ subgraphs: records, changed: [{ name: 'books', newSdl: booksSdl() }] }, undefined);
    expect(ok.report.verdict).toBe('pass');
    expect(ok.supergraphSdl).toMatch(/latestReviews/);
  } finally {
    await patient.close();
  }
});

test('the publish HTTP answer for a timed-out composition is 422 COMPOSITION_FAILED naming the timeout', async () => {
  const t = await startTestRegistry({ governance: { composition: { workerMinSubgraphs: 0, timeoutMs: 1 } } });
  try {
    const { status, body } = await t.client.publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl() });
    expect(status).toBe(422);
    expect(body.error).toMatchObject({ code: 'COMPOSITION_FAILED', message: 'Subgraph "books" does not compose with variant "prod": Composition of 1 subgraphs did not finish within 1 ms' });
    expect((await fetch(`${t.registry.url}/health`)).status).toBe(200);
  } finally {
    await t.close();
  }
});
