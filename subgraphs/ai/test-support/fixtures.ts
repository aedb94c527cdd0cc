/** Config builders for AI tests: models pointing at fake servers, with known prices. */
import type { AiConfig, AiConfigInput, ModelConfig } from '../models';
import { parseAiConfig } from '../models';

/** The env var tests put the fake key in; the fakes record the Authorization header. */
export const FAKE_KEY_ENV = 'CHARTER_TEST_FAKE_KEY';
process.env[FAKE_KEY_ENV] = 'sk-test-fake';

export function model(id: string, provider: string, extra: Partial<ModelConfig> = {}): ModelConfig {
  return { id, provider, model: `${id}-upstream`, inputPricePerMTok: 2.5, outputPricePerMTok: 10, contextWindow: 8_000, maxOutputTokens: 1_000, ...extra };
}

/**
 * A config whose retries wait ~nothing, so fallback tests stay fast; providers serve only the
 * models the test names (catalog off) unless the test says otherwise.
 */
export function testConfig(input: AiConfigInput): AiConfig {
  const providers = input.providers && Object.fromEntries(Object.entries(input.providers).map(([key, p]) => [key, { catalog: false, ...p }]));
  return parseAiConfig({ timeoutMs: 5_000, maxRetries: 0, retryBaseDelayMs: 1, ...input, ...(providers ? { providers } : {}) });
}

export const USER_HELLO = [{ role: 'user' as const, content: 'Hello there' }];
