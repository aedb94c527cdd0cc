/**
 * The AI subgraph process over real HTTP: template fields on /graphql, the same templates on
 * /v1/prompts/{name}, /health, and a template swap while serving.
 */
import { startAiSubgraphServer } from '../server';
import type { RunningAiSubgraphServer } from '../server';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { parseAiConfig } from '../models';
import { loadDemoTemplates } from '../prompts/load';
import { principalFromTestHeader } from '../test-support/ai-http';
import { CharterError } from '../../../core/errors';

let server: RunningAiSubgraphServer;
let ledger: MemoryUsageLedger;
const templates = loadDemoTemplates();

beforeAll(async () => {
  ledger = new MemoryUsageLedger();
  server = await startAiSubgraphServer({
    config: parseAiConfig(undefined),
    ledger,
    templates,
    resolvePrincipal: (req) => {
      if (req.headers['x-test-bad-signature']) throw new CharterError('UNAUTHENTICATED', 'bad signature');
      return principalFromTestHeader(req);
    },
  });
});
afterAll(() => server.close());

const records = () => ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) });

async function graphql(query: string, headers: Record<string, string> = { 'x-test-tenant': 'acme' }, variables?: Record<string, unknown>) {
  const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: await response.json() };
}

test('template fields answer on /graphql for the tenant in the principal, metered', async () => {
  const before = (await records()).length;
  const result = await graphql('query($t: String!) { sentiment(text: $t) { label score } s: summary(text: "A b c.", maxWords: 3) }', { 'x-test-tenant': 'acme', 'x-test-key': 'k9' }, { t: 'great' });
  expect(result).toEqual({ status: 200, body: { data: { sentiment: { label: 'POSITIVE', score: 0.5 }, s: 'Echo: Summarize in at most 3 words:\n\nA b c.' } } });
  expect((await records()).slice(before).map((r) => [r.tenant, r.keyId])).toEqual([
    ['acme', 'k9'],
    ['acme', 'k9'],
  ]);
  const anonymous = await graphql('{ sentiment(text: "x") { label } }', {});
  expect(anonymous.body.data).toEqual({ sentiment: { label: 'POSITIVE' } });
  expect((await records()).at(-1)!.tenant).toBe('anonymous');
});

test('a missing argument fails validation; a refused principal is 401', async () => {
  const missing = await graphql('{ sentiment { label } }');
  expect(missing.status).toBe(400);
  expect(missing.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  const refused = await graphql('{ sentiment(text: "x") { label } }', { 'x-test-bad-signature': '1' });
  expect(refused.status).toBe(401);
  expect(refused.body.errors[0]).toMatchObject({ message: 'bad signature', extensions: { code: 'UNAUTHENTICATED' } });
});

test('POST /v1/prompts/{name} runs the template with JSON variables; errors are coded and uncharged', async () => {
  const ok = await fetch(`${server.url}/v1/prompts/sentiment`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-test-tenant': 'acme' }, body: JSON.stringify({ text: 'fine' }) });
  expect(ok.status).toBe(200);
  expect(await ok.json()).toEqual({
    name: 'sentiment',
    output: { label: 'POSITIVE', score: 0.5 },
    model: 'local/echo',
    provider: 'local',
    usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number), totalTokens: expect.any(Number) },
    costUsd: 0,
    finishReason: 'stop',
    attempts: [{ model: 'local/echo', provider: 'local' }],
  });
  const before = (await records()).length;
  const missing = await fetch(`${server.url}/v1/prompts/sentiment`, { method: 'POST', headers: { 'x-test-tenant': 'acme' }, body: '{}' });
  expect(missing.status).toBe(400);
  expect(await missing.json()).toEqual({ error: { message: "variable 'text' of prompt 'sentiment' is required", type: 'invalid_request_error', code: 'bad_user_input', param: null } });
  const unknown = await fetch(`${server.url}/v1/prompts/horoscope`, { method: 'POST', headers: { 'x-test-tenant': 'acme' }, body: '{}' });
  expect(unknown.status).toBe(404);
  expect((await unknown.json()).error.code).toBe('prompt_not_found');
  const noCaller = await fetch(`${server.url}/v1/prompts/sentiment`, { method: 'POST', body: '{"text":"x"}' });
  expect(noCaller.status).toBe(401);
  expect((await records()).length).toBe(before);
  expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ status: 'ok' });
});

test('setTemplates swaps the fields while serving; an invalid set is refused and changes nothing', async () => {
  const summary = templates.find((template) => template.name === 'summary')!;
  const outcome = server.setTemplates([{ ...summary, name: 'digest' }]);
  expect(outcome.status).toBe('applied');
  expect(server.subgraph.typeDefs).toContain('digest(');
  const swapped = await graphql('{ digest(text: "x", maxWords: 1) }');
  expect(swapped.body).toEqual({ data: { digest: 'Echo: Summarize in at most 1 words:\n\nx' } });
  const gone = await graphql('{ sentiment(text: "x") { label } }');
  expect(gone.status).toBe(400);
  expect(gone.body.errors[0].message).toBe('Cannot query field "sentiment" on type "Query".');
  const rest = await fetch(`${server.url}/v1/prompts/digest`, { method: 'POST', headers: { 'x-test-tenant': 'acme' }, body: '{"text":"y","maxWords":2}' });
  expect((await rest.json()).output).toBe('Echo: Summarize in at most 2 words:\n\ny');

  const invalid = server.setTemplates([{ ...summary, name: 'chat' }]);
  expect(invalid).toEqual({ status: 'invalid', problems: ["template 'chat': name: 'chat' is a field of the AI schema"] });
  expect((await graphql('{ digest(text: "x", maxWords: 1) }')).body.data).toEqual({ digest: 'Echo: Summarize in at most 1 words:\n\nx' });
});
