/**
 * The registry's tenant routes: tenants versioned like schemas (history, no-op puts store nothing),
 * the set served with ETag and long-poll, API keys generated once and stored only as hashes, and
 * every change refused to tokens that are not admin.
 */
import fs from 'node:fs';
import path from 'node:path';
import { hashApiKey } from '../../gateway/auth/api-keys';
import { booksSdl, startTestRegistry, type TestRegistry } from '../test-support';
import { sha256Hex } from '../auth';
import { TenantRegistryClient } from './tenant-client';

const ADMIN = 'admin-token';
const PUBLISHER = 'publisher-token';
const READER = 'reader-token';
let t: TestRegistry;
const as = (token?: string) => new TenantRegistryClient(t.registry.url, token);

beforeEach(async () => {
  t = await startTestRegistry({
    tokens: [
      { tokenSha256: sha256Hex(ADMIN), role: 'admin' },
      { tokenSha256: sha256Hex(PUBLISHER), role: 'publisher' },
      { tokenSha256: sha256Hex(READER), role: 'reader' },
    ],
  }, ADMIN);
  expect((await t.client.publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl() })).status).toBe(201);
});
afterEach(() => t.close());

describe('tokens', () => {
  test('publisher and reader tokens may not create, change or key a tenant (403); no token is 401', async () => {
    expect((await as(ADMIN).putTenant('prod', 'acme', { roles: ['r'] })).status).toBe(201);
    for (const token of [PUBLISHER, READER]) {
      const client = as(token);
      const put = await client.putTenant('prod', 'acme', { roles: ['hacked'] });
      expect(put.status).toBe(403);
      expect(put.body.error.code).toBe('FORBIDDEN');
      expect((await client.createApiKey('prod', 'acme')).status).toBe(403);
      expect((await client.deleteApiKey('prod', 'acme', 'k1')).status).toBe(403);
    }
    expect((await as().putTenant('prod', 'acme', { roles: ['hacked'] })).status).toBe(401);
    expect((await as().fetchTenants('prod').catch((e: Error) => e.message))).toMatch(/401/);
    expect((await as(ADMIN).getTenant('prod', 'acme')).body.roles).toEqual(['r']);
    expect((await as(ADMIN).history('prod', 'acme')).body.versions).toHaveLength(1);
  });

  test('a reader token (a gateway) may read the set, a tenant and its history', async () => {
    await as(ADMIN).putTenant('prod', 'acme', { roles: ['r'] });
    expect((await as(READER).fetchTenants('prod'))!.tenants.map((x) => x.id)).toEqual(['acme']);
    expect((await as(READER).getTenant('prod', 'acme')).status).toBe(200);
    expect((await as(READER).history('prod', 'acme')).status).toBe(200);
  });
});

describe('versions', () => {
  test('each change is a new version with its author; an identical put stores nothing; history is newest first', async () => {
    const admin = as(ADMIN);
    const created = await admin.putTenant('prod', 'acme', { description: 'Acme', roles: ['a'], plan: { rateLimit: { requestsPerMinute: 60 } }, policy: { fallback: 'allow' }, author: 'ada' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'saved', created: true, version: { id: 1, parentId: null, tenant: 'acme', action: 'put', author: 'ada' }, tenant: { id: 'acme', version: 1, roles: ['a'], apiKeys: [] } });
    const same = await admin.putTenant('prod', 'acme', { description: 'Acme', roles: ['a'], plan: { rateLimit: { requestsPerMinute: 60 } }, policy: { fallback: 'allow' }, author: 'bob' });
    expect(same.status).toBe(200);
    expect(same.body).toMatchObject({ status: 'unchanged', tenant: { version: 1 } });
    await admin.putTenant('prod', 'beta', { roles: [] });
    const changed = await admin.putTenant('prod', 'acme', { roles: ['a', 'b'], policy: { fallback: 'deny', rules: { 'Query.books': 'allow' } }, author: 'bob' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'saved', created: false, version: { id: 3, parentId: 2, author: 'bob' }, tenant: { version: 3, roles: ['a', 'b'] } });

    const history = (await admin.history('prod', 'acme')).body;
    expect(history.versions.map((v: any) => [v.id, v.author, v.record.roles])).toEqual([
      [3, 'bob', ['a', 'b']],
      [1, 'ada', ['a']],
    ]);
    expect(history.versions[1].record.policy).toEqual({ mode: 'filter', fallback: 'allow', rules: {} });
    expect((await admin.history('prod', 'nobody')).status).toBe(404);
  });

  test('a bad plan, tenant id or unknown body key is refused with 400', async () => {
    const admin = as(ADMIN);
    expect((await admin.putTenant('prod', 'acme', { plan: { rateLimit: { requestsPerMinute: -1 } } })).status).toBe(400);
    expect((await admin.putTenant('prod', 'Not_OK', {})).status).toBe(400);
    const unknown = await admin.putTenant('prod', 'acme', { apiKeys: [{ id: 'k', key: 'plain-text' }] });
    expect(unknown.status).toBe(400);
    expect((await admin.fetchTenants('prod'))!.tenants).toEqual([]);
  });

  test('the set answers 304 to its ETag, and a long-poll returns as soon as a tenant changes', async () => {
    const reader = as(READER);
    const empty = (await reader.fetchTenants('prod'))!;
    expect(empty).toMatchObject({ versionId: null, tenants: [], etag: '"tenants:prod:0"' });
    expect(await reader.fetchTenants('prod', { etag: empty.etag })).toBeNull();

    const started = Date.now();
    const waiting = reader.fetchTenants('prod', { etag: empty.etag, waitMs: 10_000 });
    await new Promise((r) => setTimeout(r, 100));
    await as(ADMIN).putTenant('prod', 'acme', { roles: ['r'] });
    const next = (await waiting)!;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(next).toMatchObject({ versionId: 1, etag: '"tenants:prod:1"', tenants: [expect.objectContaining({ id: 'acme', roles: ['r'] })] });

    // A change in another variant does not wake this one's pollers.
    const quiet = reader.fetchTenants('prod', { etag: next.etag, waitMs: 400 });
    await as(ADMIN).putTenant('dev', 'acme', { roles: ['x'] });
    expect(await quiet).toBeNull();
  });
});

