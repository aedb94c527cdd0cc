/**
 * The embedded call store: one SQLite file in the data directory (`better-sqlite3` 12, the line that
 * runs on Node 20), written only by the registry. WAL mode, so readers never wait for a batch.
 * better-sqlite3 is native: `loadSqlite()` says why it cannot load instead of crashing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { CallRecord } from './call-record';
import { INSERT_COLUMNS, limitOf, recordOf, rowValues, whereOf, type CallFilter, type CallRow, type CallSample, type CallStore, type Retention } from './call-store';

type Database = BetterSqlite3.Database;

/** The better-sqlite3 constructor, or why it cannot load (e.g. built for another Node ABI). */
export function loadSqlite(): { ok: true; Database: typeof BetterSqlite3 } | { ok: false; reason: string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    new Database(':memory:').close();
    return { ok: true, Database };
  } catch (err) {
    return { ok: false, reason: `better-sqlite3 cannot load on Node ${process.versions.node}: ${(err as Error).message.split('\n')[0]}` };
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS calls (
  id INTEGER PRIMARY KEY,
  time INTEGER NOT NULL, tenant TEXT NOT NULL, key_id TEXT, client_name TEXT, client_version TEXT,
  operation_name TEXT, operation_hash TEXT, entrance TEXT NOT NULL, status INTEGER NOT NULL,
  error_codes TEXT NOT NULL, latency_ms REAL NOT NULL, subgraphs TEXT, cache_hit INTEGER,
  rate_limit TEXT, ai_tokens INTEGER, ai_cost_usd REAL
);
CREATE INDEX IF NOT EXISTS calls_time ON calls (time);
CREATE INDEX IF NOT EXISTS calls_tenant_time ON calls (tenant, time);
`;

export class SqliteCallStore implements CallStore {
  private readonly insertOne: BetterSqlite3.Statement;
  private readonly insertMany: (calls: readonly CallRecord[]) => void;

  private constructor(private readonly db: Database) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec(SCHEMA);
    this.insertOne = db.prepare(`INSERT INTO calls (${INSERT_COLUMNS.join(', ')}) VALUES (${INSERT_COLUMNS.map(() => '?').join(', ')})`);
    this.insertMany = db.transaction((calls: readonly CallRecord[]) => {
      for (const c of calls) this.insertOne.run(...rowValues(c, false));
    });
  }

  /** `file`: a path, or `:memory:`. */
  static open(file: string): SqliteCallStore {
    const loaded = loadSqlite();
    if (!loaded.ok) throw new Error(loaded.reason);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    return new SqliteCallStore(new loaded.Database(file));
  }

  async insert(calls: readonly CallRecord[]): Promise<void> {
    this.insertMany(calls);
  }

  async query(filter: CallFilter): Promise<CallRecord[]> {
    const where = whereOf(filter, () => '?');
    const rows = this.db.prepare(`SELECT * FROM calls ${where.sql} ORDER BY time DESC, id DESC LIMIT ${limitOf(filter)}`).all(...where.values) as CallRow[];
    return rows.map(recordOf);
  }

  async *samples(filter: { tenant?: string; from: number; to: number }): AsyncIterable<CallSample> {
    const where = whereOf(filter, () => '?');
    const statement = this.db.prepare(`SELECT time, tenant, operation_name AS operationName, client_name AS clientName, status, latency_ms AS latencyMs, COALESCE(ai_cost_usd, 0) AS aiCostUsd FROM calls ${where.sql} ORDER BY time`);
    for (const row of statement.iterate(...where.values)) yield row as CallSample;
  }

  async prune(retention: Retention, now = Date.now()): Promise<number> {
    let deleted = 0;
    if (retention.maxAgeMs !== undefined) deleted += this.db.prepare('DELETE FROM calls WHERE time < ?').run(now - retention.maxAgeMs).changes;
    if (retention.maxRows !== undefined) {
      deleted += this.db.prepare('DELETE FROM calls WHERE id NOT IN (SELECT id FROM calls ORDER BY time DESC, id DESC LIMIT ?)').run(retention.maxRows).changes;
    }
    return deleted;
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM calls').get() as { n: number }).n;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
