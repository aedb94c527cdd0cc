/** The exact-match response cache: opt-in per tenant, deterministic calls only, never shared across tenants; a hit is free and metered as a hit. */
import { graphql } from 'graphql';
import { createAiService, createChatResponseCache } from '../routing';
import { createAiSubgraph } from '../subgraph';
import { parseAiConfig } from '../models';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, USER_HELLO, model, testConfig } from '../test-support/fixtures';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

function service() {
  const config = testConfig({ providers: { oa: { kind: 'openai', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV } }, models: [model('gpt', 'oa')] });
  const ledger = new MemoryUsageLedger();
  return { ledger, ai: createAiService({ config, ledger }) };
}
const opted = (tenant: string) => ({ tenant, keyId: `${tenant}-key`, budget: { cacheTtlSec: 60 } });

test('a repeated temperature-0 call is answered from the cache, free, and recorded as a hit', async () => {
  const { ai, ledger } = service();
  const before = fake.requests.length;
  fake.enqueue({ kind: 'reply', text: 'deterministic', inputTokens: 100, outputTokens: 10 });
  const first = await ai.runChat({ request: { model: 'gpt', messages: USER_HELLO, temperature: 0 }, tenant: opted('acme') });
  const second = await ai.runChat({ request: { model: 'gpt', messages: USER_HELLO, temperature: 0 }, tenant: opted('acme') });
  expect(fake.requests.length).toBe(before + 1);
  expect(second).toMatchObject({ text: 'deterministic', costUsd: 0, cacheHit: true, usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0 }, attempts: [] });
  expect(first.costUsd).toBeGreaterThan(0);
  const records = await ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) });
  expect(records.map((r) => [r.costUsd > 0, r.cacheHit ?? false])).toEqual([[true, false], [false, true]]);
});

test('never across tenants, never for a non-deterministic call, never for a tenant that did not opt in', async () => {
  const { ai } = service();
  const ask = (tenant: ReturnType<typeof opted>, temperature: number) => ai.runChat({ request: { model: 'gpt', messages: [{ role: 'user', content: 'same words' }], temperature }, tenant });
  const before = fake.requests.length;
  await ask(opted('acme'), 0);
  await ask(opted('globex'), 0);
  await ask(opted('acme'), 0.7);
  await ask({ tenant: 'initech', keyId: 'k', budget: {} as never }, 0);
  await ask({ tenant: 'initech', keyId: 'k', budget: {} as never }, 0);
  expect(fake.requests.length).toBe(before + 5); // every one of them reached the provider
  const hit = await ask(opted('acme'), 0);
  expect(hit.cacheHit).toBe(true);
  expect(fake.requests.length).toBe(before + 5);
});

test('a hit still refuses a model the tenant may no longer use', async () => {
  const { ai } = service();
  const request = { model: 'gpt', messages: [{ role: 'user' as const, content: 'cached, then forbidden' }], temperature: 0 };
  await ai.runChat({ request, tenant: opted('acme') });
  const before = fake.requests.length;
  await expect(ai.runChat({ request, tenant: { ...opted('acme'), budget: { cacheTtlSec: 60, allowedModels: ['other'] } } })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  expect(fake.requests.length).toBe(before);
});

test('GraphQL chat says when it was a hit, and aiSpend counts the hits', async () => {
  const config = parseAiConfig({});
  const subgraph = createAiSubgraph({ config, ledger: new MemoryUsageLedger(), budgets: () => ({ cacheTtlSec: 60 }) });
  const contextValue = { principal: { tenant: 'acme', subject: 'u', roles: [], scopes: [] } };
  const run = (source: string) => graphql({ schema: subgraph.schema, source, contextValue });
  const chat = '{ chat(input: { model: "local/echo", temperature: 0, messages: [{ role: USER, content: "ping" }] }) { text cacheHit } }';
  expect((await run(chat)).data).toEqual({ chat: { text: 'Echo: ping', cacheHit: false } });
  expect((await run(chat)).data).toEqual({ chat: { text: 'Echo: ping', cacheHit: true } });
  const today = new Date().toISOString().slice(0, 10);
  const spend = await run(`{ aiSpend(from: "${today}", to: "${today}", groupBy: [CAUSE]) { rows { cause requests cacheHits } total { requests cacheHits } } }`);
  expect(spend.data).toEqual({ aiSpend: { rows: [{ cause: 'Query.chat', requests: 2, cacheHits: 1 }], total: { requests: 2, cacheHits: 1 } } });
});

test("one tenant filling its cache evicts only its own answers, and answers expire", () => {
  const cache = createChatResponseCache(2);
  const answer = (text: string) => ({ text, usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 }, costUsd: 1, finishReason: 'stop' as const, model: 'gpt', provider: 'oa', attempts: [] });
  cache.set('globex', 'k', answer('globex answer'), 1_000);
  for (const key of ['a', 'b', 'c', 'd']) cache.set('acme', key, answer(key), 1_000);
  expect(cache.get('globex', 'k', 0)?.text).toBe('globex answer');
  expect(cache.get('acme', 'a', 0)).toBeUndefined();
  expect(cache.get('acme', 'd', 0)?.text).toBe('d');
  expect(cache.get('acme', 'k', 0)).toBeUndefined();
  expect(cache.get('globex', 'k', 1_000)).toBeUndefined();
});
