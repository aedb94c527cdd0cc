/**
 * The gateway's registry tenant source: tenants arrive as gateway configs with registry-labelled
 * policies, changes arrive by long-poll, and a gateway started while the registry is down gets the
 * last set it saw from disk (key hashes only) instead of nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Tenant } from '../../tenancy/tenant';
import { startTestRegistry, booksSdl, type TestRegistry } from '../../schema-registry/test-support';
import { TenantRegistryClient } from '../../schema-registry/client/tenant-client';
import { registryTenantSource } from './registry-tenant-source';

let t: TestRegistry;
beforeEach(async () => {
  t = await startTestRegistry();
  expect((await t.client.publish('prod', { name: 'books', url: 'http://books.test/graphql', sdl: booksSdl() })).status).toBe(201);
});
afterEach(() => t.close());

test('first load, then each change by long-poll, as gateway tenant configs', async () => {
  const admin = new TenantRegistryClient(t.registry.url);
  await admin.putTenant('prod', 'acme', { roles: ['r'], policy: { fallback: 'allow', rules: { 'Book.year': 'deny' } } });
  const seen: Array<[Tenant[], number | null]> = [];
  const source = registryTenantSource({ registryUrl: t.registry.url, variant: 'prod', waitMs: 5000, onChange: (tenants, version) => seen.push([tenants, version]) });
  await source.ready;
  expect(seen).toEqual([[[{ id: 'acme', roles: ['r'], scopes: [], plan: {}, apiKeys: [], policy: { mode: 'filter', fallback: 'allow', rules: { 'Book.year': 'deny' }, version: 'registry:prod:1' } }], 1]]);
  expect(source.versionId).toBe(1);

  const key = (await admin.createApiKey('prod', 'acme', { id: 'k' })).body.apiKey as string;
  const started = Date.now();
  while (seen.length < 2 && Date.now() - started < 4000) await new Promise((r) => setTimeout(r, 20));
  expect(seen[1]![1]).toBe(2);
  expect(seen[1]![0][0]!.apiKeys).toEqual([{ id: 'k', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
  expect(JSON.stringify(seen)).not.toContain(key);
  const closing = Date.now();
  await source.close();
  expect(Date.now() - closing).toBeLessThan(1000);
});

test('registry down at start: the last set seen is read from disk; with none, ready still settles', async () => {
  const cacheFile = path.join(t.dataDir, 'last-tenants.json');
  await new TenantRegistryClient(t.registry.url).putTenant('prod', 'acme', { roles: ['cached'] });
  const first = registryTenantSource({ registryUrl: t.registry.url, variant: 'prod', cacheFile, onChange: () => undefined });
  await first.ready;
  await first.close();
  expect((fs.statSync(cacheFile).mode & 0o777).toString(8)).toBe('600');

  const deadUrl = 'http://127.0.0.1:1';
  const seen: Tenant[][] = [];
  const fromDisk = registryTenantSource({ registryUrl: deadUrl, variant: 'prod', cacheFile, retryDelayMs: 50, onChange: (tenants) => seen.push(tenants) });
  await fromDisk.ready;
  expect(seen.map((s) => s.map((x) => [x.id, x.roles]))).toEqual([[['acme', ['cached']]]]);
  await fromDisk.close();

  const nothing = registryTenantSource({ registryUrl: deadUrl, variant: 'prod', retryDelayMs: 50, onChange: () => seen.push([]) });
  await nothing.ready;
  expect(nothing.versionId).toBeNull();
  await nothing.close();
  expect(seen).toHaveLength(1);
});
