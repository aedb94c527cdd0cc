/**
 * insight: which call store a registry opens. PostgreSQL when `CHARTER_ANALYTICS_POSTGRES_URL` is
 * set (several registries, or more traffic than one SQLite writer keeps up with); else SQLite in
 * `dataDir/analytics/calls.sqlite` (the registry is its single writer). When better-sqlite3 cannot
 * load (another Node ABI), the call log is off and says why.
 */
import path from 'node:path';
import type { CallStore } from '../analytics/call-store';
import { PostgresCallStore } from '../analytics/postgres-call-store';
import { loadSqlite, SqliteCallStore } from '../analytics/sqlite-call-store';
import type { Logger } from '../core/logger';

export async function openCallStore(dataDir: string, env: NodeJS.ProcessEnv, logger: Logger): Promise<CallStore | undefined> {
  if (env.CHARTER_ANALYTICS_POSTGRES_URL) return PostgresCallStore.open(env.CHARTER_ANALYTICS_POSTGRES_URL);
  const sqlite = loadSqlite();
  if (!sqlite.ok) {
    logger.warn({ reason: sqlite.reason }, 'call log off: the SQLite call store cannot load');
    return undefined;
  }
  return SqliteCallStore.open(path.join(dataDir, 'analytics', 'calls.sqlite'));
}
