/**
 * Turn configured providers into Vercel AI SDK language models (LanguageModelV2). One SDK provider
 * instance is built per configured provider, lazily, and reused for all its models.
 */
import type * as PkgOpenai from '@ai-sdk/openai';
import type * as PkgAnthropic from '@ai-sdk/anthropic';
import type * as PkgMistral from '@ai-sdk/mistral';
import type * as PkgGoogle from '@ai-sdk/google';
import type * as PkgOpenaiCompatible from '@ai-sdk/openai-compatible';
import type * as PkgGroq from '@ai-sdk/groq';
import type * as PkgXai from '@ai-sdk/xai';
import type * as PkgDeepseek from '@ai-sdk/deepseek';
import type * as PkgAzure from '@ai-sdk/azure';
import type * as PkgAmazonBedrock from '@ai-sdk/amazon-bedrock';
import type * as PkgCohere from '@ai-sdk/cohere';
import type * as PkgTogetherai from '@ai-sdk/togetherai';
import type * as PkgFireworks from '@ai-sdk/fireworks';
import type { EmbeddingModelV2, LanguageModelV2 } from '@ai-sdk/provider';
import type { AiConfig, ModelConfig, ProviderConfig } from '../models';
import { createLocalEmbeddingModel, createLocalLanguageModel } from './local';
import { CharterError } from '../../../core/errors';
import { unreachable } from '../../../core/errors';

/**
 * The SDK provider packages, each loaded the first time a provider of its kind is configured: a
 * process (or a CLI command) that talks to no provider never pays for loading them all.
 */
function lazy<M>(id: string): () => M {
  let loaded: M | undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return () => (loaded ??= require(id) as M);
}

const SDK = {
  createOpenAI: lazy<typeof PkgOpenai>('@ai-sdk/openai'),
  createAnthropic: lazy<typeof PkgAnthropic>('@ai-sdk/anthropic'),
  createMistral: lazy<typeof PkgMistral>('@ai-sdk/mistral'),
  createGoogleGenerativeAI: lazy<typeof PkgGoogle>('@ai-sdk/google'),
  createOpenAICompatible: lazy<typeof PkgOpenaiCompatible>('@ai-sdk/openai-compatible'),
  createGroq: lazy<typeof PkgGroq>('@ai-sdk/groq'),
  createXai: lazy<typeof PkgXai>('@ai-sdk/xai'),
  createDeepSeek: lazy<typeof PkgDeepseek>('@ai-sdk/deepseek'),
  createAzure: lazy<typeof PkgAzure>('@ai-sdk/azure'),
  createAmazonBedrock: lazy<typeof PkgAmazonBedrock>('@ai-sdk/amazon-bedrock'),
  createCohere: lazy<typeof PkgCohere>('@ai-sdk/cohere'),
  createTogetherAI: lazy<typeof PkgTogetherai>('@ai-sdk/togetherai'),
  createFireworks: lazy<typeof PkgFireworks>('@ai-sdk/fireworks'),
};

/** A provider whose key is missing: the model is skipped and the next one in the route answers. */
export class ProviderNotConfiguredError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProviderNotConfiguredError';
  }
}

/** What one configured provider builds: chat models, and embedding models where the provider has them. */
interface ModelFactory {
  language(modelName: string): LanguageModelV2;
  embedding(modelName: string): EmbeddingModelV2<string>;
}

