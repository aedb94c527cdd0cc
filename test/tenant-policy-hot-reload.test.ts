/**
 * Tenants, policies and keys changed in the registry reach a running gateway without a restart:
 * a new policy changes what the tenant gets (and changing it back restores it: nothing stale is
 * served), a key created through the registry API works at the gateway and stops working once
 * deleted, and a tenant that exists only in the registry can be used at once.
 */
import { createLogger } from '../core/logger';
import { configSchema, type CharterConfig } from '../core/config';
import { loadSubgraphSecret } from '../core/principal-signature';
import { hashApiKey } from '../gateway/auth/api-keys';
import { startGateway, type RunningGateway } from '../gateway/server';
import { registrySupergraphSource } from '../gateway/supergraph/registry-source';
import type { RegistryTenantSource } from '../gateway/tenants/registry-tenant-source';
import { gatewayOptionsFromConfig } from '../cli/gateway-from-config';
import { RegistryClient } from '../schema-registry/client';
import { startRegistry, type RunningRegistry } from '../schema-registry/server';
import { TenantRegistryClient } from '../schema-registry/tenants/tenant-client';
import { sha256Hex } from '../schema-registry/auth';
import { graphql, tempDir } from './support/charter-process';
import { SHOP_SDL, startShopSubgraph, type ShopSubgraph } from './support/shop-subgraph';

const logger = createLogger('test', 'silent');
const ADMIN = 'hot-admin';
const READER = 'hot-reader';
const ACME_KEY = 'key-acme-from-config';
let registry: RunningRegistry;
let shop: ShopSubgraph;
let gateway: RunningGateway;
let tenantSource: RegistryTenantSource | null;
let endpoint: string;
let admin: TenantRegistryClient;

const USERS = '{ users { name email } }';
const asKey = (key: string) => ({ headers: { 'x-api-key': key } });
const ACME_KEYS = [{ id: 'cfg', sha256: hashApiKey(ACME_KEY) }];

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  const dataDir = tempDir('tenant-hot');
  const config: CharterConfig = {
    ...configSchema.parse({ dataDir, tenants: [{ id: 'acme', apiKeys: ACME_KEYS, policy: { fallback: 'allow' } }] }),
    dataDir,
    configDir: dataDir,
  };
  shop = await startShopSubgraph(loadSubgraphSecret(dataDir));
  registry = await startRegistry({
    dataDir,
    env: {},
    logger,
    tokens: [
      { tokenSha256: sha256Hex(ADMIN), role: 'admin' },
      { tokenSha256: sha256Hex(READER), role: 'reader' },
    ],
  });
  expect((await new RegistryClient(registry.url, ADMIN).publish('prod', { name: 'shop', url: `${shop.url}/graphql`, sdl: SHOP_SDL })).status).toBe(201);
  admin = new TenantRegistryClient(registry.url, ADMIN);

  const source = registrySupergraphSource({ registryUrl: registry.url, variant: 'prod', token: READER, logger });
  const built = gatewayOptionsFromConfig(config, source, logger, { url: registry.url, variant: 'prod', token: READER, waitMs: 2000 });
  tenantSource = built.tenantSource;
  await tenantSource!.ready;
  gateway = await startGateway({ ...built.options, port: 0, host: '127.0.0.1', introspection: true });
  await gateway.ready;
  endpoint = `${gateway.url}/graphql`;
});

afterAll(async () => {
  await tenantSource?.close();
  await gateway?.close();
  await registry?.close();
  await shop?.close();
});

test('a policy published to the registry changes what a running gateway gives the tenant, both ways', async () => {
  const before = await graphql(endpoint, USERS, asKey(ACME_KEY));
  expect(before.body).toEqual({ data: { users: [{ name: 'Ada', email: 'ada@example.com' }, { name: 'Alan', email: 'alan@example.com' }] } });

  const saved = await admin.putTenant('prod', 'acme', { apiKeys: ACME_KEYS, policy: { fallback: 'allow', rules: { 'User.email': 'deny' } } });
  expect(saved.status).toBe(201);
  const after = await eventually(() => graphql(endpoint, USERS, asKey(ACME_KEY)), (r) => r.body.errors !== undefined);
  expect(after.status).toBe(200);
  expect(after.body.data).toEqual({ users: [{ name: 'Ada', email: null }, { name: 'Alan', email: null }] });
  expect(after.body.errors.map((e: any) => [e.path, e.extensions.code])).toEqual([
    [['users', 0, 'email'], 'FORBIDDEN'],
    [['users', 1, 'email'], 'FORBIDDEN'],
  ]);
  // The tenant's schema view follows too: introspection no longer shows the field.
  const view = await graphql(endpoint, '{ __type(name: "User") { fields { name } } }', asKey(ACME_KEY));
  expect(view.body.data.__type.fields.map((f: any) => f.name)).not.toContain('email');

  expect((await admin.putTenant('prod', 'acme', { apiKeys: ACME_KEYS, policy: { fallback: 'allow' } })).status).toBe(200);
  const restored = await eventually(() => graphql(endpoint, USERS, asKey(ACME_KEY)), (r) => r.body.errors === undefined);
  expect(restored.body).toEqual(before.body);
});

test('a key created through the registry API works at the gateway; once deleted it is refused', async () => {
  const created = await admin.createApiKey('prod', 'acme', { id: 'ci' });
  expect(created.status).toBe(201);
  const key: string = created.body.apiKey;
  const works = await eventually(() => graphql(endpoint, '{ whoami }', asKey(key)), (r) => r.status === 200);
  expect(works.body).toEqual({ data: { whoami: 'acme/key:ci' } });

  expect((await admin.deleteApiKey('prod', 'acme', 'ci')).status).toBe(200);
  const refused = await eventually(() => graphql(endpoint, '{ whoami }', asKey(key)), (r) => r.status === 401);
  expect(refused.status).toBe(401);
  expect(refused.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  // The tenant's other key is untouched.
  expect((await graphql(endpoint, '{ whoami }', asKey(ACME_KEY))).body).toEqual({ data: { whoami: 'acme/key:cfg' } });
});

test('a tenant that exists only in the registry is served with its own policy', async () => {
  expect((await admin.putTenant('prod', 'newco', { policy: { rules: { 'Query.products': 'allow', 'Product.*': 'allow' } } })).status).toBe(201);
  const key: string = (await admin.createApiKey('prod', 'newco', { id: 'first' })).body.apiKey;
  const products = await eventually(() => graphql(endpoint, '{ products { name } }', asKey(key)), (r) => r.status === 200);
  expect(products.body).toEqual({ data: { products: [{ name: 'Lamp' }, { name: 'Desk' }] } });
  const users = await graphql(endpoint, USERS, asKey(key));
  expect(users.body.data).toBeNull();
  expect(users.body.errors.map((e: any) => [e.path, e.extensions.code])).toEqual([[['users'], 'FORBIDDEN']]);
});

test('replacing a configured tenant in the registry replaces it whole: keys it does not list stop working', async () => {
  expect((await admin.putTenant('prod', 'acme', { apiKeys: [], policy: { fallback: 'allow' } })).status).toBe(200);
  const refused = await eventually(() => graphql(endpoint, '{ whoami }', asKey(ACME_KEY)), (r) => r.status === 401);
  expect(refused.status).toBe(401);
  expect((await admin.putTenant('prod', 'acme', { apiKeys: ACME_KEYS, policy: { fallback: 'allow' } })).status).toBe(200);
  expect((await eventually(() => graphql(endpoint, '{ whoami }', asKey(ACME_KEY)), (r) => r.status === 200)).status).toBe(200);
});
