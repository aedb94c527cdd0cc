/** AI spend as Prometheus counters on the AI server's /metrics (tenant and model labels only), behind a bearer token. */
import { startAiSubgraphServer, type RunningAiSubgraphServer } from '../server';
import { parseAiConfig } from '../models';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { withSpendMetrics } from '../usage/metered-ledger';

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

test('a cache hit is counted as a hit, not as a billed call', async () => {
  const { ledger, metrics } = withSpendMetrics(new MemoryUsageLedger());
  const at = new Date().toISOString();
  await ledger.record({ tenant: 'acme', keyId: 'k', model: 'm', provider: 'p', inputTokens: 10, outputTokens: 5, costUsd: 0.25, latencyMs: 3, at });
  await ledger.record({ tenant: 'acme', keyId: 'k', model: 'm', provider: 'p', inputTokens: 0, outputTokens: 0, costUsd: 0, latencyMs: 0, at, cacheHit: true });
  const text = await metrics.registry.metrics();
  expect(text).toContain('charter_ai_requests_total{tenant="acme",model="m"} 1');
  expect(text).toContain('charter_ai_cache_hits_total{tenant="acme",model="m"} 1');
  expect(text).toContain('charter_ai_cost_usd_total{tenant="acme",model="m"} 0.25');
});
