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
import { createGroq } from '@ai-sdk/groq';
import { createXai } from '@ai-sdk/xai';
import { createDeepSeek } from '@ai-sdk/deepseek';
import { createAzure } from '@ai-sdk/azure';
import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createCohere } from '@ai-sdk/cohere';
import { createTogetherAI } from '@ai-sdk/togetherai';
import { createFireworks } from '@ai-sdk/fireworks';
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

function readEnv(providerId: string, name: string, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (!value) throw new ProviderNotConfiguredError(`provider '${providerId}' has no credentials: environment variable ${name} is not set`);
  return value;
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
    case 'groq': {
      const sdk = createGroq({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return (modelName) => sdk.languageModel(modelName);
    }
    case 'xai': {
      const sdk = createXai({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return (modelName) => sdk.languageModel(modelName);
    }
    case 'deepseek': {
      const sdk = createDeepSeek({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return (modelName) => sdk.languageModel(modelName);
    }
    case 'azure': {
      const sdk = createAzure({ baseURL, resourceName: provider.resourceName, apiKey: readApiKey(providerId, provider, env) });
      // Deployment names stand in for model names on Azure; chat completions as for OpenAI.
      return (modelName) => sdk.chat(modelName);
    }
    case 'bedrock': {
      const credentials = provider.accessKeyIdEnv
        ? { accessKeyId: readEnv(providerId, provider.accessKeyIdEnv, env), secretAccessKey: readEnv(providerId, provider.secretAccessKeyEnv ?? 'AWS_SECRET_ACCESS_KEY', env) }
        : {};
      const sdk = createAmazonBedrock({ baseURL, region: provider.region, apiKey: readApiKey(providerId, provider, env), ...credentials });
      return (modelName) => sdk.languageModel(modelName);
    }
    case 'cohere': {
      const sdk = createCohere({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return (modelName) => sdk.languageModel(modelName);
    }
    case 'togetherai': {
      const sdk = createTogetherAI({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return (modelName) => sdk.chatModel(modelName);
    }
    case 'fireworks': {
      const sdk = createFireworks({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return (modelName) => sdk.chatModel(modelName);
    }
    case 'ollama': {
      // Ollama speaks the OpenAI chat API at /v1; it needs no key.
      const sdk = createOpenAICompatible({ name: providerId, baseURL: baseURL ?? 'http://127.0.0.1:11434/v1', apiKey: provider.apiKeyEnv ? readApiKey(providerId, provider, env) : undefined, includeUsage: true });
      return (modelName) => sdk.chatModel(modelName);
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
