/**
 * Issue 10, item 1: a web page open in the developer's browser cannot drive the registry. A
 * `text/plain` POST from a foreign Origin (no preflight) and a request under a rebound DNS name
 * (`Host: attacker.example`) are refused before any credential is looked at, even when the
 * browser would attach one.
 */
import { ADMIN, startRegistryUnderAttack, storedTenant, type RegistryUnderAttack } from './support/registry-under-attack';

let r: RegistryUnderAttack;
beforeAll(async () => {
  r = await startRegistryUnderAttack();
});
afterAll(() => r.close());

const tenantPut = JSON.stringify({ policy: { fallback: 'allow' } });

test('text/plain POST with a foreign Origin: 403 UNTRUSTED_ORIGIN, nothing changed', async () => {
  const before = await storedTenant(r, 'acme');
  for (const token of [undefined, ADMIN]) {
    const attack = await r.send({
      method: 'POST',
      path: '/api/variants/prod/rollback',
      headers: { ...r.json(token), 'content-type': 'text/plain;charset=UTF-8', origin: 'https://evil.example' },
      body: JSON.stringify({ toVersion: 1 }),
    });
    expect(attack.status).toBe(403);
    expect(attack.body.error).toEqual({ code: 'UNTRUSTED_ORIGIN', message: 'Origin "https://evil.example" may not call this registry; add it to registry.allowedOrigins if it is yours' });
  }
  // The opaque origin of sandboxed frames and file:// pages is foreign too.
  const sandboxed = await r.send({ method: 'PUT', path: '/api/variants/prod/tenants/acme', headers: { ...r.json(ADMIN), origin: 'null' }, body: tenantPut });
  expect(sandboxed.status).toBe(403);
  expect(sandboxed.body.error.code).toBe('UNTRUSTED_ORIGIN');
  // A foreign origin that looks like ours but on another port is foreign.
  const otherPort = await r.send({ method: 'PUT', path: '/api/variants/prod/tenants/acme', headers: { ...r.json(ADMIN), origin: 'http://127.0.0.1:1' }, body: tenantPut });
  expect(otherPort.status).toBe(403);
  expect(await storedTenant(r, 'acme')).toEqual(before);
});

test('CORS-safelisted body types are refused even with a valid token and no Origin: 415', async () => {
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const attack = await r.send({ method: 'PUT', path: '/api/variants/prod/tenants/acme', headers: { ...r.json(ADMIN), 'content-type': type }, body: tenantPut });
    expect(attack.status).toBe(415);
    expect(attack.body.error).toEqual({ code: 'UNSUPPORTED_MEDIA_TYPE', message: `PUT needs "Content-Type: application/json", not ${JSON.stringify(type)}` });
  }
  const untyped = await r.send({ method: 'POST', path: '/api/variants/prod/tenants/acme/api-keys', headers: { host: `127.0.0.1:${r.t.registry.port}`, authorization: `Bearer ${ADMIN}` } });
  expect(untyped.status).toBe(415);
  // The GraphQL API follows the same rule.
  const gql = await r.send({ method: 'POST', path: '/graphql', headers: { ...r.json(ADMIN), 'content-type': 'text/plain' }, body: JSON.stringify({ query: 'mutation { rollback(variant: "prod", toVersion: 1) { status } }' }) });
  expect(gql.status).toBe(415);
});

test('a rebound DNS name in Host: 421 UNTRUSTED_HOST, even with a valid token', async () => {
  for (const host of ['attacker.example', `attacker.example:${r.t.registry.port}`, 'localhost.attacker.example', '127.0.0.1.nip.io']) {
    const attack = await r.send({ method: 'GET', path: '/api/variants/prod/tenants', headers: { ...r.json(ADMIN), host } });
    expect(attack.status).toBe(421);
    expect(attack.body.error).toEqual({ code: 'UNTRUSTED_HOST', message: `Host ${JSON.stringify(host)} is not one this registry serves; add it to registry.allowedHosts if it is yours` });
    expect(attack.text).not.toContain('acme');
  }
});

test('its own origin and loopback names are served (what the CLI and the console send)', async () => {
  for (const host of [`localhost:${r.t.registry.port}`, `127.0.0.1:${r.t.registry.port}`, `[::1]:${r.t.registry.port}`]) {
    const ok = await r.send({ method: 'GET', path: '/api/variants', headers: { ...r.json(ADMIN), host, origin: `http://${host}` } });
    expect(ok.status).toBe(200);
  }
  // /health answers any Host (load balancers and Kubernetes probes use the pod IP or a name).
  expect((await r.send({ method: 'GET', path: '/health', headers: { host: 'anything.example' } })).status).toBe(200);
});
