/** A client leaving mid-stream aborts the provider request, and what was produced is recorded. */
import { listen } from '../../../core/http';
import type { RunningServer } from '../../../core/http';
import { createAiHttpRoutes } from '../http-routes';
import { createAiService } from '../routing';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { estimatePromptTokens, estimateTokens } from '../tokens';
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, model, testConfig } from '../test-support/fixtures';
import { openAiSdkHeaders, principalFromTestHeader } from '../test-support/ai-http';

let fake: FakeServer;
let server: RunningServer;
let ledger: MemoryUsageLedger;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  const config = testConfig({ providers: { oa: { kind: 'openai', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV } }, models: [model('gpt', 'oa')], routes: { default: ['gpt'] } });
  ledger = new MemoryUsageLedger();
  const routes = createAiHttpRoutes({ service: createAiService({ config, ledger }), templates: [], resolvePrincipal: principalFromTestHeader });
  server = await listen(async (req, res) => {
    await routes(req, res);
  });
});
afterAll(async () => {
  await server.close();
  await fake.close();
});

async function waitFor(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let waited = 0; waited < 3_000; waited += 10) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('closing the connection after two deltas drops the upstream request and bills the partial answer', async () => {
  fake.enqueue({ kind: 'reply', text: 'It was a bright cold day in April', stallAfterDeltas: 2 });
  const messages = [{ role: 'user' as const, content: 'Tell me a long story' }];
  const client = new AbortController();
  const response = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: openAiSdkHeaders('acme', true),
    body: JSON.stringify({ model: 'gpt', messages, stream: true, stream_options: { include_usage: true } }),
    signal: client.signal,
  });
  expect(response.status).toBe(200);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let received = '';
  // Read until both deltas have arrived, then hang up like a user closing the tab.
  while (!received.includes('" was"')) received += decoder.decode((await reader.read()).value, { stream: true });
  expect(received).toContain('"content":"It"');
  client.abort();
  await reader.cancel().catch(() => {});

  await waitFor(() => fake.abandoned === 1, 'the provider request to be dropped');
  await waitFor(async () => (await ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) })).length === 1, 'the usage record');
  const [record] = await ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) });
  const inputTokens = estimatePromptTokens(messages);
  const outputTokens = estimateTokens('It was');
  expect(record).toMatchObject({ tenant: 'acme', model: 'gpt', provider: 'oa', inputTokens, outputTokens });
  expect(record!.costUsd).toBeCloseTo((inputTokens * 2.5 + outputTokens * 10) / 1e6, 15);
});
