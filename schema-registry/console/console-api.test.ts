/**
 * The console API over a real registry: sign-in (a wrong password answers like an unknown user),
 * sessions (HttpOnly SameSite cookie, a new id at every sign-in), CSRF and foreign origins refused,
 * the catalog with "request access", an access request approved into a new tenant policy version,
 * cross-tenant reads refused, and an audit entry for each step.
 */
import http from 'node:http';
import { TenantRegistryClient } from '../client/tenant-client';
import type { TestRegistry } from '../test-support';
import { ADMIN_TOKEN, ConsoleBrowser, PASSWORD, startConsoleRegistry } from './console-test-support';

let reg: TestRegistry;
let base = '';
beforeAll(async () => {
  reg = await startConsoleRegistry();
  base = reg.registry.url;
});
afterAll(async () => {
  await reg?.close();
});

const signedIn = async (user: string): Promise<ConsoleBrowser> => {
  const b = new ConsoleBrowser(base);
  expect((await b.signIn(user)).status).toBe(200);
  return b;
};

test('a wrong password and an unknown user get the same 401 answer; both are audited as failed logins', async () => {
  const wrong = await new ConsoleBrowser(base).signIn('gmember', 'not the password');
  const unknown = await new ConsoleBrowser(base).signIn('nobody-here', 'not the password');
  const malformed = await new ConsoleBrowser(base).call('POST', '/console/api/session', { username: ['x'], password: 5 });
  expect(wrong.status).toBe(401);
  expect(unknown.status).toBe(401);
  expect(malformed.status).toBe(401);
  expect(wrong.body).toEqual(unknown.body);
  expect(wrong.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'wrong username or password' } });
  expect(wrong.headers.get('set-cookie')).toBeNull();
  const admin = await signedIn('admin');
  const failed = (await admin.call('GET', '/console/api/audit?action=login-failed')).body.entries;
  expect(failed.map((e: any) => e.target)).toEqual(expect.arrayContaining(['user:gmember', 'user:nobody-here']));
  expect(JSON.stringify(failed)).not.toContain('not the password');
});

