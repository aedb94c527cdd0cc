/**
 * The `ai:` section of charter.config.yaml: providers, the models they serve (with prices), named
 * routes (ordered fallback lists of models), default budgets, and call limits.
 * With no section at all the defaults give one keyless `local` provider and the `local/echo` model,
 * so `npm start` answers AI queries out of the box.
 */
import { z } from 'zod';
import { catalogModels } from './catalog';

export const PROVIDER_KINDS = [
  'openai',
  'anthropic',
  'mistral',
  'google',
  'groq',
  'xai',
  'deepseek',
  'azure',
  'bedrock',
  'cohere',
  'togetherai',
  'fireworks',
  'ollama',
  'openai-compatible',
  'local',
] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name');

export const providerConfigSchema = z
  .object({
    kind: z.enum(PROVIDER_KINDS),
    /** Base URL of the provider's API, e.g. `http://127.0.0.1:11434/v1` for Ollama. */
    baseUrl: z.string().url().optional(),
    /** Name of the environment variable holding the API key (never the key itself). */
    apiKeyEnv: envName.optional(),
    /** Serve every model the catalog prices for this kind (see catalog.ts); `models` entries add or replace. */
    catalog: z.boolean().default(true),
    /** Azure OpenAI: the resource name (or give `baseUrl`). */
    resourceName: z.string().min(1).optional(),
    /** Amazon Bedrock: the AWS region. */
    region: z.string().min(1).optional(),
    /** Amazon Bedrock with IAM credentials instead of an API key: the variables holding them. */
    accessKeyIdEnv: envName.optional(),
    secretAccessKeyEnv: envName.optional(),
  })
  .strict()
  .superRefine((provider, ctx) => {
    if (provider.kind === 'openai-compatible' && !provider.baseUrl) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['baseUrl'], message: 'an openai-compatible provider needs a baseUrl' });
    }
    if (provider.kind === 'azure' && !provider.baseUrl && !provider.resourceName) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['resourceName'], message: 'an azure provider needs a resourceName or a baseUrl' });
    }
    if (provider.kind === 'bedrock' && !provider.region) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['region'], message: 'a bedrock provider needs a region' });
    }
  });
export type ProviderConfig = z.infer<typeof providerConfigSchema>;

export const modelConfigSchema = z
  .object({
    /** Charter's id for the model, used in queries and routes, e.g. `openai/gpt-4o-mini`. */
    id: z.string().min(1),
    /** Key of the provider in `providers`. */
    provider: z.string().min(1),
    /** The provider's own model name, e.g. `gpt-4o-mini`. */
    model: z.string().min(1),
    /** USD per million input tokens. */
    inputPricePerMTok: z.number().nonnegative(),
    /** USD per million output tokens. */
    outputPricePerMTok: z.number().nonnegative(),
    /** Tokens the model accepts (prompt plus output). */
    contextWindow: z.number().int().positive(),
    /** Most tokens the model may produce in one answer. */
    maxOutputTokens: z.number().int().positive().optional(),
    /** Whether the model can call tools (function calling); requests with tools skip one that cannot. */
    tools: z.boolean().optional(),
    /** `embedding` models answer /v1/embeddings and `embed` (priced by input tokens); `chat` the rest. */
    type: z.enum(['chat', 'embedding']).optional(),
  })
  .strict();
export type ModelConfig = z.infer<typeof modelConfigSchema>;

export const tenantBudgetSchema = z
  .object({
    /** USD a tenant may spend per UTC day. */
    dailyUsd: z.number().nonnegative().optional(),
    /** USD a tenant may spend per UTC calendar month. */
    monthlyUsd: z.number().nonnegative().optional(),
    /** USD per UTC day past which a warning is logged (once a day); the call still runs. */
    softDailyUsd: z.number().nonnegative().optional(),
    /** USD per UTC month past which a warning is logged (once a month). */
    softMonthlyUsd: z.number().nonnegative().optional(),
    /** Prompt plus output tokens per minute (fixed one-minute windows). */
    tokensPerMinute: z.number().int().nonnegative().optional(),
    /** Model ids the tenant may use; absent means every configured model. */
    allowedModels: z.array(z.string().min(1)).optional(),
    /**
     * Opt in to the exact-match response cache: a deterministic call (temperature 0) repeated with
     * the same model or route, messages, tools and output format is answered from the cache, free,
     * for this many seconds. Keyed per tenant: never shared across tenants.
     */
    cacheTtlSec: z.number().int().positive().optional(),
  })
  .strict();
export type TenantBudget = z.infer<typeof tenantBudgetSchema>;

const LOCAL_ECHO: ModelConfig = {
  id: 'local/echo',
  provider: 'local',
  model: 'echo',
  inputPricePerMTok: 0,
  outputPricePerMTok: 0,
  contextWindow: 32_768,
  maxOutputTokens: 4_096,
};

/** A negotiated price or a private deployment's limits for a model (catalog or configured). */
export const modelOverrideSchema = z
  .object({
    inputPricePerMTok: z.number().nonnegative().optional(),
    outputPricePerMTok: z.number().nonnegative().optional(),
    contextWindow: z.number().int().positive().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
  })
  .strict();

const LOCAL_EMBED: ModelConfig = { id: 'local/embed', provider: 'local', model: 'embed', inputPricePerMTok: 0, outputPricePerMTok: 0, contextWindow: 8_192, type: 'embedding' };

/** Whether a model answers embedding requests (else chat). */
export function isEmbeddingModel(model: Pick<ModelConfig, 'type'>): boolean {
  return model.type === 'embedding';
}

