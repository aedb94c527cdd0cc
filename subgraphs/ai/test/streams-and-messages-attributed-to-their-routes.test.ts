/**
 * Streamed OpenAI-format answers and the Anthropic-compatible route are billed like plain calls:
 * each recorded under its /v1 route as the cause, with its key, to the cent.
 */
import { startAiSubgraphServer, type RunningAiSubgraphServer } from '../server';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, model, testConfig } from '../test-support/fixtures';
import { principalFromTestHeader } from '../test-support/ai-http';

let fake: FakeServer;
let server: RunningAiSubgraphServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
  const config = testConfig({ providers: { oa: { kind: 'openai', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV } }, models: [model('cheap', 'oa', { inputPricePerMTok: 1, outputPricePerMTok: 2 })] });
  server = await startAiSubgraphServer({ port: 0, host: '127.0.0.1', config, ledger: new MemoryUsageLedger(), resolvePrincipal: principalFromTestHeader });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

const headers = (key: string) => ({ 'content-type': 'application/json', 'x-test-tenant': 'initech', 'x-test-key': key });

test('a streamed completion and an Anthropic-format message are attributed to their routes and keys', async () => {
  fake.enqueue({ kind: 'reply', inputTokens: 2_000, outputTokens: 1_000 }, { kind: 'reply', inputTokens: 4_000, outputTokens: 2_000 });
  const streamed = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: headers('i1'), body: JSON.stringify({ model: 'cheap', stream: true, messages: [{ role: 'user', content: 'hi' }] }) });
  expect(streamed.status).toBe(200);
  expect(await streamed.text()).toContain('[DONE]');
  const anthropic = await fetch(`${server.url}/v1/messages`, { method: 'POST', headers: headers('i2'), body: JSON.stringify({ model: 'cheap', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] }) });
  expect(anthropic.status).toBe(200);

  const today = new Date().toISOString().slice(0, 10);
  const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: headers('i1'), body: JSON.stringify({ query: `{ aiSpend(from: "${today}", to: "${today}", groupBy: [CAUSE, KEY]) { rows { cause key requests costUsd } total { costUsd } } }` }) });
  const { data, errors } = await response.json();
  expect(errors).toBeUndefined();
  // 2,000 in + 1,000 out at $1/$2 per million = $0.004; 4,000 in + 2,000 out = $0.008.
  expect(data.aiSpend.rows.map((row: any) => [row.cause, row.key, row.requests, Math.round(row.costUsd * 1e6)])).toEqual([
    ['/v1/chat/completions', 'i1', 1, 4_000],
    ['/v1/messages', 'i2', 1, 8_000],
  ]);
  expect(data.aiSpend.total.costUsd).toBeCloseTo(0.012, 12);
});

test('a caller the gateway did not vouch for is refused on both routes', async () => {
  for (const route of ['/v1/chat/completions', '/v1/messages']) {
    const response = await fetch(`${server.url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'cheap', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(response.status).toBe(401);
  }
});
