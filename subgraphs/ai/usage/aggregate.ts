/**
 * `aiUsage` and `aiSpend` reports: group usage records by one dimension, or by any combination of
 * tenant, model, provider, API key (the application, until the console's applications exist), the
 * cause (GraphQL field, prompt template or /v1 route) and UTC day, with totals.
 */
import { CharterError, unreachable } from '../../../core/errors';
import type { UsageRecord } from './ledger';

export type UsageGroupBy = 'TENANT' | 'MODEL' | 'KEY' | 'DAY' | 'PROVIDER' | 'CAUSE';

export interface UsageRow {
  key: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Full precision USD. */
  costUsd: number;
}

/** Records with no API key are grouped under this key. */
export const NO_KEY = '(none)';

function groupKey(record: UsageRecord, groupBy: UsageGroupBy): string {
  switch (groupBy) {
    case 'TENANT':
      return record.tenant;
    case 'MODEL':
      return record.model;
    case 'KEY':
      return record.keyId ?? NO_KEY;
    case 'DAY':
      return record.at.slice(0, 10);
    case 'PROVIDER':
      return record.provider;
    case 'CAUSE':
      return record.cause ?? NO_KEY;
    default: {
      return unreachable(groupBy);
    }
  }
}

/** One row per group, sorted by key. */
export function aggregateUsage(records: readonly UsageRecord[], groupBy: UsageGroupBy): UsageRow[] {
  const rows = new Map<string, UsageRow>();
  for (const record of records) {
    const key = groupKey(record, groupBy);
    let row = rows.get(key);
    if (!row) {
      row = { key, requests: 0, inputTokens: 0, outputTokens: 0, totalTokens: 0, costUsd: 0 };
      rows.set(key, row);
    }
    row.requests += 1;
    row.inputTokens += record.inputTokens;
    row.outputTokens += record.outputTokens;
    row.totalTokens += record.inputTokens + record.outputTokens;
    row.costUsd += record.costUsd;
  }
  return [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface SpendFigures {
  requests: number;
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Full precision USD. */
  costUsd: number;
  latencyMsAvg: number;
  /** Of `requests`, those answered from the exact-match cache (free, no provider call). */
  cacheHits: number;
}

export type SpendRow = Partial<Record<'tenant' | 'model' | 'key' | 'day' | 'provider' | 'cause', string>> & SpendFigures;

const COLUMN: Record<UsageGroupBy, keyof SpendRow> = { TENANT: 'tenant', MODEL: 'model', KEY: 'key', DAY: 'day', PROVIDER: 'provider', CAUSE: 'cause' };

function figures(records: readonly UsageRecord[]): SpendFigures {
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  let latency = 0;
  let cacheHits = 0;
  for (const r of records) {
    if (r.cacheHit) cacheHits += 1;
    inputTokens += r.inputTokens;
    outputTokens += r.outputTokens;
    costUsd += r.costUsd;
    latency += r.latencyMs;
  }
  return { requests: records.length, inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, costUsd, latencyMsAvg: records.length ? latency / records.length : 0, cacheHits };
}

/** One row per combination of the dimensions' values (sorted), and the totals of every record. */
export function spendReport(records: readonly UsageRecord[], dimensions: readonly UsageGroupBy[]): { rows: SpendRow[]; total: SpendFigures } {
  const unique = [...new Set(dimensions)];
  const groups = new Map<string, { values: string[]; records: UsageRecord[] }>();
  for (const record of records) {
    const values = unique.map((d) => groupKey(record, d));
    const id = JSON.stringify(values);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { values, records: [] }));
    group.records.push(record);
  }
  const rows = [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, group]) => ({ ...Object.fromEntries(unique.map((d, i) => [COLUMN[d], group.values[i]])), ...figures(group.records) }) as SpendRow);
  return { rows, total: figures(records) };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parse an `aiUsage` range. Dates or date-times (ISO-8601). A date-only `to` includes that whole
 * UTC day, because "from 2025-05-01 to 2025-05-31" means all of May to a person.
 */
export function parseUsageRange(from: string, to: string): { from: Date; to: Date } {
  const start = new Date(DATE_ONLY.test(from) ? `${from}T00:00:00.000Z` : from);
  let end = new Date(DATE_ONLY.test(to) ? `${to}T00:00:00.000Z` : to);
  if (Number.isNaN(start.getTime())) throw new CharterError('BAD_USER_INPUT', `from: '${from}' is not an ISO-8601 date or date-time`);
  if (Number.isNaN(end.getTime())) throw new CharterError('BAD_USER_INPUT', `to: '${to}' is not an ISO-8601 date or date-time`);
  if (DATE_ONLY.test(to)) end = new Date(end.getTime() + 86_400_000);
  if (end.getTime() <= start.getTime()) throw new CharterError('BAD_USER_INPUT', `to (${to}) must be after from (${from})`);
  return { from: start, to: end };
}
