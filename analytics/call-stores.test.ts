/** The SQLite and PostgreSQL call stores pass one contract suite (call-store.contract.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeWithPostgres, startPostgres, type TestPostgres } from '../test/support/postgres';
import { runCallStoreContract } from './call-store.contract';
import { PostgresCallStore } from './postgres-call-store';
import { loadSqlite, SqliteCallStore } from './sqlite-call-store';

const sqlite = loadSqlite();
if (sqlite.ok) {
  describe('SQLite call store', () => {
    let dir: string;
    beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-calls-'))));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
    let n = 0;
    runCallStoreContract(async () => SqliteCallStore.open(path.join(dir, `calls-${++n}.sqlite`)));
  });
} else {
  // The Node 22 pass (README): the native module may not be built for that ABI.
  console.warn(`Skipping the SQLite call store: ${sqlite.reason}`);
  describe.skip('SQLite call store', () => runCallStoreContract(async () => SqliteCallStore.open(':memory:')));
}

describeWithPostgres('PostgreSQL call store', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 60_000);
  afterAll(async () => {
    await pg?.stop();
  });
  runCallStoreContract(async () => {
    const store = await PostgresCallStore.open(pg.url);
    // A clean table per test: the contract assumes an empty store.
    await (store as unknown as { pool: { query(sql: string): Promise<unknown> } }).pool.query('TRUNCATE calls');
    return store;
  });
});
