/**
 * The behaviour every TenantStore must have, as one jest suite run against each store
 * (file-tenant-store.test.ts, redis-tenant-store.test.ts). `open` gives a store over fresh, empty
 * storage; `reopen` a second store over the same storage (what a restarted registry sees).
 */
import { afterEach, expect, test } from '@jest/globals';
import type { TenantRecord, TenantVersionDraft } from '../../tenancy/tenant-records';
import type { TenantStore } from './tenant-store';

export interface TenantStoreFactory {
  open(): Promise<TenantStore>;
  reopen(): Promise<TenantStore>;
}

export function recordOf(id: string, overrides: Partial<TenantRecord> = {}): TenantRecord {
  return { id, roles: ['reader'], scopes: [], plan: {}, apiKeys: [{ id: 'k1', sha256: 'a'.repeat(64) }], policy: { mode: 'filter', fallback: 'allow', rules: { 'User.email': 'deny' } }, ...overrides };
}

export function draftOf(id: string, overrides: Partial<TenantRecord> = {}): TenantVersionDraft {
  return { tenant: id, action: 'put', author: 'ada', record: recordOf(id, overrides) };
}

export function runTenantStoreContract(factory: TenantStoreFactory): void {
  const stores: TenantStore[] = [];
  const open = async (): Promise<TenantStore> => {
    const store = await factory.open();
    stores.push(store);
    return store;
  };

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  test('an unknown variant has no head, no tenants and no history', async () => {
    const store = await open();
    expect(await store.headId('prod')).toBeNull();
    expect(await store.list('prod')).toEqual({ variant: 'prod', versionId: null, tenants: [] });
    expect(await store.get('prod', 'acme')).toBeNull();
    expect(await store.history('prod', 'acme')).toEqual([]);
  });

  test('appends get monotonic ids across the variant, and each tenant reads back whole with the version that last changed it', async () => {
    const store = await open();
    const first = await store.append('prod', null, draftOf('acme'));
    expect(first).toMatchObject({ ok: true, version: { id: 1, parentId: null, variant: 'prod', tenant: 'acme', action: 'put', author: 'ada' } });
    const second = await store.append('prod', 1, draftOf('beta', { roles: [] }));
    expect(second).toMatchObject({ ok: true, version: { id: 2, parentId: 1, tenant: 'beta' } });
    const third = await store.append('prod', 2, { tenant: 'acme', action: 'delete-key', keyId: 'k1', record: recordOf('acme', { apiKeys: [] }) });
    expect(third).toMatchObject({ ok: true, version: { id: 3, parentId: 2, keyId: 'k1' } });

    const set = await store.list('prod');
    expect(set.versionId).toBe(3);
    expect(set.tenants.map((t) => [t.id, t.version])).toEqual([
      ['acme', 3],
      ['beta', 2],
    ]);
    const acme = await store.get('prod', 'acme');
    expect(acme).toEqual({ ...recordOf('acme', { apiKeys: [] }), version: 3, updatedAt: expect.any(String) });
    expect(acme!.policy).toEqual({ mode: 'filter', fallback: 'allow', rules: { 'User.email': 'deny' } });
    expect(Date.parse(acme!.updatedAt)).not.toBeNaN();
  });

  test('history is per tenant, newest first, whole records, and honours the limit', async () => {
    const store = await open();
    await store.append('prod', null, draftOf('acme', { roles: ['v1'] }));
    await store.append('prod', 1, draftOf('beta'));
    await store.append('prod', 2, draftOf('acme', { roles: ['v2'] }));
    await store.append('prod', 3, draftOf('acme', { roles: ['v3'] }));
    const history = await store.history('prod', 'acme');
    expect(history.map((v) => [v.id, v.parentId, v.record.roles[0]])).toEqual([
      [4, 3, 'v3'],
      [3, 2, 'v2'],
      [1, null, 'v1'],
    ]);
    expect((await store.history('prod', 'acme', 2)).map((v) => v.id)).toEqual([4, 3]);
    expect((await store.history('prod', 'beta')).map((v) => v.id)).toEqual([2]);
  });

  test('an append on a stale head is a CONFLICT naming the current head and writes nothing', async () => {
    const store = await open();
    await store.append('prod', null, draftOf('acme'));
    await store.append('prod', 1, draftOf('beta'));
    expect(await store.append('prod', 1, draftOf('gamma'))).toEqual({ ok: false, reason: 'CONFLICT', headId: 2 });
    expect(await store.append('prod', null, draftOf('gamma'))).toEqual({ ok: false, reason: 'CONFLICT', headId: 2 });
    expect(await store.append('dev', 3, draftOf('gamma'))).toEqual({ ok: false, reason: 'CONFLICT', headId: null });
    expect(await store.get('prod', 'gamma')).toBeNull();
    expect(await store.history('prod', 'gamma')).toEqual([]);
    expect((await store.list('prod')).versionId).toBe(2);
  });

  test('of two appends racing on one head, exactly one lands', async () => {
    const store = await open();
    await store.append('prod', null, draftOf('base'));
    const results = await Promise.all([store.append('prod', 1, draftOf('x')), store.append('prod', 1, draftOf('y'))]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'CONFLICT', headId: 2 }]);
    expect((await store.list('prod')).tenants).toHaveLength(2);
  });

  test('variants are independent', async () => {
    const store = await open();
    await store.append('prod', null, draftOf('acme'));
    await store.append('dev', null, draftOf('acme', { roles: ['dev'] }));
    expect(await store.headId('prod')).toBe(1);
    expect(await store.headId('dev')).toBe(1);
    expect((await store.get('dev', 'acme'))!.roles).toEqual(['dev']);
    expect((await store.get('prod', 'acme'))!.roles).toEqual(['reader']);
  });

  test('a reopened store sees every acknowledged version and continues the chain', async () => {
    const store = await open();
    await store.append('prod', null, draftOf('acme'));
    await store.append('prod', 1, draftOf('acme', { roles: ['v2'] }));
    const again = await factory.reopen();
    stores.push(again);
    expect(await again.headId('prod')).toBe(2);
    expect((await again.get('prod', 'acme'))!.roles).toEqual(['v2']);
    expect((await again.history('prod', 'acme')).map((v) => v.id)).toEqual([2, 1]);
    expect(await again.append('prod', 2, draftOf('beta'))).toMatchObject({ ok: true, version: { id: 3, parentId: 2 } });
  });
}