test('the session cookie is HttpOnly, SameSite=Lax, scoped to /console; the password hash never leaves the registry', async () => {
  const b = new ConsoleBrowser(base);
  const res = await b.signIn('gmember');
  expect(res.headers.get('set-cookie')).toMatch(/^charter_console=[A-Za-z0-9_-]{40,}; Path=\/console; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
  expect(res.body.user).toEqual({ username: 'gmember', roles: [{ role: 'tenant-member', tenant: 'globex' }], createdAt: expect.any(String) });
  expect(JSON.stringify(res.body)).not.toMatch(/scrypt|passwordHash/);
  expect((await b.call('GET', '/console/api/session')).body).toEqual({ user: { username: 'gmember', roles: [{ role: 'tenant-member', tenant: 'globex' }] }, csrfToken: b.csrf });
});

test('session fixation: a cookie planted before sign-in is never the session; sign-in issues a new id and ends the old one', async () => {
  const planted = new ConsoleBrowser(base);
  planted.cookie = 'charter_console=attacker-chosen-value-aaaaaaaaaaaaaaaaaaaaaaaa';
  const res = await planted.signIn('gmember');
  expect(res.status).toBe(200);
  expect(planted.cookie).not.toContain('attacker-chosen');
  const attacker = new ConsoleBrowser(base);
  attacker.cookie = 'charter_console=attacker-chosen-value-aaaaaaaaaaaaaaaaaaaaaaaa';
  expect((await attacker.call('GET', '/console/api/session')).status).toBe(401);

  // Signing in again from a browser that has a session replaces it: the old cookie stops working.
  const b = await signedIn('gmember');
  const before = b.cookie;
  await b.signIn('gmember');
  expect(b.cookie).not.toBe(before);
  const stale = new ConsoleBrowser(base);
  stale.cookie = before;
  expect((await stale.call('GET', '/console/api/session')).body.error.code).toBe('UNAUTHENTICATED');
});

test('CSRF: a state change without the session CSRF token, with a wrong one, from a foreign origin or as a form post is refused', async () => {
  const b = await signedIn('gmember');
  const body = { tenant: 'globex', coordinates: ['User.email'], reason: 'csrf probe' };
  const noToken = await b.call('POST', '/console/api/variants/prod/requests', body, { 'x-csrf-token': '' });
  expect([noToken.status, noToken.body.error.code, noToken.body.error.reason]).toEqual([403, 'FORBIDDEN', 'CSRF']);
  const wrong = await b.call('POST', '/console/api/variants/prod/requests', body, { 'x-csrf-token': 'x'.repeat(32) });
  expect([wrong.status, wrong.body.error.reason]).toEqual([403, 'CSRF']);
  const foreign = await b.call('POST', '/console/api/variants/prod/requests', body, { origin: 'https://evil.example' });
  expect([foreign.status, foreign.body.error.code]).toEqual([403, 'UNTRUSTED_ORIGIN']);
  const form = await b.call('POST', '/console/api/variants/prod/requests', body, { 'content-type': 'text/plain' });
  expect([form.status, form.body.error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  const logout = await b.call('DELETE', '/console/api/session', undefined, { 'x-csrf-token': 'nope' });
  expect(logout.status).toBe(403);
  const admin = await signedIn('admin');
  expect((await admin.call('GET', '/console/api/audit?action=access-request.create&limit=1000')).body.entries.filter((e: any) => e.details?.reason === 'csrf probe')).toEqual([]);
});

test('every API route refuses a caller without a session with 401, and a non-admin registry token with 403', async () => {
  const anon = new ConsoleBrowser(base);
  for (const [method, path] of [
    ['GET', '/console/api/session'],
    ['DELETE', '/console/api/session'],
    ['GET', '/console/api/variants/prod/catalog'],
    ['GET', '/console/api/variants/prod/requests'],
    ['POST', '/console/api/variants/prod/requests'],
    ['POST', '/console/api/variants/prod/requests/req-x/approve'],
    ['GET', '/console/api/audit'],
    ['POST', '/console/api/users'],
  ] as const) {
    const res = await anon.call(method, path, method === 'POST' ? {} : undefined);
    expect({ method, path, status: res.status, code: res.body.error?.code }).toEqual({ method, path, status: 401, code: 'UNAUTHENTICATED' });
  }
  const badToken = await anon.call('GET', '/console/api/audit', undefined, { authorization: 'Bearer nope' });
  expect(badToken.status).toBe(401);
});

test('the catalog lists every field with owner, subgraph and description; a field the tenant may not query reads "request access"; search narrows it', async () => {
  const b = await signedIn('gmember');
  const catalog = (await b.call('GET', '/console/api/variants/prod/catalog')).body;
  expect(catalog.tenant).toBe('globex');
  expect(catalog.subgraphs.map((s: any) => [s.name, s.owner, s.status, s.url])).toEqual([
    ['books', 'team-books', 'active', undefined],
    ['users', 'team-identity', 'active', undefined],
  ]);
  const user = catalog.types.find((t: any) => t.name === 'User');
  expect(user.description).toBe('A person with an account');
  const email = user.fields.find((f: any) => f.name === 'email');
  expect(email).toMatchObject({ coordinate: 'User.email', type: 'String!', description: 'Where we write to them (personal data)', subgraph: 'users', owner: 'team-identity', access: 'request-access', usage7d: { count: 0, clients: [] } });
  expect(user.fields.find((f: any) => f.name === 'name').access).toBe('allowed');

  const found = (await b.call('GET', '/console/api/variants/prod/catalog?q=personal%20data')).body;
  expect(found.types.flatMap((t: any) => t.fields.map((f: any) => f.coordinate))).toEqual(['User.email']);

  const admin = await signedIn('admin');
  expect((await admin.call('GET', '/console/api/variants/prod/catalog')).body.subgraphs[0].url).toBe('http://books.test/graphql');
});

test('cross-tenant reads are refused: another tenant\'s catalog view, requests and audit entries', async () => {
  const initech = await signedIn('imember');
  const globex = await signedIn('gmember');
  const created = await globex.call('POST', '/console/api/variants/prod/requests', { tenant: 'globex', coordinates: ['User.email'], reason: 'for the cross-tenant test' });
  expect(created.status).toBe(201);
  const id = created.body.request.id;

  expect((await initech.call('GET', '/console/api/variants/prod/catalog?tenant=globex')).status).toBe(403);
  expect((await initech.call('GET', '/console/api/variants/prod/requests?tenant=globex')).status).toBe(403);
  expect((await initech.call('GET', '/console/api/variants/prod/requests')).body.requests.map((r: any) => r.tenant)).not.toContain('globex');
  const one = await initech.call('GET', `/console/api/variants/prod/requests/${id}`);
  expect([one.status, one.body.error.code]).toEqual([404, 'NOT_FOUND']);
  expect((await initech.call('GET', '/console/api/audit')).status).toBe(403);
  expect((await initech.call('GET', '/console/api/audit?tenant=globex')).status).toBe(403);
  expect((await globex.call('GET', '/console/api/audit')).status).toBe(403); // members are not tenant admins
  const gadmin = await signedIn('gadmin');
  const own = (await gadmin.call('GET', '/console/api/audit')).body.entries;
  expect(own.length).toBeGreaterThan(0);
  expect(own.every((e: any) => e.tenant === 'globex')).toBe(true);
  expect((await gadmin.call('GET', '/console/api/audit?tenant=initech')).status).toBe(403);
  // Clean up for the flow test.
  expect((await (await signedIn('admin')).call('POST', `/console/api/variants/prod/requests/${id}/reject`, { comment: 'test cleanup' })).status).toBe(200);
});

test('request → approve writes a new tenant policy version allowing the field; revoke writes it back; each step is audited', async () => {
  const member = await signedIn('gmember');
  const tenants = new TenantRegistryClient(base, ADMIN_TOKEN);
  const before = (await tenants.getTenant('prod', 'globex')).body;

  const created = await member.call('POST', '/console/api/variants/prod/requests', { tenant: 'globex', coordinates: ['User.email'], reason: 'support replies by e-mail' });
  expect(created.status).toBe(201);
  const id = created.body.request.id as string;
  expect(created.body.request).toMatchObject({ tenant: 'globex', coordinates: ['User.email'], status: 'pending', requestedBy: 'user:gmember' });
  expect((await member.call('GET', '/console/api/variants/prod/catalog')).body.types.find((t: any) => t.name === 'User').fields.find((f: any) => f.name === 'email').access).toBe('pending');

  expect((await member.call('POST', `/console/api/variants/prod/requests/${id}/approve`, {})).status).toBe(403);
  expect((await (await signedIn('otherowner')).call('POST', `/console/api/variants/prod/requests/${id}/approve`, {})).status).toBe(404);

  const owner = await signedIn('owner');
  expect((await owner.call('GET', '/console/api/variants/prod/requests?status=pending')).body.requests.map((r: any) => r.id)).toContain(id);
  const approved = await owner.call('POST', `/console/api/variants/prod/requests/${id}/approve`, { comment: 'ok for support' });
  expect(approved.status).toBe(200);
  expect(approved.body.request).toMatchObject({ status: 'approved', decidedBy: 'user:owner', comment: 'ok for support', policyVersion: expect.any(Number) });
  const after = (await tenants.getTenant('prod', 'globex')).body;
  expect(after.version).toBe(approved.body.request.policyVersion);
  expect(after.version).toBeGreaterThan(before.version);
  expect(after.policy.rules['User.email']).toBe('allow');
  expect(after.author).toContain(id);
  expect((await member.call('GET', '/console/api/variants/prod/catalog')).body.types.find((t: any) => t.name === 'User').fields.find((f: any) => f.name === 'email').access).toBe('allowed');
  // initech is untouched.
  expect((await tenants.getTenant('prod', 'initech')).body.policy.rules['User.email']).toBe('deny');

  const again = await owner.call('POST', `/console/api/variants/prod/requests/${id}/approve`, {});
  expect([again.status, again.body.error.code]).toEqual([409, 'CONFLICT']);

  const revoked = await owner.call('POST', `/console/api/variants/prod/requests/${id}/revoke`, { comment: 'support moved' });
  expect(revoked.body.request).toMatchObject({ status: 'revoked', revokedBy: 'user:owner', revokedPolicyVersion: expect.any(Number) });
  expect((await tenants.getTenant('prod', 'globex')).body.policy.rules['User.email']).toBe('deny');

  const admin = await signedIn('admin');
  const entries = (await admin.call('GET', '/console/api/audit?limit=1000')).body.entries as any[];
  const ofRequest = entries.filter((e) => e.target === `access-request:${id}`).map((e) => e.action).reverse();
  expect(ofRequest).toEqual(['access-request.create', 'access-request.approve', 'access-request.revoke']);
  expect(entries.filter((e) => e.action === 'policy.version' && e.details.accessRequest === id)).toHaveLength(2);
  expect(entries.find((e) => e.action === 'login' && e.actor === 'user:owner')).toMatchObject({ ip: expect.any(String) });
  const jsonl = await admin.call('GET', '/console/api/audit?format=jsonl&limit=5');
  expect(jsonl.headers.get('content-type')).toContain('application/x-ndjson');
  expect(String(jsonl.body).trim().split('\n').map((l) => JSON.parse(l).id)).toHaveLength(5);
});

test('hostile input gets a 400 with a code, never a 5xx', async () => {
  const member = await signedIn('gmember');
  for (const body of [null, [], { tenant: 'globex' }, { tenant: 'globex', coordinates: ['User.email'], reason: '' }, { tenant: 'globex', coordinates: ['nope'], reason: 'xxxx' }, { tenant: '../x', coordinates: ['User.email'], reason: 'xxxx' }, { tenant: 'globex', coordinates: ['User.email'], reason: 'xxxx', extra: 1 }]) {
    const res = await member.call('POST', '/console/api/variants/prod/requests', body);
    expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status: 400, code: 'BAD_REQUEST' });
  }
  const unknownField = await member.call('POST', '/console/api/variants/prod/requests', { tenant: 'globex', coordinates: ['User.ssn'], reason: 'xxxx' });
  expect([unknownField.status, unknownField.body.error.code]).toEqual([404, 'NOT_FOUND']);
  const notJson = await fetch(`${base}/console/api/variants/prod/requests`, { method: 'POST', headers: { cookie: member.cookie!, 'x-csrf-token': member.csrf!, 'content-type': 'application/json' }, body: '{"tenant":' });
  expect(notJson.status).toBe(400);
  expect((await member.call('GET', '/console/api/audit?limit=-1')).status).toBe(400);
  expect((await (await signedIn('admin')).call('GET', '/console/api/audit?limit=abc')).status).toBe(400);
  expect(PASSWORD.length).toBeGreaterThan(11);
});

test('the app is served at /console with CSP, X-Frame-Options DENY and nosniff', async () => {
  const res = await fetch(`${base}/console/catalog`);
  expect([200, 503]).toContain(res.status);
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect((await fetch(`${base}/console/assets/../../package.json`)).status).not.toBe(200);
  // DNS rebinding: the app is not served to a name that is not this registry's.
  const rebound = await new Promise<number>((resolve, reject) => {
    http.get(`${base}/console/`, { headers: { host: 'evil.example' } }, (res) => { res.resume(); resolve(res.statusCode!); }).on('error', reject);
  });
  expect(rebound).toBe(421);
});

test('password guessing is throttled per user name: after 10 failures even the right password gets 429 for a while', async () => {
  await reg.registry.console.putUser({ username: 'victim', password: PASSWORD, roles: [{ role: 'tenant-member', tenant: 'globex' }] });
  for (let i = 0; i < 10; i++) expect((await new ConsoleBrowser(base).signIn('victim', `guess-${i}`)).status).toBe(401);
  const right = await new ConsoleBrowser(base).signIn('victim');
  expect([right.status, right.body.error.code]).toEqual([429, 'RATE_LIMITED']);
  // An unknown name is throttled the same way, so the limit does not reveal who exists.
  for (let i = 0; i < 10; i++) await new ConsoleBrowser(base).signIn('ghost', `guess-${i}`);
  expect((await new ConsoleBrowser(base).signIn('ghost', 'x')).status).toBe(429);
  // Other users are not affected.
  expect((await new ConsoleBrowser(base).signIn('gmember')).status).toBe(200);
});

test('the changelog lists each schema version, newest first, with its classified changes', async () => {
  const member = await signedIn('gmember');
  const res = await member.call('GET', '/console/api/variants/prod/versions');
  expect(res.status).toBe(200);
  expect(res.body.versions.map((v: any) => [v.id, v.action, v.subgraph])).toEqual([
    [2, 'publish', 'books'],
    [1, 'publish', 'users'],
  ]);
  expect(res.body.versions[0].changes).toEqual(expect.arrayContaining([expect.objectContaining({ coordinate: 'Book.title', criticality: expect.any(String) })]));
  expect((await new ConsoleBrowser(base).call('GET', '/console/api/variants/prod/versions')).status).toBe(401);
});

test('accepted schema changes are in the audit log with their version', async () => {
  const admin = await signedIn('admin');
  const entries = (await admin.call('GET', '/console/api/audit?action=schema.publish')).body.entries;
  expect(entries.map((e: any) => [e.target, e.details.subgraph])).toEqual([
    ['version:prod/2', 'books'],
    ['version:prod/1', 'users'],
  ]);
});
