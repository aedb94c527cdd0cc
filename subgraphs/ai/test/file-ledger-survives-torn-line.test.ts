/** The JSONL ledger ignores a torn last line, repairs it on open, and keeps budgets across restarts. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileUsageLedger } from '../usage/file-ledger';
import type { UsageRecord } from '../usage/ledger';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-ai-ledger-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const now = new Date();
const record = (costUsd: number, extra: Partial<UsageRecord> = {}): UsageRecord => ({
  tenant: 'acme',
  keyId: 'k1',
  model: 'gpt',
  provider: 'oa',
  inputTokens: 10,
  outputTokens: 5,
  costUsd,
  latencyMs: 12,
  at: now.toISOString(),
  ...extra,
});
const everything = { from: new Date(0), to: new Date(now.getTime() + 60_000) };

test('a torn last line is ignored on read and cut on open, so the next record stays whole', async () => {
  const file = path.join(dir, 'usage.jsonl');
  const good = [record(0.5), record(0.25, { tenant: 'globex' })];
  const torn = JSON.stringify(record(99)).slice(0, 40);
  fs.writeFileSync(file, `${good.map((r) => JSON.stringify(r)).join('\n')}\n${torn}`);

  const ledger = await FileUsageLedger.open({ path: file });
  expect(await ledger.list(everything)).toEqual(good);
  await ledger.record(record(0.125));
  expect(await ledger.list(everything)).toEqual([...good, record(0.125)]);
  expect(await ledger.list({ ...everything, tenant: 'globex' })).toEqual([good[1]]);
  await ledger.close();

  const lines = fs.readFileSync(file, 'utf8').split('\n');
  expect(lines).toHaveLength(4);
  expect(lines[3]).toBe('');
  expect(lines.slice(0, 3).map((line) => JSON.parse(line).costUsd)).toEqual([0.5, 0.25, 0.125]);
});

test('spend read back from the file counts against the daily budget after a restart', async () => {
  const file = path.join(dir, 'nested', 'usage.jsonl');
  const first = await FileUsageLedger.open({ path: file });
  await first.record(record(0.9));
  await first.close();

  const reopened = await FileUsageLedger.open({ path: file });
  const outcome = await reopened.reserve({ tenant: 'acme', budget: { dailyUsd: 1 }, estimateUsd: 0.2, estimateTokens: 10, at: now });
  expect(outcome).toEqual({ status: 'refused', budget: 'daily', message: 'daily budget of $1.00 for tenant acme would be exceeded: $0.90 spent, this request may cost up to $0.20' });
  const fits = await reopened.reserve({ tenant: 'acme', budget: { dailyUsd: 1 }, estimateUsd: 0.05, estimateTokens: 10, at: now });
  expect(fits.status).toBe('reserved');
  await reopened.close();
});

test('concurrent records never interleave', async () => {
  const file = path.join(dir, 'usage.jsonl');
  const ledger = await FileUsageLedger.open({ path: file });
  await Promise.all(Array.from({ length: 50 }, (_, i) => ledger.record(record(i, { model: 'm'.repeat(500) }))));
  expect((await ledger.list(everything)).map((r) => r.costUsd)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  await ledger.close();
});
