/** The scale-out call store: PostgreSQL through `pg`, same contract as the SQLite store. */
import { Pool } from 'pg';
import type { CallRecord } from './call-record';
import { INSERT_COLUMNS, limitOf, recordOf, rowValues, whereOf, type CallFilter, type CallRow, type CallSample, type CallStore, type Retention } from './call-store';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS calls (
  id BIGSERIAL PRIMARY KEY,
  time BIGINT NOT NULL, tenant TEXT NOT NULL, key_id TEXT, client_name TEXT, client_version TEXT,
  operation_name TEXT, operation_hash TEXT, entrance TEXT NOT NULL, status INTEGER NOT NULL,
  error_codes TEXT NOT NULL, latency_ms DOUBLE PRECISION NOT NULL, subgraphs TEXT, cache_hit BOOLEAN,
  rate_limit TEXT, ai_tokens BIGINT, ai_cost_usd DOUBLE PRECISION
);
CREATE INDEX IF NOT EXISTS calls_time ON calls (time);
CREATE INDEX IF NOT EXISTS calls_tenant_time ON calls (tenant, time);
`;

export class PostgresCallStore implements CallStore {
  private constructor(private readonly pool: Pool) {}

  static async open(connectionString: string): Promise<PostgresCallStore> {
    const pool = new Pool({ connectionString, max: 4 });
    await pool.query(SCHEMA);
    return new PostgresCallStore(pool);
  }

  async insert(calls: readonly CallRecord[]): Promise<void> {
    // One multi-row INSERT per 1000 calls (PostgreSQL allows 65535 parameters per statement).
    for (let i = 0; i < calls.length; i += 1000) {
      const slice = calls.slice(i, i + 1000);
      const values: unknown[] = [];
      const tuples = slice.map((c) => {
        const row = rowValues(c, true);
        const start = values.length;
        values.push(...row);
        return `(${row.map((_, j) => `$${start + j + 1}`).join(', ')})`;
      });
      await this.pool.query(`INSERT INTO calls (${INSERT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, values);
    }
  }

  async query(filter: CallFilter): Promise<CallRecord[]> {
    const where = whereOf(filter, (i) => `$${i}`);
    const { rows } = await this.pool.query<CallRow>(`SELECT * FROM calls ${where.sql} ORDER BY time DESC, id DESC LIMIT ${limitOf(filter)}`, where.values);
    return rows.map(recordOf);
  }

  async *samples(filter: { tenant?: string; from: number; to: number }): AsyncIterable<CallSample> {
    const where = whereOf(filter, (i) => `$${i}`);
    const { rows } = await this.pool.query<{ time: string; tenant: string; operationname: string | null; clientname: string | null; status: number; latencyms: number; aicostusd: number }>(
      `SELECT time, tenant, operation_name AS operationName, client_name AS clientName, status, latency_ms AS latencyMs, COALESCE(ai_cost_usd, 0) AS aiCostUsd FROM calls ${where.sql} ORDER BY time`,
      where.values,
    );
    for (const r of rows) yield { time: Number(r.time), tenant: r.tenant, operationName: r.operationname, clientName: r.clientname, status: r.status, latencyMs: r.latencyms, aiCostUsd: r.aicostusd };
  }

  async prune(retention: Retention, now = Date.now()): Promise<number> {
    let deleted = 0;
    if (retention.maxAgeMs !== undefined) deleted += (await this.pool.query('DELETE FROM calls WHERE time < $1', [now - retention.maxAgeMs])).rowCount ?? 0;
    if (retention.maxRows !== undefined) {
      deleted += (await this.pool.query('DELETE FROM calls WHERE id NOT IN (SELECT id FROM calls ORDER BY time DESC, id DESC LIMIT $1)', [retention.maxRows])).rowCount ?? 0;
    }
    return deleted;
  }

  async count(): Promise<number> {
    return Number((await this.pool.query<{ n: string }>('SELECT count(*) AS n FROM calls')).rows[0]!.n);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
