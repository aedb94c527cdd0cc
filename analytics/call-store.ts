/**
 * Where call-log records live: one interface, SQLite in the data directory (embedded default, the
 * registry is its single writer) and PostgreSQL to scale out. `call-store.contract.ts` runs one
 * behaviour suite against both.
 */
import type { CallRecord } from './call-record';

export interface CallFilter {
  /** Only this tenant's calls (a tenant-scoped caller always sets it). */
  tenant?: string;
  operationName?: string;
  /** An exact HTTP status, or `error` for every status ≥ 400. */
  status?: number | 'error';
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** Newest first; default 100, at most 10,000. */
  limit?: number;
}

export interface Retention {
  /** Calls older than this are deleted. */
  maxAgeMs?: number;
  /** The newest `maxRows` calls are kept. */
  maxRows?: number;
}

/** The columns aggregation reads, oldest first. */
export interface CallSample {
  time: number;
  tenant: string;
  operationName: string | null;
  clientName: string | null;
  status: number;
  latencyMs: number;
  aiCostUsd: number;
}

export interface CallStore {
  insert(calls: readonly CallRecord[]): Promise<void>;
  /** Newest first. */
  query(filter: CallFilter): Promise<CallRecord[]>;
  /** Every sample in [from, to) (and of `tenant` when set), for aggregation. */
  samples(filter: { tenant?: string; from: number; to: number }): AsyncIterable<CallSample>;
  /** Applies retention; returns how many calls were deleted. */
  prune(retention: Retention, now?: number): Promise<number>;
  count(): Promise<number>;
  close(): Promise<void>;
}

export const MAX_QUERY_LIMIT = 10_000;

export function limitOf(filter: CallFilter): number {
  return Math.min(Math.max(1, Math.floor(filter.limit ?? 100)), MAX_QUERY_LIMIT);
}

/** A stored row (snake_case columns of both stores) back into a record. */
export interface CallRow {
  time: number | string;
  tenant: string;
  key_id: string | null;
  client_name: string | null;
  client_version: string | null;
  operation_name: string | null;
  operation_hash: string | null;
  entrance: string;
  status: number;
  error_codes: string;
  latency_ms: number;
  subgraphs: string | null;
  cache_hit: number | boolean | null;
  rate_limit: string | null;
  ai_tokens: number | string | null;
  ai_cost_usd: number | null;
}

export const INSERT_COLUMNS = ['time', 'tenant', 'key_id', 'client_name', 'client_version', 'operation_name', 'operation_hash', 'entrance', 'status', 'error_codes', 'latency_ms', 'subgraphs', 'cache_hit', 'rate_limit', 'ai_tokens', 'ai_cost_usd'] as const;

export function rowValues(c: CallRecord, booleanCache: boolean): unknown[] {
  return [
    c.time,
    c.tenant,
    c.keyId ?? null,
    c.clientName ?? null,
    c.clientVersion ?? null,
    c.operationName ?? null,
    c.operationHash ?? null,
    c.entrance,
    c.status,
    JSON.stringify(c.errorCodes),
    c.latencyMs,
    c.subgraphs ? JSON.stringify(c.subgraphs) : null,
    c.cacheHit === undefined ? null : booleanCache ? c.cacheHit : c.cacheHit ? 1 : 0,
    c.rateLimit ?? null,
    c.aiTokens ?? null,
    c.aiCostUsd ?? null,
  ];
}

export function recordOf(r: CallRow): CallRecord {
  const call: CallRecord = { time: Number(r.time), tenant: r.tenant, entrance: r.entrance as CallRecord['entrance'], status: r.status, errorCodes: JSON.parse(r.error_codes) as string[], latencyMs: r.latency_ms };
  if (r.key_id !== null) call.keyId = r.key_id;
  if (r.client_name !== null) call.clientName = r.client_name;
  if (r.client_version !== null) call.clientVersion = r.client_version;
  if (r.operation_name !== null) call.operationName = r.operation_name;
  if (r.operation_hash !== null) call.operationHash = r.operation_hash;
  if (r.subgraphs !== null) call.subgraphs = JSON.parse(r.subgraphs) as CallRecord['subgraphs'];
  if (r.cache_hit !== null) call.cacheHit = Boolean(r.cache_hit);
  if (r.rate_limit !== null) call.rateLimit = r.rate_limit as CallRecord['rateLimit'];
  if (r.ai_tokens !== null) call.aiTokens = Number(r.ai_tokens);
  if (r.ai_cost_usd !== null) call.aiCostUsd = r.ai_cost_usd;
  return call;
}

/** The WHERE clause of a filter with `?`-style placeholders produced by `param(i)`. */
export function whereOf(filter: CallFilter, param: (i: number) => string): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  const add = (clause: (p: string) => string, value: unknown): void => {
    values.push(value);
    parts.push(clause(param(values.length)));
  };
  if (filter.tenant !== undefined) add((p) => `tenant = ${p}`, filter.tenant);
  if (filter.operationName !== undefined) add((p) => `operation_name = ${p}`, filter.operationName);
  if (filter.status === 'error') parts.push('status >= 400');
  else if (filter.status !== undefined) add((p) => `status = ${p}`, filter.status);
  if (filter.from !== undefined) add((p) => `time >= ${p}`, filter.from);
  if (filter.to !== undefined) add((p) => `time < ${p}`, filter.to);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', values };
}
