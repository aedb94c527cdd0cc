/**
 * Spend attribution and the response cache in the stack `npm start` runs, through the gateway with
 * the tenants' own keys: the GraphQL `chat` field, a prompt template and the OpenAI-compatible route
 * (with the official `openai` client) land in `aiSpend` under their causes, with totals matching
 * what each answer said it cost; an opted-in tenant's repeated temperature-0 call is a free hit;
 * a tenant sees only its own spend; a tenant whose policy does not name the fields, and a caller
 * with no key, are refused.
 */
import OpenAI from 'openai';
import { startDevStack, type DevStack } from '../cli/commands/dev';
import { loadConfig } from '../cli/config';
import { graphql, REPO_ROOT, tempDir } from './support/charter-process';
import { freePortRange } from './support/ports';

let stack: DevStack;
const key = (tenant: string) => stack.demoKeys.find((k) => k.tenant === tenant)!.apiKey;
const today = new Date().toISOString().slice(0, 10);
// $1,000 per million tokens in and out, so every call of the local model costs a visible amount.
const PRICE = 1_000;

beforeAll(async () => {
  const port = await freePortRange(20);
  const config = loadConfig(`${REPO_ROOT}/charter.config.yaml`, { PORT: String(port), CHARTER_DATA_DIR: tempDir('ai-spend') });
  const ai = (config.ai ?? {}) as { models?: unknown[]; budgets?: { tenants?: Record<string, object> } };
  const tenants = ai.budgets?.tenants ?? {};
  config.ai = {
    ...ai,
    models: [...(ai.models ?? []), { id: 'local/priced', provider: 'local', model: 'echo', inputPricePerMTok: PRICE, outputPricePerMTok: PRICE, contextWindow: 8192 }],
    // globex opts in to the exact-match cache; acme does not.
    budgets: { ...ai.budgets, tenants: { ...tenants, globex: { ...tenants.globex, cacheTtlSec: 60 } } },
  } as never;
  stack = await startDevStack(config);
});
afterAll(() => stack?.close());

async function gql(tenant: string, query: string) {
  const { status, body } = await graphql(stack.gatewayUrl, query, { headers: { 'x-api-key': key(tenant) } });
  expect(status).toBe(200);
  return body;
}

test('chat, a template and /v1 are attributed to their causes, totals to the cent', async () => {
  const chat = await gql('acme', '{ chat(input: { model: "local/priced", messages: [{ role: USER, content: "price me please" }] }) { costUsd usage { totalTokens } } }');
  expect(chat.errors).toBeUndefined();
  expect(chat.data.chat.costUsd).toBeCloseTo((chat.data.chat.usage.totalTokens * PRICE) / 1e6, 12);
  const template = await gql('acme', '{ sentiment(text: "I love this lamp") { label } }');
  expect(template.errors).toBeUndefined();
  const client = new OpenAI({ apiKey: key('acme'), baseURL: stack.gatewayUrl.replace(/\/graphql$/, '/v1'), maxRetries: 0 });
  const completion = await client.chat.completions.create({ model: 'local/priced', messages: [{ role: 'user', content: 'and me too' }] });
  const v1Cost = (completion.usage!.total_tokens * PRICE) / 1e6;

  const spend = await gql('acme', `{ aiSpend(from: "${today}", to: "${today}", groupBy: [CAUSE, MODEL]) { rows { tenant cause model requests costUsd } total { requests costUsd } } }`);
  expect(spend.errors).toBeUndefined();
  const rows = Object.fromEntries(spend.data.aiSpend.rows.map((row: any) => [`${row.cause} ${row.model}`, row]));
  expect(Object.keys(rows).sort()).toEqual(['/v1/chat/completions local/priced', 'Query.chat local/priced', 'prompt:sentiment local/echo']);
  expect(rows['Query.chat local/priced']).toMatchObject({ tenant: null, requests: 1 });
  expect(rows['Query.chat local/priced'].costUsd).toBeCloseTo(chat.data.chat.costUsd, 12);
  expect(rows['/v1/chat/completions local/priced'].costUsd).toBeCloseTo(v1Cost, 12);
  const { total } = spend.data.aiSpend;
  expect(total.requests).toBe(3);
  expect(total.costUsd.toFixed(2)).toBe((chat.data.chat.costUsd + v1Cost).toFixed(2));
  expect(total.costUsd).toBeCloseTo(chat.data.chat.costUsd + v1Cost, 12);
});

test("an opted-in tenant's repeated temperature-0 call is a free hit; other tenants' spend stays hidden", async () => {
  // maxTokens keeps the held estimate under globex's $1 daily budget at this price.
  const query = '{ chat(input: { model: "local/priced", temperature: 0, maxTokens: 20, messages: [{ role: USER, content: "same again" }] }) { text cacheHit costUsd } }';
  const first = await gql('globex', query);
  expect(first.errors).toBeUndefined();
  const second = await gql('globex', query);
  expect(first.data.chat).toMatchObject({ cacheHit: false, text: 'Echo: same again' });
  expect(first.data.chat.costUsd).toBeGreaterThan(0);
  expect(second.data.chat).toEqual({ text: 'Echo: same again', cacheHit: true, costUsd: 0 });
  // acme did not opt in: never cached.
  expect((await gql('acme', query)).data.chat.cacheHit).toBe(false);
  expect((await gql('acme', query)).data.chat.cacheHit).toBe(false);

  const spend = await gql('globex', `{ aiSpend(from: "${today}", to: "${today}", groupBy: [TENANT]) { rows { tenant requests cacheHits costUsd } } }`);
  expect(spend.data.aiSpend.rows).toEqual([{ tenant: 'globex', requests: 2, cacheHits: 1, costUsd: first.data.chat.costUsd }]);
});

test('a tenant whose policy does not name the usage fields, and a caller without a key, are refused', async () => {
  const denied = await gql('initech', `{ aiSpend(from: "${today}", to: "${today}", groupBy: [CAUSE]) { total { costUsd } } }`);
  expect(denied.data).toBeNull();
  expect(denied.errors[0].extensions.code).toBe('FORBIDDEN');
  const anonymous = await graphql(stack.gatewayUrl, `{ aiSpend(from: "${today}", to: "${today}", groupBy: [CAUSE]) { total { costUsd } } }`);
  expect(anonymous.status).toBe(401);
  expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
});
