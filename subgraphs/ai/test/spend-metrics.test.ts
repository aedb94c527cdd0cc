/** AI spend as Prometheus counters on the AI server's /metrics (tenant and model labels only), behind a bearer token. */
import { startAiSubgraphServer, type RunningAiSubgraphServer } from '../server';
import { parseAiConfig } from '../models';
import { MemoryUsageLedger } from '../usage/memory-ledger';

let server: RunningAiSubgraphServer;
beforeAll(async () => {
  server = await startAiSubgraphServer({ host: '127.0.0.1', port: 0, config: parseAiConfig(undefined), ledger: new MemoryUsageLedger(), metricsToken: 'scrape-me' });
});
afterAll(() => server?.close());

test('billed calls are counted by tenant and model; /metrics refuses a caller without the token', async () => {
  const chat = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ chat(input: { messages: [{ role: USER, content: "count me" }] }) { usage { inputTokens outputTokens } } }' }) });
  const { data } = await chat.json();
  expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
  expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer scrape-me' } })).text();
  expect(text).toContain('charter_ai_requests_total{tenant="anonymous",model="local/echo"} 1');
  expect(text).toContain(`charter_ai_tokens_total{tenant="anonymous",model="local/echo",direction="output"} ${data.chat.usage.outputTokens}`);
  expect(text).toMatch(/charter_ai_cost_usd_total\{tenant="anonymous",model="local\/echo"\} 0/);
  expect(text).not.toMatch(/keyId|cause|prompt/);
});
