/** `checkAgainstRegistry` (the `charter check --registry` hook) returns the registry's report, and throws when it cannot run. */
import { checkAgainstRegistry } from './check-client';
import { booksSdl, startTestRegistry, type TestRegistry } from './test-support';
import { sha256Hex } from './auth';

let t: TestRegistry;
beforeAll(async () => {
  t = await startTestRegistry({ tokens: [{ tokenSha256: sha256Hex('ci'), role: 'reader' }, { tokenSha256: sha256Hex('adm'), role: 'admin' }] }, 'adm');
  await t.client.publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl('year: Int\n  isbn: String') });
  await t.client.reportUsage([{ coordinate: 'Book.isbn', client: { name: 'web' }, count: 2 }]);
});
afterAll(() => t.close());

test('a failing change comes back as a fail report naming the field and its usage', async () => {
  const report = await checkAgainstRegistry({ registryUrl: `${t.registry.url}/`, variant: 'prod', subgraph: 'books', sdl: booksSdl('year: Int'), token: 'ci' });
  expect(report.verdict).toBe('fail');
  expect(report.title).toBe('Check of subgraph "books" against variant "prod"');
  expect(report.failures).toContainEqual(expect.objectContaining({ kind: 'change', coordinate: 'Book.isbn', message: expect.stringContaining('2 requests in the last 7 days from web') }));
  const passing = await checkAgainstRegistry({ registryUrl: t.registry.url, variant: 'prod', subgraph: 'books', sdl: booksSdl('year: Int\n  isbn: String\n  pages: Int'), token: 'ci' });
  expect(passing.verdict).toBe('pass');
});

test('a bad token or an unreachable registry throws a message the CLI prints (exit 2)', async () => {
  await expect(checkAgainstRegistry({ registryUrl: t.registry.url, variant: 'prod', subgraph: 'books', sdl: booksSdl(), token: 'wrong' })).rejects.toThrow('the registry refused the check (401 UNAUTHENTICATED): unknown registry token');
  await expect(checkAgainstRegistry({ registryUrl: 'http://127.0.0.1:1', variant: 'prod', subgraph: 'books', sdl: booksSdl(), token: 'ci' })).rejects.toThrow(/cannot reach the registry at http:\/\/127\.0\.0\.1:1/);
});
