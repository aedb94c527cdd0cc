/**
 * The behaviour every ConsoleStore must have, as one jest suite run against each store
 * (file-console-store.test.ts, redis-console-store.test.ts). `open` gives a store over fresh, empty
 * storage; `reopen` a second store over the same storage (what a restarted registry sees).
 */
import { afterEach, expect, test } from '@jest/globals';
import type { ConsoleStore } from './console-store';
import type { AccessRequest, ConsoleUser } from './records';

export interface ConsoleStoreFactory {
  open(): Promise<ConsoleStore>;
  reopen(): Promise<ConsoleStore>;
}

export function userOf(username: string, overrides: Partial<ConsoleUser> = {}): ConsoleUser {
  return { username, passwordHash: 'scrypt$16384$8$1$c2FsdA$aGFzaA', roles: [{ role: 'tenant-member', tenant: 'globex' }], createdAt: '2026-12-03T00:00:00.000Z', ...overrides };
}

export function requestOf(id: string, overrides: Partial<AccessRequest> = {}): AccessRequest {
  return { id, variant: 'prod', tenant: 'globex', coordinates: ['User.email'], reason: 'support needs it', requestedBy: 'bob', createdAt: '2026-12-03T00:00:00.000Z', status: 'pending', ...overrides };
}

export function runConsoleStoreContract(factory: ConsoleStoreFactory): void {
  const stores: ConsoleStore[] = [];
  const open = async (): Promise<ConsoleStore> => {
    const store = await factory.open();
    stores.push(store);
    return store;
  };

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  test('an empty store has no records and no audit entries', async () => {
    const store = await open();
    expect(await store.get('users', 'bob')).toBeNull();
    expect(await store.list('requests')).toEqual([]);
    expect(await store.audit()).toEqual([]);
  });

  test('a record is created at rev 1, read back whole, and each write moves the rev by one', async () => {
    const store = await open();
    expect(await store.put('users', 'bob', userOf('bob'), null)).toEqual({ ok: true, rev: 1 });
    expect(await store.get('users', 'bob')).toEqual({ rev: 1, value: userOf('bob') });
    expect(await store.put('users', 'bob', userOf('bob', { displayName: 'Bob' }), 1)).toEqual({ ok: true, rev: 2 });
    expect((await store.get('users', 'bob'))!.value.displayName).toBe('Bob');
    await store.put('requests', 'r2', requestOf('r2'), null);
    await store.put('requests', 'r1', requestOf('r1'), null);
    expect((await store.list('requests')).map((r) => [r.value.id, r.rev])).toEqual([
      ['r1', 1],
      ['r2', 1],
    ]);
  });

  test('a write on a stale or missing rev is a CONFLICT naming the current rev and changes nothing', async () => {
    const store = await open();
    await store.put('users', 'bob', userOf('bob'), null);
    expect(await store.put('users', 'bob', userOf('bob', { displayName: 'X' }), null)).toEqual({ ok: false, reason: 'CONFLICT', rev: 1 });
    expect(await store.put('users', 'bob', userOf('bob', { displayName: 'X' }), 7)).toEqual({ ok: false, reason: 'CONFLICT', rev: 1 });
    expect(await store.put('users', 'ann', userOf('ann'), 1)).toEqual({ ok: false, reason: 'CONFLICT', rev: null });
    expect((await store.get('users', 'bob'))!.value.displayName).toBeUndefined();
    expect(await store.get('users', 'ann')).toBeNull();
  });

  test('of two writes racing on one rev, exactly one lands', async () => {
    const store = await open();
    await store.put('requests', 'r1', requestOf('r1'), null);
    const results = await Promise.all([store.put('requests', 'r1', requestOf('r1', { status: 'approved' }), 1), store.put('requests', 'r1', requestOf('r1', { status: 'rejected' }), 1)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'CONFLICT', rev: 2 }]);
  });

  test('remove deletes a session; removing an absent one is fine; kinds are separate', async () => {
    const store = await open();
    await store.put('sessions', 'abc', { id: 'abc', username: 'bob', csrfToken: 'c', createdAt: 'x', expiresAt: 'y' }, null);
    await store.put('users', 'abc', userOf('abc'), null);
    await store.remove('sessions', 'abc');
    await store.remove('sessions', 'never');
    expect(await store.get('sessions', 'abc')).toBeNull();
    expect(await store.get('users', 'abc')).not.toBeNull();
  });

  test('ids that could escape a path or key space are refused on write and absent on read', async () => {
    const store = await open();
    for (const id of ['../users/bob', 'a/b', '', '.hidden', 'x'.repeat(200)]) {
      await expect(store.put('users', id, userOf('bob'), null)).rejects.toThrow(/invalid console record id/);
    }
    expect(await store.get('users', '../users/bob')).toBeNull();
  });

  test('the audit log numbers entries from 1, lists newest first, pages back with beforeId and honours the limit', async () => {
    const store = await open();
    for (let i = 1; i <= 5; i++) {
      const entry = await store.appendAudit({ actor: 'user:bob', action: `step-${i}`, tenant: 'globex', ip: '127.0.0.1', details: { n: i } });
      expect(entry).toMatchObject({ id: i, actor: 'user:bob', action: `step-${i}`, details: { n: i } });
      expect(Date.parse(entry.at)).not.toBeNaN();
    }
    expect((await store.audit()).map((e) => e.id)).toEqual([5, 4, 3, 2, 1]);
    expect((await store.audit({ limit: 2 })).map((e) => e.id)).toEqual([5, 4]);
    expect((await store.audit({ limit: 2, beforeId: 4 })).map((e) => e.id)).toEqual([3, 2]);
    expect((await store.audit({ beforeId: 1 })).map((e) => e.id)).toEqual([]);
    expect((await store.audit())[0]).toEqual({ id: 5, at: expect.any(String), actor: 'user:bob', action: 'step-5', tenant: 'globex', ip: '127.0.0.1', details: { n: 5 } });
  });

  test('concurrent audit appends each get their own id: none lost, none repeated', async () => {
    const store = await open();
    const entries = await Promise.all(Array.from({ length: 20 }, (_, i) => store.appendAudit({ actor: 'a', action: `x${i}` })));
    expect(entries.map((e) => e.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await store.audit({ limit: 1000 })).toHaveLength(20);
  });

  test('a reopened store sees every acknowledged record and audit entry, and continues the numbering', async () => {
    const store = await open();
    await store.put('users', 'bob', userOf('bob'), null);
    await store.appendAudit({ actor: 'a', action: 'one' });
    const again = await factory.reopen();
    stores.push(again);
    expect((await again.get('users', 'bob'))!.rev).toBe(1);
    expect((await again.appendAudit({ actor: 'a', action: 'two' })).id).toBe(2);
    expect(await again.put('users', 'bob', userOf('bob'), 1)).toEqual({ ok: true, rev: 2 });
  });
}
