/**
 * The model catalog: prices and context windows of the models each provider serves, from
 * `@pydantic/genai-prices` (Pydantic's maintained price data, bundled with the package, so it
 * works offline; it is never refreshed over the network at run time). Chosen over `tokenlens`
 * (models.dev data), which ships as ES modules only, and `llm-cost`, which prices fewer providers.
 *
 * A provider configured with `catalog: true` (the default) serves every catalog model of its kind
 * that has an input and an output price and a known context window, as `<provider key>/<model>`.
 */
import type * as GenAiPricesModule from '@pydantic/genai-prices';
import type { ModelInfo, ModelPrice, TieredPrices } from '@pydantic/genai-prices';

type GenAiPrices = typeof GenAiPricesModule;
let loadedPrices: GenAiPrices | undefined;

/** The price data is large: loaded on first use, so a process that needs no catalog never parses it. */
function genAiPrices(): GenAiPrices {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (loadedPrices ??= require('@pydantic/genai-prices') as GenAiPrices);
}

/** Which catalog provider prices a provider kind (kinds that run models of your own have none). */
export const CATALOG_PROVIDER: Readonly<Record<string, string>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  mistral: 'mistral',
  groq: 'groq',
  xai: 'x-ai',
  deepseek: 'deepseek',
  azure: 'azure',
  bedrock: 'aws',
  cohere: 'cohere',
  togetherai: 'together',
  fireworks: 'fireworks',
};

/** A catalog entry as `charter models --catalog --json` prints it. */
export interface CatalogModel {
  id: string;
  provider: string;
  model: string;
  inputPricePerMTok: number;
  outputPricePerMTok: number;
  contextWindow: number;
  /** Embedding models are priced by input tokens only. */
  type?: 'embedding';
}

function basePrice(value: number | TieredPrices | undefined): number | undefined {
  if (typeof value === 'number') return value;
  return value && typeof value === 'object' && typeof (value as { base?: unknown }).base === 'number' ? (value as { base: number }).base : undefined;
}

/** The prices in force now: a model with dated prices lists them oldest first. */
function currentPrices(model: ModelInfo): ModelPrice {
  return Array.isArray(model.prices) ? (model.prices.at(-1)?.prices ?? {}) : model.prices;
}

// Catalog ids that are match prefixes (`ft:gpt-4o`, `gpt-4o-mini-2024-07-18.ft-`), not model names.
const USABLE_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@-]*[A-Za-z0-9]$/;

const byKind = new Map<string, CatalogModel[]>();

/** Every priced model the catalog knows for a provider kind, named `<providerKey>/<model>`. */
export function catalogModels(kind: string, providerKey: string = kind): CatalogModel[] {
  let models = byKind.get(kind);
  if (!models) {
    const source = CATALOG_PROVIDER[kind] ? genAiPrices().findProvider({ providerId: CATALOG_PROVIDER[kind] }) : undefined;
    models = [];
    for (const info of source?.models ?? []) {
      const current = currentPrices(info);
      const embedding = /embed/.test(info.id);
      const input = basePrice(current.input_mtok);
      const output = basePrice(current.output_mtok) ?? (embedding ? 0 : undefined);
      if (input === undefined || output === undefined || !info.context_window || info.deprecated || !USABLE_ID.test(info.id) || info.id.startsWith('ft:')) continue;
      models.push({ id: info.id, provider: CATALOG_PROVIDER[kind]!, model: info.id, inputPricePerMTok: input, outputPricePerMTok: output, contextWindow: info.context_window, ...(embedding ? { type: 'embedding' as const } : {}) });
    }
    byKind.set(kind, models);
  }
  return models.map((m) => ({ ...m, id: `${providerKey}/${m.model}`, provider: providerKey }));
}

/** Every model the catalog prices, across every provider kind Charter speaks. */
export function fullCatalog(): CatalogModel[] {
  return Object.keys(CATALOG_PROVIDER).flatMap((kind) => catalogModels(kind));
}
