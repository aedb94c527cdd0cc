/**
 * The budgets one AI call answers to, held together: the tenant's, its API key's (the
 * application's, `ai.budgets.keys`) and its prompt template's (`ai.budgets.prompts`, counted per
 * tenant). Each is a subject of the ledger's counters (`acme`, `acme/key:k1`,
 * `acme/prompt:summary`), so every ledger (file, Redis) keeps them with no change of its own. All
 * are held before the provider is called; one refusal releases the others. After the call, a soft
 * limit crossed (`softDailyUsd`, `softMonthlyUsd`) is warned about once per subject and day.
 */
import { CharterError } from '../../../core/errors';
import type { Logger } from '../../../core/logger';
import type { AiConfig, TenantBudget } from '../models';
import type { TenantAiContext } from '../chat-types';
import type { BudgetReservation, UsageLedger } from './ledger';

export interface BudgetHolds {
  /** Replace every hold by what the call really cost; once. */
  settle(spent: { costUsd: number; tokens: number }): Promise<void>;
}

interface Subject {
  name: string;
  budget: TenantBudget;
}

function subjectsOf(config: AiConfig, tenant: TenantAiContext): Subject[] {
  const subjects: Subject[] = [{ name: tenant.tenant, budget: tenant.budget }];
  const keyBudget = tenant.keyId ? config.budgets.keys[tenant.keyId] : undefined;
  if (keyBudget) subjects.push({ name: `${tenant.tenant}/key:${tenant.keyId}`, budget: keyBudget });
  const prompt = tenant.cause?.startsWith('prompt:') ? tenant.cause.slice('prompt:'.length) : undefined;
  const promptBudget = prompt ? config.budgets.prompts[prompt] : undefined;
  if (promptBudget) subjects.push({ name: `${tenant.tenant}/prompt:${prompt}`, budget: promptBudget });
  return subjects;
}

/** The counter subjects a billed record adds to (for ledgers that rebuild counters from records). */
export function spendSubjects(record: { tenant: string; keyId?: string; cause?: string }): string[] {
  const subjects = [record.tenant];
  if (record.keyId) subjects.push(`${record.tenant}/key:${record.keyId}`);
  if (record.cause?.startsWith('prompt:')) subjects.push(`${record.tenant}/${record.cause}`);
  return subjects;
}

export function createBudgetHolder(config: AiConfig, ledger: UsageLedger, logger: Logger, now: () => Date) {
  const warned = new Set<string>();

  async function warnSoftLimits(subjects: Subject[]): Promise<void> {
    for (const subject of subjects) {
      const { softDailyUsd, softMonthlyUsd } = subject.budget;
      if (softDailyUsd === undefined && softMonthlyUsd === undefined) continue;
      // Holding nothing against the soft limits tells whether what is spent already passes them.
      const probe = await ledger.reserve({ tenant: subject.name, budget: { dailyUsd: softDailyUsd, monthlyUsd: softMonthlyUsd }, estimateUsd: 0, estimateTokens: 0, at: now() });
      if (probe.status === 'reserved') {
        await ledger.settle(probe.reservation, { costUsd: 0, tokens: 0 });
        continue;
      }
      const once = `${subject.name}|${probe.budget}|${now().toISOString().slice(0, probe.budget === 'monthly' ? 7 : 10)}`;
      if (warned.has(once)) continue;
      warned.add(once);
      logger.warn({ subject: subject.name, budget: probe.budget, message: probe.message }, 'AI soft budget passed');
    }
  }

  return async function hold(tenant: TenantAiContext, estimateUsd: number, estimateTokens: number): Promise<BudgetHolds> {
    const subjects = subjectsOf(config, tenant);
    const held: BudgetReservation[] = [];
    for (const subject of subjects) {
      const outcome = await ledger.reserve({ tenant: subject.name, budget: subject.budget, estimateUsd, estimateTokens, at: now() });
      if (outcome.status === 'refused') {
        for (const reservation of held) await ledger.settle(reservation, { costUsd: 0, tokens: 0 });
        throw new CharterError('BUDGET_EXCEEDED', outcome.message, { budget: outcome.budget, subject: subject.name });
      }
      held.push(outcome.reservation);
    }
    let settled = false;
    return {
      async settle(spent) {
        if (settled) return;
        settled = true;
        for (const reservation of held) await ledger.settle(reservation, spent);
        await warnSoftLimits(subjects);
      },
    };
  };
}
