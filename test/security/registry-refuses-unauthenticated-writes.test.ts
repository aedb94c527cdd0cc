/**
 * Issue 10, item 1: without a credential the registry changes nothing. Each attack below answered
 * 201 on a fresh `npm start` before; now each is 401 UNAUTHENTICATED and the state is unchanged.
 */
import { hashApiKey } from '../../gateway/auth/api-keys';
import { ADMIN, startRegistryUnderAttack, storedTenant, type RegistryUnderAttack } from './support/registry-under-attack';
import { booksSdl } from '../../schema-registry/test-support';

let r: RegistryUnderAttack;
beforeAll(async () => {
  r = await startRegistryUnderAttack();
});
afterAll(() => r.close());

const UNAUTHENTICATED = { error: { code: 'UNAUTHENTICATED', message: 'missing registry token: send "Authorization: Bearer <token>"' } };

test('PUT of a tenant with an allow-all policy and a key hash of the caller\'s choosing: 401, the tenant is unchanged', async () => {
  const before = await storedTenant(r, 'acme');
  const attack = await r.send({
    method: 'PUT',
    path: '/api/variants/prod/tenants/acme',
    headers: r.json(),
    body: JSON.stringify({ roles: ['admin'], apiKeys: [{ id: 'mine', sha256: hashApiKey('attacker-key') }], policy: { fallback: 'allow' } }),
  });
  expect(attack.status).toBe(401);
  expect(attack.body).toEqual(UNAUTHENTICATED);
  expect(await storedTenant(r, 'acme')).toEqual(before);
  // A new tenant cannot be created either.
  const created = await r.send({ method: 'PUT', path: '/api/variants/prod/tenants/evil', headers: r.json(), body: JSON.stringify({ policy: { fallback: 'allow' } }) });
  expect(created.status).toBe(401);
  expect(await storedTenant(r, 'evil')).toBeNull();
});

test('publish without a token: 401, no new version', async () => {
  const attack = await r.send({ method: 'POST', path: '/api/variants/prod/subgraphs', headers: r.json(), body: JSON.stringify({ name: 'books', url: 'http://attacker.test/graphql', sdl: booksSdl('stolen: String') }) });
  expect(attack.status).toBe(401);
  expect(attack.body).toEqual(UNAUTHENTICATED);
  const versions = await r.send({ method: 'GET', path: '/api/variants/prod/versions', headers: r.json(ADMIN) });
  expect(versions.body.versions).toHaveLength(1);
  expect(JSON.stringify(versions.body)).not.toContain('attacker.test');
});

test('rollback without a token, and with a wrong one: 401', async () => {
  const attack = await r.send({ method: 'POST', path: '/api/variants/prod/rollback', headers: r.json(), body: JSON.stringify({ toVersion: 1 }) });
  expect(attack.status).toBe(401);
  expect(attack.body).toEqual(UNAUTHENTICATED);
  const guessed = await r.send({ method: 'POST', path: '/api/variants/prod/rollback', headers: r.json('guess'), body: JSON.stringify({ toVersion: 1 }) });
  expect(guessed.status).toBe(401);
  expect(guessed.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'unknown registry token' } });
});

test('API key creation without a token: 401, and no key is returned or stored', async () => {
  const before = await storedTenant(r, 'acme');
  for (const body of [undefined, '{}', JSON.stringify({ id: 'mine' })]) {
    const attack = await r.send({ method: 'POST', path: '/api/variants/prod/tenants/acme/api-keys', headers: r.json(), body });
    expect(attack.status).toBe(401);
    expect(attack.body).toEqual(UNAUTHENTICATED);
    expect(attack.text).not.toMatch(/ck_/);
  }
  expect(await storedTenant(r, 'acme')).toEqual(before);
});

test('the GraphQL API refuses the same mutations (and queries) without a token', async () => {
  for (const query of ['mutation { rollback(variant: "prod", toVersion: 1) { status } }', '{ variants }']) {
    const attack = await r.send({ method: 'POST', path: '/graphql', headers: r.json(), body: JSON.stringify({ query }) });
    expect(attack.status).toBe(401);
    expect(attack.body.error.code).toBe('UNAUTHENTICATED');
    expect(attack.text).not.toContain('prod');
  }
});
