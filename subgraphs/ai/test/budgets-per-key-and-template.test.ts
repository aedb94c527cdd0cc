/**
 * Budgets per application (API key) and per prompt template, on top of the tenant's: a hard limit
 * refuses before the provider is called (naming which budget), a soft one logs a warning once and
 * lets the call run. Counted in the ledger, so a restarted file ledger still knows what was spent.
 */
import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { createLogger } from '../../../core/logger';
import { CharterError } from '../../../core/errors';
import { createAiService } from '../routing';
import { FileUsageLedger } from '../usage/file-ledger';
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, USER_HELLO, model, testConfig } from '../test-support/fixtures';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  fake.setDefault({ kind: 'reply', inputTokens: 100_000, outputTokens: 0 }); // $0.25 a call at $2.5/Mtok
});
afterAll(() => fake.close());

const config = () =>
  testConfig({
    providers: { oa: { kind: 'openai', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV } },
    models: [model('gpt', 'oa', { maxOutputTokens: 1 })],
    budgets: { keys: { 'k-small': { dailyUsd: 0.6 } }, prompts: { summary: { dailyUsd: 0.3, softDailyUsd: 0.2 } } },
  });

function logCapture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger('test', 'warn');
  logger.warn = ((obj: Record<string, unknown>, msg?: string) => lines.push({ ...obj, msg })) as never;
  return { logger, lines };
}

test('a key budget refuses its key, not the tenant\'s other keys; a template budget refuses that template only', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'charter-budgets-'));
  const ledger = await FileUsageLedger.open({ path: path.join(dir, 'usage.jsonl') });
  const { logger, lines } = logCapture();
  const ai = createAiService({ config: config(), ledger, logger });
  const call = (keyId: string, cause?: string) => ai.runChat({ request: { model: 'gpt', messages: USER_HELLO }, tenant: { tenant: 'acme', keyId, budget: {}, cause } });

  // $0.25 each; the third starts at $0.50 spent, under $0.60; the fourth would start at $0.75.
  await call('k-small');
  await call('k-small');
  await call('k-small');
  const before = fake.requests.length;
  const refused = await call('k-small').catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(CharterError);
  expect((refused as CharterError).code).toBe('BUDGET_EXCEEDED');
  expect((refused as CharterError).message).toMatch(/daily budget of \$0\.60 for tenant acme\/key:k-small/);
  expect(fake.requests.length).toBe(before); // refused before any provider call
  await expect(call('k-other')).resolves.toMatchObject({ model: 'gpt' });

  await call('k-other', 'prompt:summary');
  expect(lines).toEqual([expect.objectContaining({ subject: 'acme/prompt:summary', budget: 'daily', msg: 'AI soft budget passed' })]);
  await call('k-other', 'prompt:summary'); // $0.25 spent: under the hard $0.30, so it runs
  await expect(call('k-other', 'prompt:summary')).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
  await expect(call('k-other', 'prompt:sentiment')).resolves.toMatchObject({ model: 'gpt' });
  expect(lines).toHaveLength(1); // warned once

  // Another tenant's use of the template has its own count.
  await expect(ai.runChat({ request: { model: 'gpt', messages: USER_HELLO }, tenant: { tenant: 'globex', keyId: 'g', budget: {}, cause: 'prompt:summary' } })).resolves.toMatchObject({ model: 'gpt' });
  await ledger.close();

  // A restarted ledger rebuilds the key's count from its records.
  const reopened = await FileUsageLedger.open({ path: path.join(dir, 'usage.jsonl') });
  const again = createAiService({ config: config(), ledger: reopened, logger });
  await expect(again.runChat({ request: { model: 'gpt', messages: USER_HELLO }, tenant: { tenant: 'acme', keyId: 'k-small', budget: {} } })).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
  await reopened.close();
});
