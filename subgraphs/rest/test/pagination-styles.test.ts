/**
 * The three paging styles a REST API uses (offset/limit, page number, cursor token or next link)
 * become one connection for `first`/`after`, walked across three backend pages, stopped by the page
 * cap, resumed from the end cursor, and safe against forged cursors.
 */
import { execute, parse, type GraphQLSchema } from 'graphql';
import { listen, sendJson, type RunningServer } from '../../../core/http';
import { buildRestSubgraph } from '../wrap/build';
import type { RestMapping } from '../wrap/mapping';

const ITEMS = Array.from({ length: 25 }, (_, i) => ({ id: String(i + 1), title: `Post ${i + 1}` }));
const PAGE = 5;

const SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
  type Post @key(fields: "id") { id: ID! title: String! }
  type PostEdge { cursor: String! node: Post! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type PostConnection { edges: [PostEdge!]! nodes: [Post!]! pageInfo: PageInfo! }
  type Query {
    byOffset(first: Int, after: String): PostConnection!
    byPage(first: Int, after: String): PostConnection!
    byToken(first: Int, after: String): PostConnection!
    byLink(first: Int, after: String): PostConnection!
    rogue(first: Int, after: String): PostConnection!
  }
`;

const MAPPING: RestMapping = {
  fields: {
    'Query.byOffset': { list: '/offset', paginate: { style: 'offset', pageSize: PAGE, maxPages: 3 } },
    'Query.byPage': { list: '/paged', items: 'results', paginate: { style: 'page', pageSize: PAGE, maxPages: 3 } },
    'Query.byToken': { list: '/tokens', items: 'data', paginate: { style: 'cursor', pageSize: PAGE, maxPages: 3, sizeParam: 'size', cursorParam: 'token', nextCursor: 'meta.next' } },
    'Query.byLink': { list: '/linked', items: 'data', paginate: { style: 'cursor', pageSize: PAGE, maxPages: 3, nextLink: 'links.next' } },
    'Query.rogue': { list: '/rogue', items: 'data', paginate: { style: 'cursor', pageSize: PAGE, maxPages: 3, nextLink: 'links.next' } },
  },
};

let server: RunningServer;
let calls: string[] = [];
let schema: GraphQLSchema;

beforeAll(async () => {
  server = await listen((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    calls.push(url.pathname + url.search);
    const q = (name: string) => Number(url.searchParams.get(name) ?? 0);
    switch (url.pathname) {
      case '/offset':
        return sendJson(res, 200, ITEMS.slice(q('offset'), q('offset') + q('limit')));
      case '/paged':
        return sendJson(res, 200, { results: ITEMS.slice((q('page') - 1) * q('per_page'), q('page') * q('per_page')), page: q('page') });
      case '/tokens': {
        // The backend's token is opaque: here, "t" + the start index, base-36.
        const start = url.searchParams.has('token') ? parseInt(url.searchParams.get('token')!.slice(1), 36) : 0;
        const end = start + q('size');
        return sendJson(res, 200, { data: ITEMS.slice(start, end), meta: { next: end < ITEMS.length ? `t${end.toString(36)}` : null } });
      }
      case '/rogue':
        // A backend whose next link points elsewhere: not followed.
        return sendJson(res, 200, { data: ITEMS.slice(0, PAGE), links: { next: 'http://169.254.169.254/latest/meta-data' } });
      case '/linked': {
        const start = q('from');
        const end = start + PAGE;
        return sendJson(res, 200, { data: ITEMS.slice(start, end), links: { next: end < ITEMS.length ? `/linked?from=${end}` : null } });
      }
      default:
        return sendJson(res, 404, {});
    }
  }, { host: '127.0.0.1' });
  schema = buildRestSubgraph({ name: 'posts', typeDefs: SDL, mapping: MAPPING, baseUrl: server.url }).schema;
});
afterAll(() => server.close());
beforeEach(() => {
  calls = [];
});

async function page(field: string, first: number, after?: string) {
  const result = (await execute({
    schema,
    document: parse(`query($first: Int, $after: String) { ${field}(first: $first, after: $after) { edges { cursor node { id } } nodes { title } pageInfo { hasNextPage endCursor } } }`),
    variableValues: { first, after },
    contextValue: {},
  })) as { data?: any; errors?: readonly any[] };
  return result;
}

const ids = (from: number, to: number) => ITEMS.slice(from, to).map((item) => item.id);

describe.each(['byOffset', 'byPage', 'byToken', 'byLink'])('%s', (field) => {
  test('first: 12 walks three backend pages; after the end cursor the walk resumes where it stopped', async () => {
    const one = await page(field, 12);
    expect(one.errors).toBeUndefined();
    const connection = one.data[field];
    expect(connection.edges.map((edge: any) => edge.node.id)).toEqual(ids(0, 12));
    expect(connection.nodes[11]).toEqual({ title: 'Post 12' });
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(calls).toHaveLength(3);

    calls = [];
    const two = (await page(field, 12, connection.pageInfo.endCursor)).data[field];
    expect(two.edges.map((edge: any) => edge.node.id)).toEqual(ids(12, 24));
    // Resuming mid-page re-reads that page: still at most three calls.
    expect(calls.length).toBeLessThanOrEqual(3);

    const three = (await page(field, 12, two.pageInfo.endCursor)).data[field];
    expect(three.edges.map((edge: any) => edge.node.id)).toEqual(ids(24, 25));
    expect(three.pageInfo.hasNextPage).toBe(false);
  });

  test('the page cap: first: 20 stops after three backend calls with hasNextPage and a cursor to go on', async () => {
    const capped = (await page(field, 20)).data[field];
    expect(calls).toHaveLength(3);
    expect(capped.edges).toHaveLength(15);
    expect(capped.pageInfo.hasNextPage).toBe(true);
    const rest = (await page(field, 20, capped.pageInfo.endCursor)).data[field];
    expect(rest.edges.map((edge: any) => edge.node.id)).toEqual(ids(15, 25));
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  test("any edge's cursor resumes right after that edge", async () => {
    const first = (await page(field, 7)).data[field];
    const fromThird = (await page(field, 3, first.edges[2].cursor)).data[field];
    expect(fromThird.edges.map((edge: any) => edge.node.id)).toEqual(ids(3, 6));
  });
});

test('a forged or foreign cursor is BAD_USER_INPUT and calls nothing', async () => {
  for (const [field, after] of [
    ['byOffset', 'not-a-cursor'],
    ['byOffset', Buffer.from(JSON.stringify({ at: -4 })).toString('base64url')],
    ['byPage', Buffer.from('{"token":"x","skip":0}').toString('base64url')],
  ] as const) {
    const result = await page(field, 3, after);
    expect(result.errors![0].extensions.code).toBe('BAD_USER_INPUT');
  }
  expect(calls).toEqual([]);
});

test('a forged next link to another host or path is refused, not followed', async () => {
  for (const link of ['http://169.254.169.254/latest/meta-data', '/admin?from=0']) {
    const forged = Buffer.from(JSON.stringify({ token: link, skip: 0 })).toString('base64url');
    const result = await page('byLink', 3, forged);
    expect(result.errors![0].extensions.code).toBe('BAD_USER_INPUT');
  }
  expect(calls).toEqual([]);
});

test("a backend's next link to another host is not followed: UPSTREAM_ERROR after one call", async () => {
  const result = await page('rogue', 8);
  expect(result.errors![0].extensions).toEqual({ code: 'UPSTREAM_ERROR', subgraph: 'posts' });
  expect(calls).toEqual(['/rogue']);
});

test('a negative first is BAD_USER_INPUT', async () => {
  expect((await page('byOffset', -1)).errors![0].extensions.code).toBe('BAD_USER_INPUT');
});

test('a paginated field that does not return a connection fails the build', () => {
  expect(() =>
    buildRestSubgraph({
      name: 'posts',
      typeDefs: SDL.replace('byOffset(first: Int, after: String): PostConnection!', 'byOffset(first: Int): [Post!]!'),
      mapping: MAPPING,
      baseUrl: server.url,
    }),
  ).toThrow(/fields\.Query\.byOffset: a paginated list returns a connection type[\s\S]*needs the argument Query\.byOffset\(after:\)/);
});
