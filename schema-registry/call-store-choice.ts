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

/**
 * Retention: every `everyMs` (default hourly, and once at start) deletes calls older than
 * CHARTER_ANALYTICS_RETENTION_DAYS (default 30) and beyond the newest CHARTER_ANALYTICS_MAX_ROWS
 * (default 10,000,000). Returns the stop function.
 */
export function scheduleRetention(store: CallStore, env: NodeJS.ProcessEnv, logger: Logger, everyMs = 3_600_000): () => void {
  const days = Number(env.CHARTER_ANALYTICS_RETENTION_DAYS ?? 30);
  const maxRows = Number(env.CHARTER_ANALYTICS_MAX_ROWS ?? 10_000_000);
  const prune = (): void => {
    store
      .prune({ maxAgeMs: days * 86_400_000, maxRows })
      .then((deleted) => deleted > 0 && logger.info({ deleted }, 'call log retention'))
      .catch((err: unknown) => logger.warn({ err: String(err) }, 'call log retention failed'));
  };
  prune();
  const timer = setInterval(prune, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
