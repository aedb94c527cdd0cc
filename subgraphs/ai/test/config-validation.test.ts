/** The `ai:` config section is validated at start with messages naming the bad key. */
import { ZodError } from 'zod';
import { budgetFromConfig, parseAiConfig } from '../models';

function issues(section: unknown): string[] {
  try {
    parseAiConfig(section);
  } catch (err) {
    if (err instanceof ZodError) return err.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw err;
  }
  return [];
}

test('every bad key is reported at once, by path', () => {
  expect(
    issues({
      providers: { oa: { kind: 'openai', apiKeyEnv: 'not a var' }, compat: { kind: 'openai-compatible' }, x: { kind: 'palm' } },
      models: [
        { id: 'a', provider: 'nope', model: 'm', inputPricePerMTok: 1, outputPricePerMTok: 1, contextWindow: 100 },
        { id: 'a', provider: 'oa', model: 'm', inputPricePerMTok: -1, outputPricePerMTok: 1, contextWindow: 100, maxOutputTokens: 200 },
      ],
      routes: { default: ['a', 'ghost'] },
      timeoutMs: 0,
    }),
  ).toEqual(
    expect.arrayContaining([
      'providers.oa.apiKeyEnv: must be an environment variable name',
      'providers.compat.baseUrl: an openai-compatible provider needs a baseUrl',
      expect.stringMatching(/^providers\.x\.kind: Invalid enum value/),
      'models.1.inputPricePerMTok: Number must be greater than or equal to 0',
      'timeoutMs: Number must be greater than 0',
    ]),
  );
});

test('cross-references are checked: providers of models, models of routes, duplicate ids', () => {
  expect(
    issues({
      providers: { oa: { kind: 'openai' } },
      models: [
        { id: 'a', provider: 'nope', model: 'm', inputPricePerMTok: 1, outputPricePerMTok: 1, contextWindow: 100 },
        { id: 'a', provider: 'oa', model: 'm', inputPricePerMTok: 1, outputPricePerMTok: 1, contextWindow: 100, maxOutputTokens: 200 },
      ],
      routes: { default: ['a', 'ghost'] },
    }),
  ).toEqual(["models.0.provider: unknown provider 'nope'", "models.1.id: duplicate model id 'a'", 'models.1.maxOutputTokens: must not exceed contextWindow', "routes.default.1: unknown model 'ghost'"]);
});

test('budgets: a tenant entry overrides the default', () => {
  const config = parseAiConfig({ budgets: { default: { dailyUsd: 1 }, tenants: { acme: { dailyUsd: 5, allowedModels: ['local/echo'] } } } });
  expect(budgetFromConfig(config, 'acme')).toEqual({ dailyUsd: 5, allowedModels: ['local/echo'] });
  expect(budgetFromConfig(config, 'other')).toEqual({ dailyUsd: 1 });
});
