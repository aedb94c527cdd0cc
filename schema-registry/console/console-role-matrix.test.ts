/**
 * Every console mutation against every kind of caller (a matrix, not a sample): the role decides on
 * the server, whatever the UI shows. A caller who may not even see a request gets 404, one who may
 * see but not decide gets 403, and a refused call changes nothing.
 */
import type { TestRegistry } from '../test-support';
import { ADMIN_TOKEN, ConsoleBrowser, READ_TOKEN, startConsoleRegistry, TEST_USERS } from './console-test-support';

type Caller = 'anonymous' | 'read-token' | 'admin-token' | keyof typeof TEST_USERS;
const CALLERS: Caller[] = ['anonymous', 'read-token', 'admin-token', ...(Object.keys(TEST_USERS) as Array<keyof typeof TEST_USERS>)];

let reg: TestRegistry;
let base = '';
const browsers = new Map<Caller, ConsoleBrowser>();
let adminApi: ConsoleBrowser;

beforeAll(async () => {
  reg = await startConsoleRegistry();
  base = reg.registry.url;
  adminApi = new ConsoleBrowser(base);
  for (const caller of CALLERS) {
    const b = new ConsoleBrowser(base);
    if (caller in TEST_USERS) await b.signIn(caller);
    browsers.set(caller, b);
  }
});
afterAll(async () => {
  await reg?.close();
});

const asCaller = (caller: Caller, method: string, path: string, body?: unknown) => {
  const extra: Record<string, string> = caller === 'read-token' ? { authorization: `Bearer ${READ_TOKEN}` } : caller === 'admin-token' ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {};
  return browsers.get(caller)!.call(method, path, body, extra);
};
const asAdmin = (method: string, path: string, body?: unknown) => adminApi.call(method, path, body, { authorization: `Bearer ${ADMIN_TOKEN}` });

const newRequest = async (): Promise<string> => {
  const res = await asAdmin('POST', '/console/api/variants/prod/requests', { tenant: 'globex', coordinates: ['User.email'], reason: 'matrix setup' });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body.request.id;
};
const statusOf = async (id: string): Promise<string> => (await asAdmin('GET', `/console/api/variants/prod/requests/${id}`)).body.request.status;

const expected: Record<string, Record<Caller, number>> = {
  'create request': { anonymous: 401, 'read-token': 403, 'admin-token': 201, admin: 201, owner: 403, otherowner: 403, gadmin: 201, gmember: 201, imember: 403 },
  approve: { anonymous: 401, 'read-token': 403, 'admin-token': 200, admin: 200, owner: 200, otherowner: 404, gadmin: 403, gmember: 403, imember: 404 },
  reject: { anonymous: 401, 'read-token': 403, 'admin-token': 200, admin: 200, owner: 200, otherowner: 404, gadmin: 403, gmember: 403, imember: 404 },
  revoke: { anonymous: 401, 'read-token': 403, 'admin-token': 200, admin: 200, owner: 200, otherowner: 404, gadmin: 403, gmember: 403, imember: 404 },
  'create user': { anonymous: 401, 'read-token': 403, 'admin-token': 201, admin: 201, owner: 403, otherowner: 403, gadmin: 201, gmember: 403, imember: 403 },
  'sign out': { anonymous: 401, 'read-token': 403, 'admin-token': 200, admin: 200, owner: 200, otherowner: 200, gadmin: 200, gmember: 200, imember: 200 },
};

describe.each(CALLERS)('as %s', (caller) => {
  test('create an access request for tenant globex', async () => {
    const res = await asCaller(caller, 'POST', '/console/api/variants/prod/requests', { tenant: 'globex', coordinates: ['User.email'], reason: `matrix ${caller}` });
    expect(res.status).toBe(expected['create request']![caller]);
    if (res.status === 201) await asAdmin('POST', `/console/api/variants/prod/requests/${res.body.request.id}/reject`, { comment: 'matrix cleanup' });
  });

  test.each(['approve', 'reject'] as const)('%s a pending request', async (decision) => {
    const id = await newRequest();
    const res = await asCaller(caller, 'POST', `/console/api/variants/prod/requests/${id}/${decision}`, { comment: 'matrix' });
    expect(res.status).toBe(expected[decision]![caller]);
    if (res.status !== 200) expect(await statusOf(id)).toBe('pending');
    else expect(await statusOf(id)).toBe(decision === 'approve' ? 'approved' : 'rejected');
    if ((await statusOf(id)) === 'approved') await asAdmin('POST', `/console/api/variants/prod/requests/${id}/revoke`, {});
    else if ((await statusOf(id)) === 'pending') await asAdmin('POST', `/console/api/variants/prod/requests/${id}/reject`, {});
  });

  test('revoke an approved request', async () => {
    const id = await newRequest();
    expect((await asAdmin('POST', `/console/api/variants/prod/requests/${id}/approve`, {})).status).toBe(200);
    const res = await asCaller(caller, 'POST', `/console/api/variants/prod/requests/${id}/revoke`, {});
    expect(res.status).toBe(expected.revoke![caller]);
    expect(await statusOf(id)).toBe(res.status === 200 ? 'revoked' : 'approved');
    if (res.status !== 200) await asAdmin('POST', `/console/api/variants/prod/requests/${id}/revoke`, {});
  });

  test('create a user (a member of globex)', async () => {
    const username = `new-${caller}`.replace(/[^a-z0-9-]/g, '');
    const res = await asCaller(caller, 'POST', '/console/api/users', { username, password: 'a long enough password', roles: [{ role: 'tenant-member', tenant: 'globex' }] });
    expect(res.status).toBe(expected['create user']![caller]);
  });

  test('sign out (last: it ends the session)', async () => {
    const res = await asCaller(caller, 'DELETE', '/console/api/session');
    expect(res.status).toBe(expected['sign out']![caller]);
    if (caller in TEST_USERS) expect((await asCaller(caller, 'GET', '/console/api/session')).status).toBe(401);
  });
});

test('only platform admins (not tenant admins) may grant roles beyond membership of their own tenant', async () => {
  const gadmin = new ConsoleBrowser(base);
  await gadmin.signIn('gadmin');
  for (const roles of [[{ role: 'platform-admin' }], [{ role: 'tenant-admin', tenant: 'globex' }], [{ role: 'tenant-member', tenant: 'initech' }], [{ role: 'team-owner', team: 'team-identity' }]]) {
    const res = await gadmin.call('POST', '/console/api/users', { username: 'escalate', password: 'a long enough password', roles });
    expect({ roles, status: res.status }).toEqual({ roles, status: 403 });
  }
});
