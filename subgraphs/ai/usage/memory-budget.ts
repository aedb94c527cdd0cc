/**
 * Budget counters held in one process (for the file ledger and tests): spend per tenant per UTC
 * day and month, tokens per minute. Check-and-hold runs synchronously, so concurrent requests in
 * this process cannot both pass a budget only one of them fits.
 */
import type { BudgetReservation, ReserveOutcome, ReserveRequest } from './ledger';
import { windowsOf } from './ledger';
import { describeRefusal, findBrokenBudget } from './budget';

export class MemoryBudgetCounters {
  private readonly counters = new Map<string, number>();

  private add(key: string, amount: number): void {
    this.counters.set(key, (this.counters.get(key) ?? 0) + amount);
  }

  private get(key: string): number {
    return this.counters.get(key) ?? 0;
  }

  /** Count a cost and tokens already spent (e.g. records read back from the ledger file). */
  addSpent(tenant: string, at: Date, costUsd: number, tokens: number): void {
    const windows = windowsOf(at);
    this.add(`${tenant}|d|${windows.day}`, costUsd);
    this.add(`${tenant}|m|${windows.month}`, costUsd);
    this.add(`${tenant}|t|${windows.minute}`, tokens);
  }

  reserve(request: ReserveRequest): ReserveOutcome {
    const windows = windowsOf(request.at);
    const used = {
      dayUsd: this.get(`${request.tenant}|d|${windows.day}`),
      monthUsd: this.get(`${request.tenant}|m|${windows.month}`),
      minuteTokens: this.get(`${request.tenant}|t|${windows.minute}`),
    };
    const broken = findBrokenBudget(request.budget, used, request.estimateUsd, request.estimateTokens);
    if (broken) return { status: 'refused', budget: broken.budget, message: describeRefusal(request.tenant, broken) };
    this.addSpent(request.tenant, request.at, request.estimateUsd, request.estimateTokens);
    this.forgetOldMinutes(windows.minute);
    const reservation: BudgetReservation = { tenant: request.tenant, estimateUsd: request.estimateUsd, estimateTokens: request.estimateTokens, ...windows };
    return { status: 'reserved', reservation };
  }

  settle(reservation: BudgetReservation, actual: { costUsd: number; tokens: number }): void {
    const deltaUsd = actual.costUsd - reservation.estimateUsd;
    this.add(`${reservation.tenant}|d|${reservation.day}`, deltaUsd);
    this.add(`${reservation.tenant}|m|${reservation.month}`, deltaUsd);
    this.add(`${reservation.tenant}|t|${reservation.minute}`, actual.tokens - reservation.estimateTokens);
  }

  /** Minute windows are only read for the current minute; drop older ones so the map stays small. */
  private forgetOldMinutes(currentMinute: number): void {
    if (this.counters.size < 10_000) return;
    for (const key of this.counters.keys()) {
      const [, kind, window] = key.split('|');
      if (kind === 't' && Number(window) < currentMinute - 1) this.counters.delete(key);
    }
  }
}
