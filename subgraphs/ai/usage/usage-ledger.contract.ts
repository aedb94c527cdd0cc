/**
 * The behaviour every AI usage ledger must have, as one jest suite run against the memory, file and
 * Redis ledgers (test/usage-ledgers-contract.test.ts). `open` gives a ledger over fresh storage.
 */
import { expect, test } from '@jest/globals';
import type { UsageLedger, UsageRecord } from './ledger';

const now = new Date();
const record = (tenant: string, costUsd: number, at: Date): UsageRecord => ({ tenant, keyId: 'k', model: 'gpt', provider: 'oa', inputTokens: 3, outputTokens: 2, costUsd, latencyMs: 5, at: at.toISOString() });

export function runUsageLedgerContract(open: () => Promise<UsageLedger>): void {
  test('concurrent holds never pass a budget only some of them fit', async () => {
    const ledger = await open();
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => ledger.reserve({ tenant: 'acme', budget: { dailyUsd: 1 }, estimateUsd: 0.3, estimateTokens: 10, at: now })));
    expect(outcomes.filter((o) => o.status === 'reserved')).toHaveLength(3);
    expect(outcomes.find((o) => o.status === 'refused')).toEqual({
      status: 'refused',
      budget: 'daily',
      message: 'daily budget of $1.00 for tenant acme would be exceeded: $0.90 spent, this request may cost up to $0.30',
    });
    await ledger.close();
  });

  test('settling replaces the estimate by the real cost; a spent budget says so', async () => {
    const ledger = await open();
    const held = await ledger.reserve({ tenant: 'acme', budget: { dailyUsd: 1 }, estimateUsd: 0.5, estimateTokens: 100, at: now });
    if (held.status !== 'reserved') throw new Error('expected a hold');
    await ledger.settle(held.reservation, { costUsd: 1.0000001, tokens: 40 });
    expect(await ledger.reserve({ tenant: 'acme', budget: { dailyUsd: 1 }, estimateUsd: 0, estimateTokens: 0, at: now })).toMatchObject({ status: 'refused', message: 'daily budget of $1.00 for tenant acme is spent' });
    // Another tenant's budget is untouched.
    expect((await ledger.reserve({ tenant: 'globex', budget: { dailyUsd: 1 }, estimateUsd: 0.5, estimateTokens: 1, at: now })).status).toBe('reserved');
    await ledger.close();
  });

  test('a settled zero (no provider answered) frees the hold', async () => {
    const ledger = await open();
    const held = await ledger.reserve({ tenant: 'acme', budget: { dailyUsd: 1 }, estimateUsd: 0.9, estimateTokens: 1, at: now });
    if (held.status !== 'reserved') throw new Error('expected a hold');
    expect((await ledger.reserve({ tenant: 'acme', budget: { dailyUsd: 1 }, estimateUsd: 0.9, estimateTokens: 1, at: now })).status).toBe('refused');
    await ledger.settle(held.reservation, { costUsd: 0, tokens: 0 });
    expect((await ledger.reserve({ tenant: 'acme', budget: { dailyUsd: 1 }, estimateUsd: 0.9, estimateTokens: 1, at: now })).status).toBe('reserved');
    await ledger.close();
  });

  test('records list by time window (to exclusive) and tenant, oldest first, at full precision', async () => {
    const ledger = await open();
    const earlier = new Date(now.getTime() - 60_000);
    const yesterday = new Date(now.getTime() - 86_400_000);
    await ledger.record(record('acme', 0.001, yesterday));
    await ledger.record(record('acme', 0.000_000_1, earlier));
    await ledger.record(record('globex', 0.004, now));
    await ledger.record(record('acme', 0.002, now));
    const window = { from: new Date(now.getTime() - 3_600_000), to: new Date(now.getTime() + 1) };
    expect((await ledger.list({ ...window, tenant: 'acme' })).map((r) => r.costUsd)).toEqual([0.000_000_1, 0.002]);
    expect((await ledger.list(window)).map((r) => r.tenant)).toEqual(['acme', 'globex', 'acme']);
    expect(await ledger.list({ from: window.from, to: earlier })).toEqual([]);
    await ledger.close();
  });
}
