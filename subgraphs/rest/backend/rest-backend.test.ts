import { startRestBackend, type RestBackend } from './rest-backend';

const users = [
  { id: '1', name: 'Ada', team: 'core' },
  { id: '2', name: 'Brian', team: 'tools' },
  { id: '3', name: 'Chloe', team: 'core' },
  { id: '4', name: 'Dmitri', team: 'infra' },
];
const reviews = [
  { id: '10', productId: '1', rating: 5 },
  { id: '11', productId: '2', rating: 3 },
  { id: '12', productId: '1', rating: 4 },
];

let backend: RestBackend;

beforeAll(async () => {
  backend = await startRestBackend({ name: 'test', collections: { users, reviews } });
});
afterAll(() => backend.close());
beforeEach(() => {
  backend.resetStats();
  backend.setLatency(0);
  backend.setDown(false);
});

async function get(path: string): Promise<{ status: number; body: any }> {
  const response = await fetch(backend.url + path);
  return { status: response.status, body: await response.json() };
}

test('GET /C/:id answers one item, and 404 with a JSON error when it is missing', async () => {
  expect(await get('/users/2')).toEqual({ status: 200, body: users[1] });
  expect(await get('/users/99')).toEqual({ status: 404, body: { error: { code: 'NOT_FOUND', message: 'users 99 not found' } } });
  expect((await get('/nothing/1')).status).toBe(404);
});

test('GET /C?ids= answers the items in the order asked and leaves out missing ones', async () => {
  const { status, body } = await get('/users?ids=3,99,1');
  expect(status).toBe(200);
  expect(body.map((user: { id: string }) => user.id)).toEqual(['3', '1']);
});

test('GET /C?field=a,b filters on the field, and combines with limit and offset', async () => {
  expect((await get('/reviews?productId=1')).body.map((r: { id: string }) => r.id)).toEqual(['10', '12']);
  expect((await get('/reviews?productId=2,1')).body.map((r: { id: string }) => r.id)).toEqual(['10', '11', '12']);
  expect((await get('/users?team=core&limit=1&offset=1')).body).toEqual([users[2]]);
  expect((await get('/users?limit=2')).body).toEqual(users.slice(0, 2));
  expect((await get('/users?ids=4,2&team=tools')).body).toEqual([users[1]]);
});

test('a bad query parameter answers 400 with a message naming it', async () => {
  const unknown = await get('/users?colour=red');
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.message).toContain('"colour"');
  const badLimit = await get('/users?limit=ten');
  expect(badLimit.status).toBe(400);
  expect(badLimit.body.error.message).toContain('"limit"');
  expect((await get('/users?offset=-1')).body.error.message).toContain('"offset"');
});

test('latency delays every answer', async () => {
  backend.setLatency(120);
  const started = Date.now();
  expect((await get('/users/1')).status).toBe(200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(110);
});

test('a backend set down answers 503 until it is set up again', async () => {
  backend.setDown(true);
  expect(await get('/users/1')).toEqual({ status: 503, body: { error: { code: 'UNAVAILABLE', message: 'Backend "test" is down' } } });
  backend.setDown(false);
  expect((await get('/users/1')).status).toBe(200);
});

test('stats count answered requests per path, not the stats routes, and reset over HTTP', async () => {
  await get('/users/1');
  await get('/users?ids=1,2');
  await get('/users?ids=3');
  await get('/users/99');
  expect(backend.stats()).toEqual({ requests: 4, byPath: { '/users/1': 1, '/users': 2, '/users/99': 1 } });
  expect(await get('/_stats')).toEqual({ status: 200, body: { requests: 4, byPath: { '/users/1': 1, '/users': 2, '/users/99': 1 } } });
  const reset = await fetch(`${backend.url}/_stats/reset`, { method: 'POST' });
  expect(reset.status).toBe(200);
  expect(backend.stats()).toEqual({ requests: 0, byPath: {} });
});