function noEmbeddings(kind: string): (modelName: string) => never {
  return () => {
    throw new CharterError('BAD_USER_INPUT', `providers of kind '${kind}' have no embedding models`);
  };
}

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
      return { language: createLocalLanguageModel, embedding: createLocalEmbeddingModel };
    case 'openai': {
      const sdk = SDK.createOpenAI().createOpenAI({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      // `.chat` speaks chat completions, which every OpenAI-style proxy (Azure, gateways) serves;
      // the SDK's default is the newer Responses API.
      return { language: (modelName) => sdk.chat(modelName), embedding: (modelName) => sdk.textEmbeddingModel(modelName) };
    }
    case 'anthropic': {
      const sdk = SDK.createAnthropic().createAnthropic({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return { language: (modelName) => sdk.languageModel(modelName), embedding: noEmbeddings('anthropic') };
    }
    case 'mistral': {
      const sdk = SDK.createMistral().createMistral({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return { language: (modelName) => sdk.languageModel(modelName), embedding: (modelName) => sdk.textEmbeddingModel(modelName) };
    }
    case 'google': {
      const sdk = SDK.createGoogleGenerativeAI().createGoogleGenerativeAI({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return { language: (modelName) => sdk.languageModel(modelName), embedding: (modelName) => sdk.textEmbeddingModel(modelName) };
    }
    case 'groq': {
      const sdk = SDK.createGroq().createGroq({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return { language: (modelName) => sdk.languageModel(modelName), embedding: noEmbeddings('groq') };
    }
    case 'xai': {
      const sdk = SDK.createXai().createXai({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return { language: (modelName) => sdk.languageModel(modelName), embedding: noEmbeddings('xai') };
    }
    case 'deepseek': {
      const sdk = SDK.createDeepSeek().createDeepSeek({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return { language: (modelName) => sdk.languageModel(modelName), embedding: noEmbeddings('deepseek') };
    }
    case 'azure': {
      const sdk = SDK.createAzure().createAzure({ baseURL, resourceName: provider.resourceName, apiKey: readApiKey(providerId, provider, env) });
      // Deployment names stand in for model names on Azure; chat completions as for OpenAI.
      return { language: (modelName) => sdk.chat(modelName), embedding: (modelName) => sdk.textEmbeddingModel(modelName) };
    }
    case 'bedrock': {
      const credentials = provider.accessKeyIdEnv
        ? { accessKeyId: readEnv(providerId, provider.accessKeyIdEnv, env), secretAccessKey: readEnv(providerId, provider.secretAccessKeyEnv ?? 'AWS_SECRET_ACCESS_KEY', env) }
        : {};
      const sdk = SDK.createAmazonBedrock().createAmazonBedrock({ baseURL, region: provider.region, apiKey: readApiKey(providerId, provider, env), ...credentials });
      return { language: (modelName) => sdk.languageModel(modelName), embedding: (modelName) => sdk.textEmbeddingModel(modelName) };
    }
    case 'cohere': {
      const sdk = SDK.createCohere().createCohere({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return { language: (modelName) => sdk.languageModel(modelName), embedding: (modelName) => sdk.textEmbeddingModel(modelName) };
    }
    case 'togetherai': {
      const sdk = SDK.createTogetherAI().createTogetherAI({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return { language: (modelName) => sdk.chatModel(modelName), embedding: (modelName) => sdk.textEmbeddingModel(modelName) };
    }
    case 'fireworks': {
      const sdk = SDK.createFireworks().createFireworks({ baseURL, apiKey: readApiKey(providerId, provider, env) });
      return { language: (modelName) => sdk.chatModel(modelName), embedding: (modelName) => sdk.textEmbeddingModel(modelName) };
    }
    case 'ollama': {
      // Ollama speaks the OpenAI chat API at /v1; it needs no key.
      const sdk = SDK.createOpenAICompatible().createOpenAICompatible({ name: providerId, baseURL: baseURL ?? 'http://127.0.0.1:11434/v1', apiKey: provider.apiKeyEnv ? readApiKey(providerId, provider, env) : undefined, includeUsage: true });
      return { language: (modelName) => sdk.chatModel(modelName), embedding: (modelName) => sdk.textEmbeddingModel(modelName) };
    }
    case 'openai-compatible': {
      // Checked by the config schema; repeated here so the type is narrowed.
      if (!baseURL) throw new ProviderNotConfiguredError(`provider '${providerId}' has no baseUrl`);
      const sdk = SDK.createOpenAICompatible().createOpenAICompatible({ name: providerId, baseURL, apiKey: readApiKey(providerId, provider, env), includeUsage: true });
      return { language: (modelName) => sdk.chatModel(modelName), embedding: (modelName) => sdk.textEmbeddingModel(modelName) };
    }
    default: {
      return unreachable(provider.kind);
    }
  }
}

/** Resolves a configured model to a language model; throws ProviderNotConfiguredError for a missing key. */
export type LanguageModelResolver = (model: ModelConfig) => LanguageModelV2;
/** Resolves a configured embedding model; throws like LanguageModelResolver. */
export type EmbeddingModelResolver = (model: ModelConfig) => EmbeddingModelV2<string>;

/** One SDK provider instance per configured provider, built lazily; models cached by id. */
function createResolver<M>(config: AiConfig, env: NodeJS.ProcessEnv, build: (factory: ModelFactory, modelName: string) => M): (model: ModelConfig) => M {
  const factories = new Map<string, ModelFactory>();
  const models = new Map<string, M>();
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
    const built = build(factory, model.model);
    models.set(model.id, built);
    return built;
  };
}

export function createLanguageModelResolver(config: AiConfig, env: NodeJS.ProcessEnv = process.env): LanguageModelResolver {
  return createResolver(config, env, (factory, name) => factory.language(name));
}

export function createEmbeddingModelResolver(config: AiConfig, env: NodeJS.ProcessEnv = process.env): EmbeddingModelResolver {
  return createResolver(config, env, (factory, name) => factory.embedding(name));
}

export { createLocalLanguageModel } from './local';
