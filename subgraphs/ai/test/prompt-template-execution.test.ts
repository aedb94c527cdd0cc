/**
 * Running templates: variables checked before any charge, text and object outputs, structured
 * output validated against its type, a misfit retried once and then a clear error.
 */
import { createAiService } from '../routing';
import { MemoryUsageLedger } from '../usage/memory-ledger';
import { runPromptTemplate, INVALID_OUTPUT_REASON } from '../prompts/execute';
import { loadDemoTemplates } from '../prompts/load';
import { parsePromptTemplate } from '../prompts/template-schema';
import { startFakeOpenAI } from '../test-support/fake-openai';
import type { FakeServer } from '../test-support/fake-provider';
import { FAKE_KEY_ENV, model, testConfig } from '../test-support/fixtures';
import type { CharterError } from '../../../core/errors';

let fake: FakeServer;
beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());

const tenant = { tenant: 'acme', budget: {} };
const [sentiment, summary] = loadDemoTemplates();
const remoteSentiment = { ...sentiment!, route: undefined, model: 'gpt' };

function setup() {
  const config = testConfig({
    providers: { oa: { kind: 'openai', baseUrl: fake.baseUrl, apiKeyEnv: FAKE_KEY_ENV }, local: { kind: 'local' } },
    models: [model('gpt', 'oa'), model('local/echo', 'local', { inputPricePerMTok: 0, outputPricePerMTok: 0 })],
    routes: { default: ['local/echo'] },
  });
  const ledger = new MemoryUsageLedger();
  return { ledger, service: createAiService({ config, ledger }) };
}
const records = (ledger: MemoryUsageLedger) => ledger.list({ from: new Date(0), to: new Date(Date.now() + 60_000) });

test('the local model answers the demo templates: a typed object and a text', async () => {
  const { service, ledger } = setup();
  const object = await runPromptTemplate(service, { template: sentiment!, variables: { text: 'I love this' }, tenant });
  expect(object.output).toEqual({ label: 'POSITIVE', score: 0.5 });
  expect(object.tries).toBe(1);
  const text = await runPromptTemplate(service, { template: summary!, variables: { text: 'Long text here.', maxWords: 5 }, tenant });
  expect(text.output).toBe('Echo: Summarize in at most 5 words:\n\nLong text here.');
  expect(text.chat.model).toBe('local/echo');
  expect((await records(ledger)).map((r) => r.model)).toEqual(['local/echo', 'local/echo']);
});

test('object output is asked for as a JSON schema built from the fields, and the valid reply is returned', async () => {
  const { service } = setup();
  fake.enqueue({ kind: 'reply', text: '{"label":"NEGATIVE","score":0.93}', inputTokens: 40, outputTokens: 9 });
  const run = await runPromptTemplate(service, { template: remoteSentiment, variables: { text: 'awful' }, tenant });
  expect(run.output).toEqual({ label: 'NEGATIVE', score: 0.93 });
  expect(run.chat.costUsd).toBeCloseTo((40 * 2.5 + 9 * 10) / 1e6, 15);
  const sent = fake.requests.at(-1)!.body;
  expect(sent.messages).toEqual([
    { role: 'system', content: sentiment!.system },
    { role: 'user', content: 'Classify the sentiment of: awful' },
  ]);
  expect(sent.temperature).toBe(0);
  expect(sent.response_format.type).toBe('json_schema');
  expect(sent.response_format.json_schema.name).toBe('Sentiment');
  expect(sent.response_format.json_schema.schema).toMatchObject({
    type: 'object',
    properties: { label: { type: 'string', enum: ['POSITIVE', 'NEGATIVE', 'NEUTRAL'], description: 'The sentiment of the text.' }, score: { type: 'number' } },
    required: ['label', 'score'],
  });
});

test('a reply that does not fit the type is retried once; a fitting second reply is returned', async () => {
  const { service, ledger } = setup();
  const before = fake.requests.length;
  fake.enqueue({ kind: 'reply', text: '{"label":"HAPPY","score":0.9}' }, { kind: 'reply', text: '{"label":"POSITIVE","score":0.9}' });
  const run = await runPromptTemplate(service, { template: remoteSentiment, variables: { text: 'yay' }, tenant });
  expect(run).toMatchObject({ output: { label: 'POSITIVE', score: 0.9 }, tries: 2 });
  expect(fake.requests.length).toBe(before + 2);
  // Both replies were billed by the provider, so both are recorded.
  expect(await records(ledger)).toHaveLength(2);
});

