/**
 * The model catalog: a provider given with its key serves that provider's models, priced from the
 * maintained catalog (`@pydantic/genai-prices`, bundled), overridable per model; `charter models`
 * lists them. Prices are compared with the package's own calculator, not typed here.
 */
import { calcPrice } from '@pydantic/genai-prices';
import { fullCatalog } from '../catalog';
import { computeCostUsd, parseAiConfig } from '../models';
import { runCharter } from '../../../test/support/charter-process';

const THREE = { providers: { openai: { kind: 'openai', apiKeyEnv: 'OPENAI_API_KEY' }, anthropic: { kind: 'anthropic', apiKeyEnv: 'ANTHROPIC_API_KEY' }, google: { kind: 'google', apiKeyEnv: 'GOOGLE_API_KEY' } } } as const;

test('three providers with their keys bring at least 100 priced models, none typed by hand', () => {
  const config = parseAiConfig(THREE);
  expect(config.models.length).toBeGreaterThanOrEqual(100);
  for (const model of config.models) {
    expect(model.inputPricePerMTok).toBeGreaterThanOrEqual(0);
    expect(model.outputPricePerMTok).toBeGreaterThanOrEqual(0);
    expect(model.contextWindow).toBeGreaterThan(0);
    expect(model.id).toBe(`${model.provider}/${model.model}`);
  }
  expect(new Set(config.models.map((m) => m.provider))).toEqual(new Set(['openai', 'anthropic', 'google']));
});

test("a catalog model's cost agrees with the catalog's own calculator", () => {
  const config = parseAiConfig(THREE);
  for (const id of ['openai/gpt-4o-mini', 'anthropic/claude-3-5-haiku-latest', 'google/gemini-2.0-flash']) {
    const model = config.models.find((m) => m.id === id) ?? config.models.find((m) => m.id.startsWith(id.split('/')[0]!))!;
    const expected = calcPrice({ input_tokens: 1234, output_tokens: 567 }, model.model, { providerId: model.provider === 'google' ? 'google' : model.provider });
    expect(expected).not.toBeNull();
    expect(computeCostUsd(model, 1234, 567)).toBeCloseTo(expected!.total_price, 10);
  }
});

test('overrides replace a catalog price (negotiated) and a configured model replaces a catalog one (private deployment)', () => {
  const config = parseAiConfig({
    ...THREE,
    models: [{ id: 'openai/gpt-4o', provider: 'openai', model: 'my-gpt-4o-deployment', inputPricePerMTok: 1, outputPricePerMTok: 2, contextWindow: 64_000 }],
    overrides: { 'anthropic/claude-3-5-haiku-latest': { inputPricePerMTok: 0.5 } },
    routes: { default: ['openai/gpt-4o', 'anthropic/claude-3-5-haiku-latest'] },
  });
  expect(config.models.filter((m) => m.id === 'openai/gpt-4o')).toEqual([{ id: 'openai/gpt-4o', provider: 'openai', model: 'my-gpt-4o-deployment', inputPricePerMTok: 1, outputPricePerMTok: 2, contextWindow: 64_000 }]);
  const haiku = config.models.find((m) => m.id === 'anthropic/claude-3-5-haiku-latest')!;
  expect(haiku.inputPricePerMTok).toBe(0.5);
  expect(haiku.outputPricePerMTok).toBe(fullCatalog().find((m) => m.id === 'anthropic/claude-3-5-haiku-latest')!.outputPricePerMTok);
});

test('an override or a route naming a model nobody serves is refused at start; catalog: false serves only what is listed', () => {
  expect(() => parseAiConfig({ ...THREE, overrides: { 'openai/gpt-99': { inputPricePerMTok: 1 } } })).toThrow(/overrides.*unknown model 'openai\/gpt-99'|unknown model 'openai\/gpt-99'/s);
  const listed = parseAiConfig({ providers: { openai: { kind: 'openai', catalog: false } }, models: [{ id: 'mine', provider: 'openai', model: 'gpt-4o', inputPricePerMTok: 1, outputPricePerMTok: 1, contextWindow: 1000 }] });
  expect(listed.models.map((m) => m.id)).toEqual(['mine']);
  expect(listed.routes).toEqual({ default: ['mine'] });
});

test('charter models --catalog --json prints every priced model as the documented objects', async () => {
  const { code, stdout } = await runCharter(['models', '--catalog', '--json']);
  expect(code).toBe(0);
  const rows = JSON.parse(stdout) as Array<Record<string, unknown>>;
  expect(rows.length).toBe(fullCatalog().length);
  expect(rows.length).toBeGreaterThanOrEqual(250);
  for (const row of rows) expect(Object.keys(row).sort()).toEqual(['contextWindow', 'id', 'inputPerMTok', 'outputPerMTok', 'provider']);
  expect(new Set(rows.map((r) => r.provider))).toEqual(new Set(['openai', 'anthropic', 'google', 'mistral', 'groq', 'xai', 'deepseek', 'azure', 'bedrock', 'cohere', 'fireworks']));
});
