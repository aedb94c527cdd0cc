/**
 * insight bench: generates a call log of `--rows` rows (default 10,000,000) over 60 days in a fresh
 * SQLite file, then times a 30-day dashboard query (requests, errors and AI spend per day, and the
 * top 10 operations by requests) and prints the figure. Percentile sketches are not part of this
 * query yet (computing them from raw rows needs pre-aggregated buckets; see the README).
 *
 *   npm run build && node dist/bench/call-log-dashboard.js [--rows N]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CallRecord } from '../analytics/call-record';
import { loadSqlite, SqliteCallStore } from '../analytics/sqlite-call-store';

async function main(): Promise<void> {
  const arg = process.argv.indexOf('--rows');
  const rows = arg > 0 ? Number(process.argv[arg + 1]) : 10_000_000;
  const loaded = loadSqlite();
  if (!loaded.ok) throw new Error(loaded.reason);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-calls-bench-'));
  const file = path.join(dir, 'calls.sqlite');
  const store = SqliteCallStore.open(file);
  const now = Date.now();
  const span = 60 * 86_400_000;
  const tenants = ['acme', 'globex', 'initech', 'umbrella'];
  const operations = Array.from({ length: 50 }, (_, i) => `Operation${i}`);
  let seed = 42;
  const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const started = performance.now();
  const batch: CallRecord[] = [];
  for (let i = 0; i < rows; i++) {
    const status = random() < 0.03 ? 500 : 200;
    batch.push({
      time: Math.floor(now - span + (span * i) / rows),
      tenant: tenants[i % tenants.length]!,
      entrance: 'graphql',
      operationName: operations[Math.floor(random() * random() * operations.length)]!,
      status,
      errorCodes: status === 500 ? ['UPSTREAM_ERROR'] : [],
      latencyMs: Math.round(random() * 2000) / 10,
      ...(i % 20 === 0 ? { aiTokens: 300, aiCostUsd: 0.0004 } : {}),
    });
    if (batch.length === 50_000) {
      await store.insert(batch);
      batch.length = 0;
    }
  }
  if (batch.length) await store.insert(batch);
  const generated = (performance.now() - started) / 1000;
  await store.close();

  const db = new loaded.Database(file, { readonly: true });
  const from = now - 30 * 86_400_000;
  const t0 = performance.now();
  const perDay = db.prepare('SELECT time / 86400000 AS day, count(*) AS requests, sum(status >= 400) AS errors, sum(COALESCE(ai_cost_usd, 0)) AS ai FROM calls WHERE time >= ? AND time < ? GROUP BY day ORDER BY day').all(from, now);
  const top = db.prepare('SELECT operation_name, count(*) AS requests, sum(status >= 400) AS errors FROM calls WHERE time >= ? AND time < ? GROUP BY operation_name ORDER BY requests DESC LIMIT 10').all(from, now);
  const queryMs = performance.now() - t0;
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`call log: ${rows.toLocaleString('en')} rows generated in ${generated.toFixed(1)} s\n`);
  process.stdout.write(`30-day dashboard query (${perDay.length} days, top ${top.length} operations): ${queryMs.toFixed(0)} ms\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
