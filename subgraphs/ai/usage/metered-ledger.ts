/**
 * AI spend as Prometheus counters: a ledger wrapper that counts every billed call by tenant and
 * model (never key, cause or prompt: those would make series without bound; `aiSpend` has them).
 */
import { Counter, Registry } from 'prom-client';
import type { UsageLedger } from './ledger';

export interface AiMetrics {
  readonly registry: Registry;
}

export function withSpendMetrics(ledger: UsageLedger): { ledger: UsageLedger; metrics: AiMetrics } {
  const registry = new Registry();
  const labelNames = ['tenant', 'model'] as const;
  const requests = new Counter({ name: 'charter_ai_requests_total', help: 'Billed AI provider calls', labelNames, registers: [registry] });
  const cost = new Counter({ name: 'charter_ai_cost_usd_total', help: 'AI spend in USD', labelNames, registers: [registry] });
  const tokens = new Counter({ name: 'charter_ai_tokens_total', help: 'AI tokens billed, by direction', labelNames: [...labelNames, 'direction'] as const, registers: [registry] });
  const cacheHits = new Counter({ name: 'charter_ai_cache_hits_total', help: 'AI chat calls answered from the exact-match cache (no provider call, no cost)', labelNames, registers: [registry] });
  const metered: UsageLedger = {
    reserve: (request) => ledger.reserve(request),
    settle: (reservation, actual) => ledger.settle(reservation, actual),
    list: (query) => ledger.list(query),
    close: () => ledger.close(),
    async record(record) {
      await ledger.record(record);
      const labels = { tenant: record.tenant, model: record.model };
      // A hit called no provider: counted apart, so requests stays the count of billed calls.
      if (record.cacheHit) {
        cacheHits.inc(labels);
        return;
      }
      requests.inc(labels);
      cost.inc(labels, record.costUsd);
      tokens.inc({ ...labels, direction: 'input' }, record.inputTokens);
      tokens.inc({ ...labels, direction: 'output' }, record.outputTokens);
    },
  };
  return { ledger: metered, metrics: { registry } };
}
