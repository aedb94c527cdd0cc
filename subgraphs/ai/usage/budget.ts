/**
 * Budget decisions shared by every ledger: which budget a request would break and how to say so.
 * The Redis ledger makes the same decision inside a Lua script; this module is its reference.
 */
import { formatUsd } from '../models';
import type { TenantBudget } from '../models';
import type { BudgetName } from './ledger';

/** What is already spent or held in the request's windows. */
export interface BudgetUsage {
  dayUsd: number;
  monthUsd: number;
  minuteTokens: number;
}

export interface BudgetRefusal {
  budget: BudgetName;
  limit: number;
  used: number;
  estimate: number;
}

/** The first budget this request would break, or undefined when it fits. */
export function findBrokenBudget(budget: TenantBudget, used: BudgetUsage, estimateUsd: number, estimateTokens: number): BudgetRefusal | undefined {
  if (budget.dailyUsd !== undefined && used.dayUsd + estimateUsd > budget.dailyUsd) {
    return { budget: 'daily', limit: budget.dailyUsd, used: used.dayUsd, estimate: estimateUsd };
  }
  if (budget.monthlyUsd !== undefined && used.monthUsd + estimateUsd > budget.monthlyUsd) {
    return { budget: 'monthly', limit: budget.monthlyUsd, used: used.monthUsd, estimate: estimateUsd };
  }
  if (budget.tokensPerMinute !== undefined && used.minuteTokens + estimateTokens > budget.tokensPerMinute) {
    return { budget: 'tokensPerMinute', limit: budget.tokensPerMinute, used: used.minuteTokens, estimate: estimateTokens };
  }
  return undefined;
}

/** "daily budget of $1.00 for tenant acme is spent", or why this request would overrun it. */
export function describeRefusal(tenant: string, refusal: BudgetRefusal): string {
  if (refusal.budget === 'tokensPerMinute') {
    const head = `tokens-per-minute budget of ${refusal.limit} for tenant ${tenant}`;
    if (refusal.used >= refusal.limit) return `${head} is spent`;
    return `${head} would be exceeded: ${refusal.used} tokens used this minute, this request may use up to ${refusal.estimate}`;
  }
  const head = `${refusal.budget} budget of ${formatUsd(refusal.limit)} for tenant ${tenant}`;
  if (refusal.used >= refusal.limit) return `${head} is spent`;
  return `${head} would be exceeded: ${formatUsd(refusal.used)} spent, this request may cost up to ${formatUsd(refusal.estimate)}`;
}