test('two misfits in a row fail with UPSTREAM_UNAVAILABLE, reason UPSTREAM_INVALID_OUTPUT, after exactly two calls', async () => {
  const { service } = setup();
  const before = fake.requests.length;
  fake.enqueue({ kind: 'reply', text: '{"label":"HAPPY","score":0.9}' }, { kind: 'reply', text: 'not json at all' });
  const error = (await runPromptTemplate(service, { template: remoteSentiment, variables: { text: 'yay' }, tenant }).catch((err: unknown) => err)) as CharterError;
  expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  expect(error.message).toMatch(/^prompt 'sentiment': the model's reply did not fit Sentiment, twice \(no valid structured output: /);
  expect(error.details).toMatchObject({ reason: INVALID_OUTPUT_REASON, attempts: [{ model: 'gpt', error: { code: 'PROVIDER_INVALID_RESPONSE' } }, { model: 'gpt', error: { code: 'PROVIDER_INVALID_RESPONSE' } }] });
  expect(fake.requests.length).toBe(before + 2);
});

test('an upstream error that is not a misfit is not retried by the template', async () => {
  const { service } = setup();
  const before = fake.requests.length;
  fake.enqueue({ kind: 'status', status: 400, message: 'bad' });
  const error = (await runPromptTemplate(service, { template: remoteSentiment, variables: { text: 'x' }, tenant }).catch((err: unknown) => err)) as CharterError;
  expect(error.code).toBe('UPSTREAM_UNAVAILABLE');
  expect(error.details!.reason).toBeUndefined();
  expect(fake.requests.length).toBe(before + 1);
});

test.each([
  [{}, "variable 'text' of prompt 'sentiment' is required"],
  [{ text: null }, "variable 'text' of prompt 'sentiment' is required"],
  [{ text: 42 }, "variable 'text' of prompt 'sentiment' must be a String"],
  [{ text: 'x', mood: 'sad' }, "prompt 'sentiment' has no variable 'mood' (its variables: text)"],
  [['x'], "the variables of prompt 'sentiment' must be a JSON object"],
])('bad variables %j are BAD_USER_INPUT with no provider call and no charge', async (variables, message) => {
  const { service, ledger } = setup();
  const before = fake.requests.length;
  const error = (await runPromptTemplate(service, { template: remoteSentiment, variables, tenant }).catch((err: unknown) => err)) as CharterError;
  expect(error.code).toBe('BAD_USER_INPUT');
  expect(error.message).toBe(message);
  expect(fake.requests.length).toBe(before);
  expect(await records(ledger)).toEqual([]);
});

test('variable types are checked: Int, Float, Boolean, [String]; optional ones render empty', async () => {
  const { service } = setup();
  const template = parsePromptTemplate({
    name: 'typed',
    description: 'Types.',
    template: 'n={{n}} f={{f}} b={{b}} tags={{tags}} note={{note}}',
    variables: { n: { type: 'Int' }, f: { type: 'Float' }, b: { type: 'Boolean' }, tags: { type: '[String]' }, note: { type: 'String', required: false } },
    output: { kind: 'text' },
  });
  const ok = await runPromptTemplate(service, { template, variables: { n: 3, f: 0.5, b: false, tags: ['a', 'b'] }, tenant });
  expect(ok.output).toBe('Echo: n=3 f=0.5 b=false tags=a, b note=');
  const wrong = async (variables: Record<string, unknown>) => ((await runPromptTemplate(service, { template, variables, tenant }).catch((err: unknown) => err)) as CharterError).message;
  expect(await wrong({ n: 3.5, f: 1, b: true, tags: [] })).toBe("variable 'n' of prompt 'typed' must be an Int");
  expect(await wrong({ n: 3, f: '1', b: true, tags: [] })).toBe("variable 'f' of prompt 'typed' must be a Float");
  expect(await wrong({ n: 3, f: 1, b: 'yes', tags: [] })).toBe("variable 'b' of prompt 'typed' must be a Boolean");
  expect(await wrong({ n: 3, f: 1, b: true, tags: [1] })).toBe("variable 'tags' of prompt 'typed' must be a list of strings");
});
