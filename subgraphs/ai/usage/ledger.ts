/**
 * Usage and cost metering: what a ledger stores and the contract every ledger keeps.
 * A ledger both records completed provider calls and guards budgets, because the budget counters
 * must live where the usage lives (one Redis for all replicas, or one process for the file ledger).
 */
import type { TenantBudget } from '../models';

/** One completed (billed) provider call. */
export interface UsageRecord {
  tenant: string;
  keyId?: string;
  /** Charter model id. */
  model: string;
  /** Provider id from config. */
  provider: string;
  inputTokens: number;
  outputTokens: number;
  /** Full precision USD. */
  costUsd: number;
  latencyMs: number;
  /** ISO-8601 time the call completed. */
  at: string;
  /** The GraphQL field, prompt template (`prompt:<name>`) or /v1 route that caused the call. */
  cause?: string;
  /** Answered from the exact-match cache: no provider call, no cost. */
  cacheHit?: boolean;
}

export type BudgetName = 'daily' | 'monthly' | 'tokensPerMinute';

export interface ReserveRequest {
  tenant: string;
  budget: TenantBudget;
  /** Worst-case cost of the request, held against the USD budgets until settled. */
  estimateUsd: number;
  /** Worst-case prompt plus output tokens, held against the tokens-per-minute budget. */
  estimateTokens: number;
  at: Date;
}

/** A held estimate; settle it exactly once with what the request really cost. */
export interface BudgetReservation {
  tenant: string;
  estimateUsd: number;
  estimateTokens: number;
  /** Windows the estimate was held in, so a call crossing midnight settles the right counters. */
  day: string;
  month: string;
  minute: number;
}

export type ReserveOutcome =
  | { status: 'reserved'; reservation: BudgetReservation }
  | { status: 'refused'; budget: BudgetName; message: string };

export interface UsageQuery {
  from: Date;
  /** Exclusive. */
  to: Date;
  /** Only this tenant's records; absent means all tenants. */
  tenant?: string;
}

export interface UsageLedger {
  /** Atomically check the budgets and hold the estimate; a refusal is a value, not an exception. */
  reserve(request: ReserveRequest): Promise<ReserveOutcome>;
  /** Replace the held estimate by the real cost and tokens (zero when no provider answered). */
  settle(reservation: BudgetReservation, actual: { costUsd: number; tokens: number }): Promise<void>;
  /** Append one completed provider call. */
  record(record: UsageRecord): Promise<void>;
  /** Records with `from <= at < to`, oldest first. */
  list(query: UsageQuery): Promise<UsageRecord[]>;
  close(): Promise<void>;
}

/** The UTC windows a moment falls in. */
export function windowsOf(at: Date): { day: string; month: string; minute: number } {
  const iso = at.toISOString();
  return { day: iso.slice(0, 10), month: iso.slice(0, 7), minute: Math.floor(at.getTime() / 60_000) };
}
