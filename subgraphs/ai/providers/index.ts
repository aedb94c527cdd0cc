/**
 * Turn configured providers into Vercel AI SDK language models (LanguageModelV2). One SDK provider
 * instance is built per configured provider, lazily, and reused for all its models.
 */
import type { LanguageModelV2 } from '@ai-sdk/provider';
import { createOpenAI } from '@ai-sdk/openai';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createMistral } from '@ai-sdk/mistral';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { AiConfig, ModelConfig, ProviderConfig } from '../models';
import { createLocalLanguageModel } from './local';
import { unreachable } from '../../../core/errors';

/** A provider whose key is missing: the model is skipped and the next one in the route answers. */
export class ProviderNotConfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderNotConfiguredError';
  }
}

type ModelFactory = (modelName: string) => LanguageModelV2;

function readApiKey(providerId: string, provider: ProviderConfig, env: NodeJS.ProcessEnv): string | undefined {
  if (!provider.apiKeyEnv) return undefined;
  const key = env[provider.apiKeyEnv];
  if (!key) throw new ProviderNotConfiguredError(`provider '${providerId}' has no API key: environment variable ${provider.apiKeyEnv} is not set`);
  return key;
}

function createModelFactory(providerId: string, provider: ProviderConfig, env: NodeJS.ProcessEnv): ModelFactory {
  const baseURL = provider.baseUrl;
  switch (provider.kind) {
    case 'local':
      return createLocalLanguageModel;
    case 'openai': {
      const sdk = createOpenAI({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      // `.chat` speaks chat completions, which every OpenAI-style proxy (Azure, gateways) serves;
      // the SDK's default is the newer Responses API.
      return (modelName) => sdk.chat(modelName);
    }
    case 'anthropic': {
      const sdk = createAnthropic({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return (modelName) => sdk.languageModel(modelName);
    }
    case 'mistral': {
      const sdk = createMistral({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return (modelName) => sdk.languageModel(modelName);
    }
    case 'google': {
      const sdk = createGoogleGenerativeAI({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return (modelName) => sdk.languageModel(modelName);
    }
    case 'openai-compatible': {
      // Checked by the config schema; repeated here so the type is narrowed.
      if (!baseURL) throw new ProviderNotConfiguredError(`provider '${providerId}' has no baseUrl`);
      const sdk = createOpenAICompatible({ name: providerId, baseURL, apiKey: readApiKey(providerId, provider, env), includeUsage: true });
      return (modelName) => sdk.chatModel(modelName);
    }
    default: {
      return unreachable(provider.kind);
    }
  }
}

/** Resolves a configured model to a language model; throws ProviderNotConfiguredError for a missing key. */
export type LanguageModelResolver = (model: ModelConfig) => LanguageModelV2;

export function createLanguageModelResolver(config: AiConfig, env: NodeJS.ProcessEnv = process.env): LanguageModelResolver {
  const factories = new Map<string, ModelFactory>();
  const models = new Map<string, LanguageModelV2>();
  return (model) => {
    const cached = models.get(model.id);
    if (cached) return cached;
    let factory = factories.get(model.provider);
    if (!factory) {
      const provider = config.providers[model.provider];
      if (!provider) throw new ProviderNotConfiguredError(`model '${model.id}' names unknown provider '${model.provider}'`);
      factory = createModelFactory(model.provider, provider, env);
      factories.set(model.provider, factory);
    }
    const built = factory(model.model);
    models.set(model.id, built);
    return built;
  };
}

export { createLocalLanguageModel } from './local';
