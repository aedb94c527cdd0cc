/**
 * The behaviour every RegistryStore must have, as one jest suite run against each store
 * (file-store.test.ts, redis-store.test.ts). `open` must give a store over fresh, empty storage;
 * `reopen` a second store over the same storage (what a restarted registry sees).
 */
import { afterEach, expect, test } from '@jest/globals';
import type { VersionDraft } from '../client/wire-types';
import type { AppendResult, RegistryStore } from './registry-store';

export interface StoreFactory {
  open(): Promise<RegistryStore>;
  reopen(): Promise<RegistryStore>;
}

export function draftOf(subgraph: string, sdl = `type Query { ${subgraph}: String }`): VersionDraft {
  return {
    action: 'publish',
    subgraph,
    author: 'ada',
    subgraphs: [{ name: subgraph, url: `http://${subgraph}.test/graphql`, sdl, status: 'active' }],
    supergraphSdl: `# supergraph with ${subgraph}\n${sdl}`,
  };
}

/** Appends with retries on CONFLICT, as a publisher does: resolves with the landed version. */
async function appendWithRetry(store: RegistryStore, variant: string, draft: VersionDraft): Promise<AppendResult> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const head = await store.headId(variant);
    const result = await store.append(variant, head, draft);
    if (result.ok) return result;
  }
  throw new Error('never landed');
}

export function runRegistryStoreContract(factory: StoreFactory): void {
  let store: RegistryStore;
  const stores: RegistryStore[] = [];
  const open = async (): Promise<RegistryStore> => {
    store = await factory.open();
    stores.push(store);
    return store;
  };

  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  test('an unknown variant has no head, no versions and no history', async () => {
    await open();
    expect(await store.headId('nope')).toBeNull();
    expect(await store.head('nope')).toBeNull();
    expect(await store.version('nope', 1)).toBeNull();
    expect(await store.history('nope')).toEqual([]);
    expect(await store.variants()).toEqual([]);
  });

  test('appends get monotonic ids with parent links, and round-trip whole', async () => {
    await open();
    const first = await store.append('prod', null, draftOf('books'));
    expect(first).toMatchObject({ ok: true, version: { id: 1, parentId: null, variant: 'prod', action: 'publish', subgraph: 'books', author: 'ada' } });
    const second = await store.append('prod', 1, { ...draftOf('films'), report: { verdict: 'pass', subgraph: 'films', changes: [], composition: { errors: [], hints: [] }, lint: [], federation: [], failures: [], notes: ['n'] } });
    expect(second).toMatchObject({ ok: true, version: { id: 2, parentId: 1 } });
    const read = await store.version('prod', 2);
    expect(read).toEqual(second.ok && second.version);
    expect(read!.report!.notes).toEqual(['n']);
    expect(Date.parse(read!.createdAt)).not.toBeNaN();
    expect(await store.headId('prod')).toBe(2);
    expect((await store.head('prod'))!.subgraphs[0]!.name).toBe('films');
    expect(await store.version('prod', 3)).toBeNull();
    expect(await store.version('prod', 0)).toBeNull();
  });

  test('an append on a stale head is a CONFLICT naming the current head and writes nothing', async () => {
    await open();
    await store.append('prod', null, draftOf('a'));
    await store.append('prod', 1, draftOf('b'));
    expect(await store.append('prod', 1, draftOf('c'))).toEqual({ ok: false, reason: 'CONFLICT', headId: 2 });
    expect(await store.append('prod', null, draftOf('c'))).toEqual({ ok: false, reason: 'CONFLICT', headId: 2 });
    expect(await store.append('dev', 4, draftOf('c'))).toEqual({ ok: false, reason: 'CONFLICT', headId: null });
    expect((await store.history('prod')).map((v) => v.subgraph)).toEqual(['b', 'a']);
    expect(await store.headId('dev')).toBeNull();
  });

  test('of two appends racing on one head, exactly one lands and the other may retry on top of it', async () => {
    await open();
    await store.append('prod', null, draftOf('base'));
    const [x, y] = await Promise.all([store.append('prod', 1, draftOf('x')), store.append('prod', 1, draftOf('y'))]);
    const winners = [x, y].filter((r) => r.ok);
    const losers = [x, y].filter((r) => !r.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toEqual([{ ok: false, reason: 'CONFLICT', headId: 2 }]);
    const retried = await store.append('prod', 2, draftOf(x.ok ? 'y' : 'x'));
    expect(retried).toMatchObject({ ok: true, version: { id: 3, parentId: 2 } });
  });

  test('many concurrent writers that retry all land once each, in one unbroken chain', async () => {
    await open();
    const names = Array.from({ length: 8 }, (_, i) => `s${i}`);
    await Promise.all(names.map((n) => appendWithRetry(store, 'prod', draftOf(n))));
    const history = await store.history('prod', 100);
    expect(history.map((v) => v.id)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(history.map((v) => v.parentId)).toEqual([7, 6, 5, 4, 3, 2, 1, null]);
    expect(history.map((v) => v.subgraph).sort()).toEqual(names);
  });

  test('history is newest first, honours the limit, and carries summaries only', async () => {
    await open();
    for (let i = 0; i < 4; i++) await store.append('prod', i === 0 ? null : i, draftOf(`s${i}`));
    const history = await store.history('prod', 2);
    expect(history.map((v) => v.id)).toEqual([4, 3]);
    expect(history[0]).toEqual({ id: 4, variant: 'prod', parentId: 3, action: 'publish', subgraph: 's3', author: 'ada', commit: undefined, createdAt: expect.any(String) });
    expect(history[0]).not.toHaveProperty('supergraphSdl');
  });

  test('variants have their own heads and are listed', async () => {
    await open();
    await store.append('prod', null, draftOf('a'));
    await store.append('prod', 1, draftOf('b'));
    await store.append('dev', null, draftOf('c'));
    expect(await store.headId('prod')).toBe(2);
    expect(await store.headId('dev')).toBe(1);
    expect((await store.head('dev'))!.subgraph).toBe('c');
    expect(await store.variants()).toEqual(['dev', 'prod']);
  });

  test('a reopened store sees every acknowledged version', async () => {
    await open();
    await store.append('prod', null, draftOf('a'));
    await store.append('prod', 1, draftOf('b'));
    const again = await factory.reopen();
    stores.push(again);
    expect(await again.headId('prod')).toBe(2);
    expect((await again.version('prod', 1))!.subgraph).toBe('a');
    expect(await again.append('prod', 2, draftOf('c'))).toMatchObject({ ok: true, version: { id: 3, parentId: 2 } });
  });
}
