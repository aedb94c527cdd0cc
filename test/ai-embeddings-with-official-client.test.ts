/**
 * Embeddings through the gateway with the official `openai` client (which asks for base64 by
 * default and decodes it): deterministic vectors from the embedded local model, metered like chat
 * (they appear in aiUsage), refused by budget, and the same through the GraphQL `embed` field.
 */
import OpenAI from 'openai';
import { startDevStack, type DevStack } from '../cli/commands/dev';
import { loadConfig } from '../cli/config';
import { localEmbedding } from '../subgraphs/ai/providers/local';
import { graphql, REPO_ROOT, tempDir } from './support/charter-process';
import { freePortRange } from './support/ports';

let stack: DevStack;
const key = (tenant: string) => stack.demoKeys.find((k) => k.tenant === tenant)!.apiKey;
const clientFor = (tenant: string) => new OpenAI({ apiKey: key(tenant), baseURL: stack.gatewayUrl.replace(/\/graphql$/, '/v1'), maxRetries: 0 });

beforeAll(async () => {
  const port = await freePortRange(20);
  const config = loadConfig(`${REPO_ROOT}/charter.config.yaml`, { PORT: String(port), CHARTER_DATA_DIR: tempDir('embeddings') });
  // globex may use 2 tokens a minute: a longer embedding request is refused before any call.
  config.ai = { ...(config.ai ?? {}), budgets: { ...(config.ai?.budgets ?? {}), tenants: { ...(config.ai?.budgets?.tenants ?? {}), globex: { tokensPerMinute: 2 } } } } as never;
  stack = await startDevStack(config);
});
afterAll(() => stack?.close());

test('the openai client embeds a batch (base64 on the wire) and gets the local model\'s vectors', async () => {
  const result = await clientFor('acme').embeddings.create({ model: 'local/embed', input: ['red lamp', 'blue chair'] });
  expect(result.data.map((d) => d.index)).toEqual([0, 1]);
  result.data.forEach((d, i) => {
    expect(d.embedding).toHaveLength(16);
    d.embedding.forEach((v, j) => expect(v).toBeCloseTo(localEmbedding(['red lamp', 'blue chair'][i]!)[j]!, 6));
  });
  expect(result.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 });
  const floats = await clientFor('acme').embeddings.create({ model: 'local/embed', input: 'red lamp', encoding_format: 'float' });
  expect(floats.data[0]!.embedding).toEqual(localEmbedding('red lamp'));
});

test('embeddings are metered: they appear in the tenant\'s usage', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const { body } = await graphql(stack.gatewayUrl, `{ aiUsage(from: "${today}", to: "${today}", groupBy: MODEL) { key requests inputTokens } }`, { headers: { 'x-api-key': key('acme') } });
  expect(body.data.aiUsage).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'local/embed', inputTokens: 6 })]));
});

test('a tenant over budget is refused (429 insufficient_quota); a chat model or an unknown one is a 4xx', async () => {
  const refused = await clientFor('globex').embeddings.create({ model: 'local/embed', input: 'five words of text here' }).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
  const chatModel = await clientFor('acme').embeddings.create({ model: 'local/echo', input: 'x' }).catch((err: unknown) => err);
  expect(chatModel).toBeInstanceOf(OpenAI.BadRequestError);
  expect((chatModel as Error).message).toMatch(/not an embedding model/);
  const unknown = await clientFor('acme').embeddings.create({ model: 'nope', input: 'x' }).catch((err: unknown) => err);
  expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
  const empty = await clientFor('acme').embeddings.create({ model: 'local/embed', input: [] }).catch((err: unknown) => err);
  expect(empty).toBeInstanceOf(OpenAI.BadRequestError);
});

test('the GraphQL embed field gives the same vectors', async () => {
  const { body } = await graphql(stack.gatewayUrl, '{ embed(input: { texts: ["red lamp"] }) { embeddings inputTokens costUsd model provider } }', { headers: { 'x-api-key': key('acme') } });
  expect(body.errors).toBeUndefined();
  expect(body.data.embed).toEqual({ embeddings: [localEmbedding('red lamp')], inputTokens: 2, costUsd: 0, model: 'local/embed', provider: 'local' });
});
