/** The registry's GraphQL API drives the same pipeline: publish, check, history, diff, rollback, usage, subgraphs. */
import { booksSdl, startTestRegistry, type TestRegistry } from './test-support';

let t: TestRegistry;
beforeAll(async () => {
  t = await startTestRegistry();
});
afterAll(() => t.close());

async function gql(query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.registry.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: await res.json() };
}

const PUBLISH = `mutation($variant: String!, $input: PublishInput!) { publish(variant: $variant, input: $input) { status code message version { id parentId action } problems { code coordinate message } } }`;

test('publish, history, diff, usage and a refused publish as values', async () => {
  const url = 'http://books.test/graphql';
  expect((await gql(PUBLISH, { variant: 'prod', input: { name: 'books', url, sdl: booksSdl() } })).body.data.publish).toEqual({ status: 'PUBLISHED', code: null, message: null, version: { id: 1, parentId: null, action: 'publish' }, problems: [] });
  expect((await gql(PUBLISH, { variant: 'prod', input: { name: 'books', url, sdl: booksSdl('year: Int\n  isbn: String') } })).body.data.publish.status).toBe('PUBLISHED');

  expect((await gql(`mutation { reportUsage(reports: [{ coordinate: "Book.isbn", client: { name: "web" }, count: 4 }]) }`)).body).toEqual({ data: { reportUsage: 1 } });
  expect((await gql(`{ usage(coordinates: ["Book.isbn", "Book.title"]) { coordinate count clients { client count } } }`)).body.data.usage).toEqual([
    { coordinate: 'Book.isbn', count: 4, clients: [{ client: 'web', count: 4 }] },
    { coordinate: 'Book.title', count: 0, clients: [] },
  ]);

  const refused = (await gql(PUBLISH, { variant: 'prod', input: { name: 'books', url, sdl: booksSdl('year: Int') } })).body.data.publish;
  expect(refused).toMatchObject({ status: 'REJECTED', code: 'CHECKS_FAILED', version: null });
  expect(refused.problems).toContainEqual({ code: 'FIELD_REMOVED', coordinate: 'Book.isbn', message: expect.stringContaining('4 requests in the last 7 days from web -> breaking') });

  const check = (await gql(`mutation { check(variant: "prod", input: { name: "books", sdl: ${JSON.stringify(booksSdl('year: Int'))} }) { verdict report } }`)).body.data.check;
  expect(check.verdict).toBe('fail');
  expect(check.report.failures.map((f: any) => f.coordinate)).toContain('Book.isbn');

  const read = (await gql(`{ versions(variant: "prod") { id action } head(variant: "prod") { id subgraphs { name status } } diff(variant: "prod", from: 1, to: 2) { changes { criticality coordinate } } subgraphs(variant: "prod") { name url } }`)).body.data;
  expect(read).toEqual({
    versions: [{ id: 2, action: 'publish' }, { id: 1, action: 'publish' }],
    head: { id: 2, subgraphs: [{ name: 'books', status: 'active' }] },
    diff: { changes: [{ criticality: 'SAFE', coordinate: 'Book.isbn' }] },
    subgraphs: [{ name: 'books', url }],
  });
});

test('errors: unknown versions, bad input and malformed requests', async () => {
  const missing = await gql(`{ diff(variant: "prod", from: 1, to: 99) { from } }`);
  expect(missing.body.errors[0]).toMatchObject({ message: 'Variant "prod" has no version 99', extensions: { code: 'NOT_FOUND' } });
  const badInput = (await gql(PUBLISH, { variant: 'prod', input: { name: 'Books!', url: 'nope', sdl: 'type Query { a: Int }' } })).body.data.publish;
  expect(badInput).toMatchObject({ status: 'REJECTED', code: 'BAD_REQUEST' });
  expect(badInput.message).toMatch(/name: must start with a lower-case letter.*url: must be an absolute http\(s\) URL/);
  const badUsage = await gql(`mutation { reportUsage(reports: [{ coordinate: "not a coordinate", count: 1 }]) }`);
  expect(badUsage.body.errors[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('must be a schema coordinate') });
  const notJson = await fetch(`${t.registry.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
  expect(notJson.status).toBe(400);
  expect((await gql('{ nope }')).status).toBe(400);
});
