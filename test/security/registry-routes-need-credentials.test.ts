/**
 * Every registry route but `GET /health` needs a credential. The routes are enumerated from the
 * registry's own route code (every path segment and `METHOD path` it compares against), so a
 * route added later is probed without anyone remembering to list it; each answer must be
 * 401 UNAUTHENTICATED with no data, whatever the method and path. The one exception is the
 * console's app shell (`GET /console`: the sign-in page and its scripts, public files with no data);
 * the console's API is probed here too (and route by route in console-api.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { startRegistryUnderAttack, type RegistryUnderAttack } from './support/registry-under-attack';

const ROUTE_FILES = ['schema-registry/http-api.ts', 'schema-registry/policies-api.ts', 'schema-registry/prompts-api.ts'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Path segments and `METHOD a/b` routes the route code compares against. */
function routeSegments(): string[] {
  const segments = new Set<string>(['api', 'variants', 'graphql', 'usage']);
  for (const file of ROUTE_FILES) {
    const source = fs.readFileSync(path.resolve(__dirname, '../..', file), 'utf8');
    for (const m of source.matchAll(/===\s*'([a-z][a-z-]*)'/g)) segments.add(m[1]!);
    for (const m of source.matchAll(/'(?:GET|POST|PUT|DELETE|PATCH) ([a-z/-]+)'/g)) for (const s of m[1]!.split('/')) segments.add(s);
  }
  return [...segments].filter((s) => !['admin', 'read', 'publish', 'report-usage'].includes(s));
}

function candidatePaths(segments: string[]): string[] {
  const paths = new Set<string>(['/', '/api', '/api/usage', '/api/variants', '/graphql', '/graphql?query=%7Bvariants%7D', '/metrics', '/health/../api/variants']);
  for (const p of ['audit', 'users', 'tenants', 'variants/prod/catalog', 'variants/prod/requests', 'variants/prod/requests/req-x/approve', 'variants/prod/requests/req-x/revoke']) paths.add(`/console/api/${p}`);
  for (const a of segments) {
    paths.add(`/api/variants/prod/${a}`);
    paths.add(`/api/variants/prod/${a}/x`);
    for (const b of segments) paths.add(`/api/variants/prod/${a}/x/${b}`);
    paths.add(`/api/variants/prod/${a}/1`);
  }
  return [...paths];
}

let r: RegistryUnderAttack;
beforeAll(async () => {
  r = await startRegistryUnderAttack();
});
afterAll(() => r.close());

test('the route code names the routes we know (the enumeration is not empty)', () => {
  const segments = routeSegments();
  for (const known of ['subgraphs', 'checks', 'rollback', 'promote', 'lifecycle', 'tenants', 'api-keys', 'history', 'prompts', 'supergraph', 'versions', 'diff']) expect(segments).toContain(known);
});

test('no route answers without a credential', async () => {
  const paths = candidatePaths(routeSegments());
  const answered: string[] = [];
  let probes = 0;
  for (const p of paths) {
    for (const method of METHODS) {
      probes++;
      // A well-formed JSON request, so the guard passes and only the missing credential can refuse it.
      const res = await r.send({ method, path: p, headers: r.json(), body: ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined });
      const ok = res.status === 401 && (method === 'HEAD' || res.body?.error?.code === 'UNAUTHENTICATED');
      if (!ok) answered.push(`${method} ${p} → ${res.status} ${res.text.slice(0, 120)}`);
    }
  }
  expect(probes).toBeGreaterThan(500);
  expect(answered).toEqual([]);
}, 60_000);

test("the console's app shell is public and holds no data; other methods on it change nothing", async () => {
  for (const method of METHODS) {
    const res = await r.send({ method, path: '/console', headers: r.json(), body: ['POST', 'PUT', 'PATCH'].includes(method) ? '{}' : undefined });
    if (method === 'GET' || method === 'HEAD') {
      expect(res.status).toBe(200);
      expect(res.text).not.toMatch(/ck_|acme|globex|initech|sha256|token/i);
    } else {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
  }
});

test('GET /health is the one open route, and says nothing but ok', async () => {
  const res = await r.send({ method: 'GET', path: '/health', headers: r.json() });
  expect(res).toMatchObject({ status: 200, body: { status: 'ok' } });
});
