/**
 * `charter check --registry URL --variant V` (the CLI as a user runs it) against a running
 * registry: the registry's checks with its usage data, exit 0 pass / 1 fail / 2 could not run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { booksSdl, startTestRegistry, type TestRegistry } from '../schema-registry/test-support';
import { runCharter, tempDir } from './support/charter-process';
import { freePort } from './support/ports';

let t: TestRegistry;
let dir: string;

function schemaFile(name: string, sdl: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, sdl);
  return file;
}

const check = (file: string, ...extra: string[]) => runCharter(['check', '--registry', t.registry.url, '--variant', 'prod', '--subgraph', 'books', '--schema', file, ...extra]);

beforeAll(async () => {
  dir = tempDir('check-registry');
  t = await startTestRegistry();
  const published = await t.client.publish('prod', { name: 'books', url: 'http://127.0.0.1:1/graphql', sdl: booksSdl('year: Int\n  isbn: String @deprecated(reason: "use ids")'), owner: 'team-books' });
  expect(published.status).toBe(201);
  expect((await t.client.reportUsage([{ coordinate: 'Book.year', count: 7, client: { name: 'storefront' } }])).status).toBe(202);
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('an additive change passes with exit 0', async () => {
  const { code, stdout, stderr } = await check(schemaFile('additive.graphql', booksSdl('year: Int\n  isbn: String @deprecated(reason: "use ids")\n  "Pages"\n  pages: Int')));
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain('Check of subgraph "books" against variant "prod": PASS');
  expect(stdout).toContain('Book.pages');
});

test('removing a field clients use fails with exit 1, naming the field and its usage', async () => {
  const { code, stdout } = await check(schemaFile('breaking.graphql', booksSdl('isbn: String @deprecated(reason: "use ids")')), '--format', 'json');
  expect(code).toBe(1);
  const report = JSON.parse(stdout);
  expect(report.verdict).toBe('fail');
  expect(report.changes).toContainEqual(expect.objectContaining({ criticality: 'BREAKING', type: 'FIELD_REMOVED', coordinate: 'Book.year' }));
  expect(JSON.stringify(report)).toContain('storefront');
});

test('removing a deprecated field nobody used passes: the registry judged it by usage', async () => {
  const { code, stdout } = await check(schemaFile('unused-removed.graphql', booksSdl('year: Int')), '--format', 'json');
  expect(code).toBe(0);
  const report = JSON.parse(stdout);
  expect(report.verdict).toBe('pass');
  expect(report.changes).toContainEqual(expect.objectContaining({ coordinate: 'Book.isbn', criticality: 'BREAKING' }));
  // Nothing was stored by any check.
  expect((await t.client.history('prod')).body.versions).toHaveLength(1);
});

test('exit 2 when the registry cannot be reached or the schema file is missing', async () => {
  const port = await freePort();
  const down = await runCharter(['check', '--registry', `http://127.0.0.1:${port}`, '--subgraph', 'books', '--schema', schemaFile('any.graphql', booksSdl())]);
  expect(down.code).toBe(2);
  expect(down.stderr).toContain(`cannot reach the registry at http://127.0.0.1:${port}`);

  const missing = await check(path.join(dir, 'nope.graphql'));
  expect(missing.code).toBe(2);
  expect(missing.stderr).toContain('no such file');
});
