/** A usage ledger that lives only in this process: for tests and throwaway dev runs. */
import type { BudgetReservation, ReserveOutcome, ReserveRequest, UsageLedger, UsageQuery, UsageRecord } from './ledger';
import { MemoryBudgetCounters } from './memory-budget';

export class MemoryUsageLedger implements UsageLedger {
  private readonly records: UsageRecord[] = [];
  private readonly budgets = new MemoryBudgetCounters();

  async reserve(request: ReserveRequest): Promise<ReserveOutcome> {
    return this.budgets.reserve(request);
  }

  async settle(reservation: BudgetReservation, actual: { costUsd: number; tokens: number }): Promise<void> {
    this.budgets.settle(reservation, actual);
  }

  async record(record: UsageRecord): Promise<void> {
    this.records.push({ ...record });
  }

  async list(query: UsageQuery): Promise<UsageRecord[]> {
    const from = query.from.getTime();
    const to = query.to.getTime();
    return this.records.filter((record) => {
      const at = Date.parse(record.at);
      return at >= from && at < to && (query.tenant === undefined || record.tenant === query.tenant);
    });
  }

  async close(): Promise<void> {}
}
