/**
 * Spend where it comes from, to the cent: a mixed workload of two tenants, two API keys each
 * (the applications), direct chat, two prompt templates and a route that falls back from a
 * rate-limited model. `aiSpend` groups by any combination of tenant, key, model, provider, cause
 * and day, and its totals equal the sum of the calls' costs. Only answering calls are billed.
 */
import { graphql } from 'graphql';
import { createAiSubgraph } from '../subgraph';
import { loadDemoTemplates } from '../prompts/load';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { startFakeAnthropic } from '../test-support/fake-anthropic';
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, model, testConfig } from '../test-support/fixtures';

let openai: FakeServer;
let anthropic: FakeServer;
beforeAll(async () => {
  [openai, anthropic] = await Promise.all([startFakeOpenAI(), startFakeAnthropic()]);
});
afterAll(() => Promise.all([openai.close(), anthropic.close()]));

test('every dollar is attributed to tenant, key, model, provider and cause, and the totals add up', async () => {
  const config = testConfig({
    providers: { oa: { kind: 'openai', baseUrl: openai.baseUrl, apiKeyEnv: FAKE_KEY_ENV }, an: { kind: 'anthropic', baseUrl: anthropic.baseUrl, apiKeyEnv: FAKE_KEY_ENV } },
    models: [model('gpt', 'oa', { inputPricePerMTok: 2.5, outputPricePerMTok: 10 }), model('claude', 'an', { inputPricePerMTok: 3, outputPricePerMTok: 15 })],
    routes: { default: ['gpt', 'claude'] },
  });
  const ledger = new MemoryUsageLedger();
  const ai = createAiSubgraph({ config, ledger, budgets: () => ({}), templates: loadDemoTemplates() });
  const run = async (tenant: string, keyId: string, query: string) => {
    const result = await graphql({ schema: ai.schema, source: query, contextValue: { principal: { tenant, keyId, subject: keyId, roles: [], scopes: [] } } });
    expect(result.errors).toBeUndefined();
    return result.data;
  };

  // acme/k1: direct chat on gpt, 1,000 in + 200 out = $0.0045
  openai.enqueue({ kind: 'reply', text: 'hi', inputTokens: 1000, outputTokens: 200 });
  await run('acme', 'k1', '{ chat(input: { model: "gpt", messages: [{ role: USER, content: "hi" }] }) { text } }');
  // acme/k2: the summary template on the default route: gpt is rate limited, claude answers 2,000 + 100 = $0.0075
  openai.enqueue({ kind: 'status', status: 429 });
  anthropic.enqueue({ kind: 'reply', text: 'short', inputTokens: 2000, outputTokens: 100 });
  await run('acme', 'k2', '{ summary(text: "a long text", maxWords: 5) }');
  // globex/g1: the sentiment template, answered by gpt, 500 + 50 = $0.00175
  openai.enqueue({ kind: 'reply', text: '{"label":"POSITIVE","score":0.9}', inputTokens: 500, outputTokens: 50 });
  await run('globex', 'g1', '{ sentiment(text: "great") { label } }');
  // globex/g2: direct chat on claude, 100 + 10 = $0.00045
  anthropic.enqueue({ kind: 'reply', text: 'ok', inputTokens: 100, outputTokens: 10 });
  await run('globex', 'g2', '{ chat(input: { model: "claude", messages: [{ role: USER, content: "x" }] }) { text } }');

  const admin = { principal: { tenant: 'ops', keyId: 'ops', subject: 'ops', roles: ['admin'], scopes: [] } };
  const today = new Date().toISOString().slice(0, 10);
  const report = async (groupBy: string) => {
    const result = await graphql({ schema: ai.schema, source: `{ aiSpend(from: "${today}", to: "${today}", groupBy: [${groupBy}]) { rows { tenant key model provider cause day requests inputTokens outputTokens costUsd } total { requests costUsd inputTokens outputTokens } } }`, contextValue: admin });
    expect(result.errors).toBeUndefined();
    return (result.data as any).aiSpend;
  };
  const cents = (usd: number) => Math.round(usd * 1e7) / 1e7;

  const byTenantAndCause = await report('TENANT, CAUSE');
  expect(byTenantAndCause.rows.map((r: any) => [r.tenant, r.cause, r.requests, cents(r.costUsd)])).toEqual([
    ['acme', 'Query.chat', 1, 0.0045],
    ['acme', 'prompt:summary', 1, 0.0075],
    ['globex', 'Query.chat', 1, 0.00045],
    ['globex', 'prompt:sentiment', 1, 0.00175],
  ]);
  for (const row of byTenantAndCause.rows) expect([row.key, row.model, row.provider, row.day]).toEqual([null, null, null, null]);
  expect(cents(byTenantAndCause.total.costUsd)).toBe(0.0142);
  expect(byTenantAndCause.total).toMatchObject({ requests: 4, inputTokens: 3600, outputTokens: 360 });

  const byKey = await report('KEY');
  expect(byKey.rows.map((r: any) => [r.key, cents(r.costUsd)])).toEqual([['g1', 0.00175], ['g2', 0.00045], ['k1', 0.0045], ['k2', 0.0075]]);

  const byModelProviderDay = await report('MODEL, PROVIDER, DAY');
  expect(byModelProviderDay.rows.map((r: any) => [r.model, r.provider, r.day, r.requests, cents(r.costUsd)])).toEqual([
    ['claude', 'an', today, 2, 0.00795],
    ['gpt', 'oa', today, 2, 0.00625],
  ]);

  // A tenant without the admin role sees only its own spend.
  const own = await graphql({ schema: ai.schema, source: `{ aiSpend(from: "${today}", to: "${today}", groupBy: [TENANT]) { rows { tenant } total { requests } } }`, contextValue: { principal: { tenant: 'globex', keyId: 'g1', subject: 'g1', roles: [], scopes: [] } } });
  expect(own.data).toEqual({ aiSpend: { rows: [{ tenant: 'globex' }], total: { requests: 2 } } });
});
