/**
 * Both usage stores count per hour bucket, per coordinate and client, answer only the window and
 * leave excluded clients out; the file store survives a restart and a torn last line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWithRedis, startRedis, type TestRedis } from '../../test/support/redis';
import { FileUsageStore } from './file-usage-store';
import { RedisUsageStore } from './redis-usage-store';
import { DAY_MS, type UsageStore } from './usage-store';

// Real time: Redis expires buckets by the wall clock.
const NOW = Date.now();

function behavesAsAUsageStore(open: () => Promise<UsageStore>): void {
  test('counts per coordinate and client inside the window, without excluded clients', async () => {
    const store = await open();
    await store.record(
      [
        { coordinate: 'Book.title', client: { name: 'web', version: '1' }, count: 3 },
        { coordinate: 'Book.title', client: { name: 'web', version: '2' }, count: 2, at: NOW - 3 * DAY_MS },
        { coordinate: 'Book.title', client: { name: 'ios' }, count: 4, at: new Date(NOW - 6 * DAY_MS).toISOString() },
        { coordinate: 'Book.title', client: { name: 'old' }, count: 9, at: NOW - 8 * DAY_MS },
        { coordinate: 'Book.year', count: 1 },
        { coordinate: 'Book.title', client: { name: 'ci' }, count: 5 },
      ],
      NOW,
    );
    const found = await store.lookup(['Book.title', 'Book.year', 'Book.isbn'], 7, ['ci'], NOW);
    expect(Object.fromEntries(found)).toEqual({
      'Book.title': { count: 9, clients: ['ios', 'web'], byClient: { web: 5, ios: 4 } },
      'Book.year': { count: 1, clients: ['unknown'], byClient: { unknown: 1 } },
    });
    expect((await store.lookup(['Book.title'], 1, [], NOW)).get('Book.title')!.count).toBe(8);
    await store.close();
  });
}

describe('FileUsageStore', () => {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-usage-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  behavesAsAUsageStore(() => FileUsageStore.open(dir, { now: () => NOW }));

  test('a restart keeps acknowledged counts; a torn last line is dropped and cut off', async () => {
    const store = await FileUsageStore.open(dir, { now: () => NOW });
    await store.record([{ coordinate: 'Book.title', count: 2 }]);
    await store.close();
    fs.appendFileSync(path.join(dir, 'usage.jsonl'), '{"h":1,"c":"Book.tit');
    const reopened = await FileUsageStore.open(dir, { now: () => NOW });
    expect(reopened.droppedLines).toBe(1);
    expect((await reopened.lookup(['Book.title'], 7)).get('Book.title')!.count).toBe(2);
    await reopened.record([{ coordinate: 'Book.title', count: 1 }]);
    await reopened.close();
    const lines = fs.readFileSync(path.join(dir, 'usage.jsonl'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).k)).toEqual([2, 1]);
    const third = await FileUsageStore.open(dir, { now: () => NOW });
    expect((await third.lookup(['Book.title'], 7)).get('Book.title')!.count).toBe(3);
    await third.close();
  });
});

describeWithRedis('RedisUsageStore', () => {
  let redis: TestRedis;
  let n = 0;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis?.stop());
  behavesAsAUsageStore(async () => new RedisUsageStore(redis.url, { prefix: `u${++n}:`, now: () => NOW }));
});