export const aiConfigSchema = z
  .object({
    providers: z.record(z.string().min(1), providerConfigSchema).default({ local: { kind: 'local' } }),
    /** Models beyond (or replacing, by id) those the providers' catalogs bring. */
    models: z.array(modelConfigSchema).default([]),
    /** Per model id: prices and limits that replace the catalog's or the configured ones. */
    overrides: z.record(z.string().min(1), modelOverrideSchema).default({}),
    /** Named ordered model lists: the first model answers, the next ones are fallbacks. */
    /** Absent `default`: the local echo model when there is one, else the first model. */
    routes: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).default({}),
    budgets: z
      .object({
        /** Applied to a tenant with no entry of its own. */
        default: tenantBudgetSchema.default({}),
        tenants: z.record(z.string().min(1), tenantBudgetSchema).default({}),
        /** Per API key id (the application), on top of its tenant's budget. */
        keys: z.record(z.string().min(1), tenantBudgetSchema).default({}),
        /** Per prompt template name, counted for each tenant, on top of the tenant's budget. */
        prompts: z.record(z.string().min(1), tenantBudgetSchema).default({}),
      })
      .strict()
      .default({}),
    /** Deadline of one provider call; a slower provider counts as failed and the next model answers. */
    timeoutMs: z.number().int().positive().default(30_000),
    /** Extra attempts on the same model for retryable errors (429, 5xx, network) before falling back. */
    maxRetries: z.number().int().min(0).max(10).default(1),
    /** First backoff delay; each retry doubles it, with full jitter, capped at 10 s. */
    retryBaseDelayMs: z.number().int().min(0).default(250),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.models.forEach((model, index) => {
      if (seen.has(model.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['models', index, 'id'], message: `duplicate model id '${model.id}'` });
      seen.add(model.id);
      if (!config.providers[model.provider]) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['models', index, 'provider'], message: `unknown provider '${model.provider}'` });
      }
      if (model.maxOutputTokens !== undefined && model.maxOutputTokens > model.contextWindow) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['models', index, 'maxOutputTokens'], message: 'must not exceed contextWindow' });
      }
    });
    const known = new Set(withCatalog(config.providers, config.models, config.overrides).map((m) => m.id));
    for (const id of Object.keys(config.overrides)) {
      if (!known.has(id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['overrides', id], message: `unknown model '${id}'` });
    }
    for (const [route, modelIds] of Object.entries(config.routes)) {
      modelIds.forEach((modelId, index) => {
        if (!known.has(modelId)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['routes', route, index], message: `unknown model '${modelId}'` });
      });
    }
  })
  .transform((config) => {
    const models = withCatalog(config.providers, config.models, config.overrides);
    const routes = { ...config.routes };
    const chatModels = models.filter((m) => !isEmbeddingModel(m));
    if (!routes.default && chatModels.length) routes.default = [(chatModels.find((m) => m.id === LOCAL_ECHO.id) ?? chatModels[0]!).id];
    return { ...config, models, routes };
  });

/**
 * The models served: each catalog provider's priced models, then the configured ones (a configured
 * id replaces the catalog's), then the overrides applied.
 */
function withCatalog(providers: Record<string, ProviderConfig>, configured: ModelConfig[], overrides: Record<string, z.infer<typeof modelOverrideSchema>>): ModelConfig[] {
  const byId = new Map<string, ModelConfig>();
  for (const [key, provider] of Object.entries(providers)) {
    if (!provider.catalog) continue;
    // The keyless local provider's catalog: its deterministic echo and embedding models.
    if (provider.kind === 'local') {
      byId.set(`${key}/echo`, { ...LOCAL_ECHO, id: `${key}/echo`, provider: key });
      byId.set(`${key}/embed`, { ...LOCAL_EMBED, id: `${key}/embed`, provider: key });
    }
    for (const entry of catalogModels(provider.kind, key)) byId.set(entry.id, { ...entry });
  }
  for (const model of configured) byId.set(model.id, model);
  for (const [id, override] of Object.entries(overrides)) {
    const model = byId.get(id);
    if (model) byId.set(id, { ...model, ...Object.fromEntries(Object.entries(override).filter(([, v]) => v !== undefined)) });
  }
  return [...byId.values()];
}

export type AiConfig = z.infer<typeof aiConfigSchema>;
/** The config as written in YAML, before defaults are applied. */
export type AiConfigInput = z.input<typeof aiConfigSchema>;

/** Parse the `ai:` section (undefined gives the keyless local default). Throws a ZodError naming each bad key. */
export function parseAiConfig(section: unknown): AiConfig {
  return aiConfigSchema.parse(section ?? {});
}

/** The tenant's budget from config: its own entry, else the default. */
export function budgetFromConfig(config: AiConfig, tenant: string): TenantBudget {
  return config.budgets.tenants[tenant] ?? config.budgets.default;
}

export function findModel(config: AiConfig, modelId: string): ModelConfig | undefined {
  return config.models.find((model) => model.id === modelId);
}

/** Whether a tenant's budget lets it use a model. */
export function isModelAllowed(budget: TenantBudget, modelId: string): boolean {
  return budget.allowedModels === undefined || budget.allowedModels.includes(modelId);
}

/**
 * Cost of one call in USD at full precision: in * price_in / 1e6 + out * price_out / 1e6.
 * Rounding happens only where a figure is shown.
 */
export function computeCostUsd(model: Pick<ModelConfig, 'inputPricePerMTok' | 'outputPricePerMTok'>, inputTokens: number, outputTokens: number): number {
  return (inputTokens * model.inputPricePerMTok) / 1e6 + (outputTokens * model.outputPricePerMTok) / 1e6;
}

/** A USD amount for people: cents for amounts of a cent or more, else enough digits to be non-zero. */
export function formatUsd(amount: number): string {
  if (amount === 0 || Math.abs(amount) >= 0.01) return `$${amount.toFixed(2)}`;
  return `$${amount.toPrecision(2)}`;
}