describe('API keys', () => {
  test('a created key is returned once and only its hash is stored or served', async () => {
    const admin = as(ADMIN);
    await admin.putTenant('prod', 'acme', { roles: ['r'] });
    const created = await admin.createApiKey('prod', 'acme', { id: 'ci', author: 'ada' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'created', tenant: 'acme', keyId: 'ci', apiKey: expect.stringMatching(/^ck_acme_/), version: { id: 2, action: 'create-key', keyId: 'ci' } });
    const key: string = created.body.apiKey;

    const served = (await as(READER).fetchTenants('prod'))!;
    expect(served.tenants[0]!.apiKeys).toEqual([{ id: 'ci', sha256: hashApiKey(key), createdAt: expect.any(String) }]);
    expect(JSON.stringify(served)).not.toContain(key);
    expect(JSON.stringify((await admin.history('prod', 'acme')).body)).not.toContain(key);
    // Nor anywhere on disk.
    const files = fs.readdirSync(t.dataDir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
    for (const f of files) expect(fs.readFileSync(path.join(f.parentPath, f.name), 'utf8')).not.toContain(key);

    const generated = await admin.createApiKey('prod', 'acme');
    expect(generated.body.keyId).toMatch(/^key-[0-9a-f]{8}$/);
    expect(generated.body.apiKey).not.toBe(key);
    expect((await admin.createApiKey('prod', 'acme', { id: 'ci' })).status).toBe(409);
    expect((await admin.createApiKey('prod', 'nobody')).status).toBe(404);
  });

  test('a deleted key is gone from the set; deleting an unknown key is 404', async () => {
    const admin = as(ADMIN);
    await admin.putTenant('prod', 'acme', { roles: [] });
    await admin.createApiKey('prod', 'acme', { id: 'a' });
    await admin.createApiKey('prod', 'acme', { id: 'b' });
    const deleted = await admin.deleteApiKey('prod', 'acme', 'a');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ status: 'deleted', keyId: 'a', version: { id: 4, action: 'delete-key' } });
    expect((await admin.getTenant('prod', 'acme')).body.apiKeys.map((k: any) => k.id)).toEqual(['b']);
    expect((await admin.deleteApiKey('prod', 'acme', 'a')).status).toBe(404);
  });

  test('a put without apiKeys keeps the keys; a put with hashes replaces them', async () => {
    const admin = as(ADMIN);
    await admin.putTenant('prod', 'acme', { roles: [] });
    await admin.createApiKey('prod', 'acme', { id: 'a' });
    await admin.putTenant('prod', 'acme', { roles: ['more'] });
    expect((await admin.getTenant('prod', 'acme')).body.apiKeys.map((k: any) => k.id)).toEqual(['a']);
    await admin.putTenant('prod', 'acme', { roles: ['more'], apiKeys: [{ id: 'ext', sha256: 'b'.repeat(64) }] });
    expect((await admin.getTenant('prod', 'acme')).body.apiKeys).toEqual([{ id: 'ext', sha256: 'b'.repeat(64) }]);
  });
});
