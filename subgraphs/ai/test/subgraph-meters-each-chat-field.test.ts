/** The Federation 2 subgraph: tenant from context.principal, each chat field metered, errors coded, composes. */
import { graphql, parse } from 'graphql';
import { composeServices } from '@apollo/composition';
import { createAiSubgraph } from '../subgraph';
import type { AiSubgraphContext } from '../subgraph';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { parseAiConfig } from '../models';
import type { TenantBudget } from '../models';
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, model } from '../test-support/fixtures';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

const acme: AiSubgraphContext = { principal: { tenant: 'acme', subject: 'u1', keyId: 'key-a', roles: [], scopes: [] } };

function build(budgets: Record<string, TenantBudget> = {}) {
  const config = parseAiConfig({
    providers: { local: { kind: 'local' }, oa: { kind: 'openai', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV } },
    models: [model('local/echo', 'local', { model: 'echo', inputPricePerMTok: 0, outputPricePerMTok: 0 }), model('gpt', 'oa')],
    routes: { default: ['local/echo'] },
    maxRetries: 0,
  });
  const ledger = new MemoryUsageLedger();
  const subgraph = createAiSubgraph({ config, ledger, budgets: (tenant) => budgets[tenant] ?? {} });
  const run = (source: string, contextValue: AiSubgraphContext = acme, variableValues?: Record<string, unknown>) => graphql({ schema: subgraph.schema, source, contextValue, variableValues });
  return { subgraph, ledger, run };
}

test('two aliased chat fields in one operation are two calls, two records', async () => {
  const { run, ledger } = build();
  fake.enqueue({ kind: 'reply', text: 'remote', inputTokens: 100, outputTokens: 50 });
  const result = await run(`{
    a: chat(input: { messages: [{ role: USER, content: "first" }] }) { text model provider costUsd finishReason usage { inputTokens outputTokens totalTokens } attempts { model error { code } } }
    b: chat(input: { model: "gpt", messages: [{ role: SYSTEM, content: "be brief" }, { role: USER, content: "second" }], temperature: 0.2, maxTokens: 20 }) { text model costUsd }
  }`);
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({
    a: { text: 'Echo: first', model: 'local/echo', provider: 'local', costUsd: 0, finishReason: 'STOP', usage: { inputTokens: 1, outputTokens: 3, totalTokens: 4 }, attempts: [{ model: 'local/echo', error: null }] },
    b: { text: 'remote', model: 'gpt', costUsd: (100 * 2.5 + 50 * 10) / 1e6 },
  });
  expect(fake.requests.at(-1)!.body).toMatchObject({ temperature: 0.2, max_tokens: 20, messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'second' }] });
  const records = await ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) });
  expect(records.map((r) => [r.tenant, r.keyId, r.model])).toEqual(
    expect.arrayContaining([
      ['acme', 'key-a', 'local/echo'],
      ['acme', 'key-a', 'gpt'],
    ]),
  );
  expect(records).toHaveLength(2);
});

test('structured output through GraphQL: responseFormat JSON with a jsonSchema variable', async () => {
  const { run } = build();
  const result = await run(
    'query($schema: JSON) { chat(input: { messages: [{ role: USER, content: "a b" }], responseFormat: JSON, jsonSchema: $schema }) { object text } }',
    acme,
    { schema: { type: 'object', properties: { n: { type: 'integer' } } } },
  );
  expect(result.errors).toBeUndefined();
  expect(result.data).toEqual({ chat: { object: { n: 2 }, text: '{"n":2}' } });
});

test('no principal is the anonymous tenant; budgets apply per tenant with coded errors', async () => {
  const { run, ledger } = build({ anonymous: { dailyUsd: 0, allowedModels: ['local/echo'] } });
  const before = fake.requests.length;
  const models = await run('{ models { id providerKind contextWindow } }', {});
  expect(models.data).toEqual({ models: [{ id: 'local/echo', providerKind: 'local', contextWindow: 8000 }] });
  const forbidden = await run('{ chat(input: { model: "gpt", messages: [{ role: USER, content: "x" }] }) { text } }', {});
  expect(forbidden.errors![0]!.extensions!.code).toBe('FORBIDDEN');
  expect(forbidden.errors![0]!.message).toBe("model 'gpt' is not allowed for tenant anonymous");
  // A free model still runs on a $0 budget: it costs nothing.
  const free = await run('{ chat(input: { messages: [{ role: USER, content: "x" }] }) { text } }', {});
  expect(free.data).toEqual({ chat: { text: 'Echo: x' } });
  const bad = await run('{ chat(input: { model: "nope", messages: [{ role: USER, content: "x" }] }) { text } }', {});
  expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  expect(fake.requests.length).toBe(before);
  expect((await ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) })).map((r) => r.tenant)).toEqual(['anonymous']);
});

test('over budget is BUDGET_EXCEEDED in the GraphQL error, with zero provider requests', async () => {
  const { run } = build({ acme: { dailyUsd: 0.000001 } });
  const before = fake.requests.length;
  const result = await run('{ chat(input: { model: "gpt", messages: [{ role: USER, content: "x" }] }) { text } }');
  expect(result.errors![0]!.extensions).toMatchObject({ code: 'BUDGET_EXCEEDED', budget: 'daily' });
  expect(result.errors![0]!.message).toMatch(/^daily budget of \$0\.0000010 for tenant acme would be exceeded/);
  expect(fake.requests.length).toBe(before);
});

test("aiUsage reports the caller's own tenant, admins see all", async () => {
  const { run } = build();
  const globex: AiSubgraphContext = { principal: { tenant: 'globex', subject: 'u2', roles: [], scopes: [] } };
  await run('{ chat(input: { messages: [{ role: USER, content: "one two" }] }) { text } }');
  await run('{ chat(input: { messages: [{ role: USER, content: "three" }] }) { text } }', globex);
  const today = new Date().toISOString().slice(0, 10);
  const query = `{ aiUsage(from: "${today}", to: "${today}", groupBy: TENANT) { key requests inputTokens outputTokens totalTokens costUsd } }`;
  expect((await run(query)).data).toEqual({ aiUsage: [{ key: 'acme', requests: 1, inputTokens: 2, outputTokens: 4, totalTokens: 6, costUsd: 0 }] });
  const admin: AiSubgraphContext = { principal: { tenant: 'ops', subject: 'root', roles: ['admin'], scopes: [] } };
  expect(((await run(query, admin)).data!.aiUsage as Array<{ key: string }>).map((row) => row.key)).toEqual(['acme', 'globex']);
  const byKey = await run(`{ aiUsage(from: "${today}", to: "${today}", groupBy: KEY) { key requests } }`);
  expect(byKey.data).toEqual({ aiUsage: [{ key: 'key-a', requests: 1 }] });
  const badRange = await run('{ aiUsage(from: "yesterday", to: "2025-01-01", groupBy: DAY) { key } }');
  expect(badRange.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
});

test('the subgraph composes into a supergraph with another subgraph', () => {
  const { subgraph } = build();
  const other = parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
    type Query { hello: String }
    type AiModel @key(fields: "id") { id: ID! featured: Boolean }
  `);
  const result = composeServices([
    { name: subgraph.name, typeDefs: parse(subgraph.typeDefs), url: 'http://ai' },
    { name: 'other', typeDefs: other, url: 'http://other' },
  ]);
  expect(result.errors).toBeUndefined();
  expect(result.supergraphSdl).toContain('chat(input: ChatInput!): ChatResult!');
});
