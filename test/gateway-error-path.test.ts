/**
 * The gateway's one error path, through the real server: an unknown failure inside the pipeline is
 * answered in the GraphQL shape (not REST), masked (no internal message leaks), counted in
 * /metrics, and the gateway keeps serving; on /v1 errors come in the OpenAI shape with the
 * catalogue's status; protocol overrides (persisted-query miss → 200, mutation over GET → 405)
 * hold.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GraphQLSchema } from 'graphql';
import { createLogger } from '../core/logger';
import type { TenantConfig } from '../cli/config';
import { ApiKeyDirectory, hashApiKey } from '../gateway/auth/api-keys';
import { startGateway, type RunningGateway } from '../gateway/server';
import { fileSupergraphSource } from '../gateway/supergraph/file-source';
import { TenantDirectory, type TenantPolicy } from '../gateway/tenants/tenant-directory';
import { composeSubgraphs } from '../governance/check';
import { tempDir } from './support/charter-process';
import { SHOP_SDL, startShopSubgraph, type ShopSubgraph } from './support/shop-subgraph';

const SECRET = 'error-path-secret';
const SECRET_DETAIL = 'db password is hunter2';

/** A tenant directory whose policy lookup fails for one tenant: an internal bug as the gateway sees it. */
class FaultyDirectory extends TenantDirectory {
  override policyFor(tenant: string, schema: GraphQLSchema): TenantPolicy {
    if (tenant === 'broken') throw new Error(SECRET_DETAIL);
    return super.policyFor(tenant, schema);
  }
}

const tenant = (id: string): TenantConfig => ({ id, roles: [], scopes: [], plan: {}, apiKeys: [{ id: `${id}-key`, sha256: hashApiKey(`key-${id}`) }] });
const TENANTS = [tenant('ok'), tenant('broken')];

let shop: ShopSubgraph;
let gateway: RunningGateway;
let errorsLogged = 0;

beforeAll(async () => {
  shop = await startShopSubgraph(SECRET);
  const composed = composeSubgraphs([{ name: 'shop', url: `${shop.url}/graphql`, sdl: SHOP_SDL }]);
  if (!composed.ok) throw new Error(JSON.stringify(composed.errors));
  const file = path.join(tempDir('error-path'), 'supergraph.graphql');
  fs.writeFileSync(file, composed.supergraphSdl);
  const logger = createLogger('test', 'silent');
  const error = logger.error.bind(logger);
  logger.error = ((...args: Parameters<typeof error>) => {
    errorsLogged++;
    return error(...args);
  }) as typeof logger.error;
  gateway = await startGateway({ source: fileSupergraphSource(file), keys: new ApiKeyDirectory(TENANTS), tenants: new FaultyDirectory(TENANTS), subgraphSecret: SECRET, metricsToken: 'metrics-test-token', logger });
  await gateway.ready;
});

afterAll(async () => {
  await gateway?.close();
  await shop?.close();
});

const post = (key: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key, ...headers }, body: JSON.stringify(body) });

test('an unknown failure answers a masked GraphQL error with 500, is logged and counted, and the gateway keeps serving', async () => {
  const res = await post('key-broken', { query: '{ products { id } }' });
  expect(res.status).toBe(500);
  const text = await res.text();
  expect(JSON.parse(text)).toEqual({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
  expect(text).not.toContain('hunter2');
  expect(errorsLogged).toBeGreaterThan(0);

  const metrics = await (await fetch(`${gateway.url}/metrics`, { headers: { authorization: 'Bearer metrics-test-token' } })).text();
  expect(metrics).toMatch(/charter_errors_total\{code="INTERNAL_SERVER_ERROR",tenant="broken"\} 1/);
  expect(metrics).toMatch(/charter_requests_total\{[^}]*tenant="broken"[^}]*status="500"[^}]*\} 1|charter_requests_total\{[^}]*status="500"[^}]*tenant="broken"[^}]*\} 1/);

  const ok = await post('key-ok', { query: '{ products { id } }' });
  expect(ok.status).toBe(200);
  expect(((await ok.json()) as { data: { products: unknown[] } }).data.products.length).toBeGreaterThan(0);
});

test('hostile input gets a catalogue code and a 4xx, never a 5xx', async () => {
  const notJson = await fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'key-ok' }, body: '{"query": ' });
  expect(notJson.status).toBeGreaterThanOrEqual(400);
  expect(notJson.status).toBeLessThan(500);
  const body = (await notJson.json()) as { errors: Array<{ extensions: { code: string } }> };
  expect(body.errors[0]!.extensions.code).toMatch(/^[A-Z_]+$/);
});

test('protocol overrides: a persisted-query miss answers 200, a mutation over GET 405', async () => {
  const miss = await post('key-ok', { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } });
  expect(miss.status).toBe(200);
  expect(await miss.json()).toEqual({ errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] });

  const get = await fetch(`${gateway.url}/graphql?query=${encodeURIComponent('mutation { __typename }')}`, { headers: { 'x-api-key': 'key-ok' } });
  expect(get.status).toBe(405);
  expect(((await get.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
});

test('/v1 answers errors in the OpenAI shape with the catalogue status, and refuses a caller without a key', async () => {
  const anonymous = await fetch(`${gateway.url}/v1/models`);
  expect(anonymous.status).toBe(401);
  expect(await anonymous.json()).toEqual({ error: { message: 'Missing or invalid credentials', type: 'authentication_error', code: 'unauthenticated', param: null } });

  // This supergraph has no AI subgraph: the entrance says so in the OpenAI shape.
  const noAi = await fetch(`${gateway.url}/v1/models`, { headers: { 'x-api-key': 'key-ok' } });
  expect(noAi.status).toBe(404);
  expect(await noAi.json()).toEqual({ error: { message: 'The AI subgraph is not part of the current supergraph', type: 'invalid_request_error', code: 'not_found', param: null } });
});
